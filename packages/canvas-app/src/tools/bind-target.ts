import type { ElementId, Point } from '@inkroom/shared';
import type { SceneEntry } from '../scene/SceneIndex.js';
import type { ToolContext } from './Tool.js';

/** How near, in screen pixels, a line's end must be to a shape to bind to it. */
const BIND_REACH_PX = 8;
const BIND_HIGHLIGHT = '#4263eb';

/**
 * The shape a line's or arrow's end at `p` binds to: none with Ctrl/Cmd (`free`), and never one
 * of `exclude` (the line itself, and the shape its other end holds: both ends on one shape would
 * shrink the line inside it).
 */
export function bindTargetFor(
  ctx: ToolContext,
  p: Point,
  free: boolean,
  exclude: readonly (ElementId | null | undefined)[],
): SceneEntry | null {
  if (free) return null;
  return ctx.scene.bindTargetAt(p, BIND_REACH_PX / ctx.viewport.zoom, exclude);
}

/** Outlines, dashed, the shapes line ends will bind to. */
export function paintBindTargets(
  canvas: CanvasRenderingContext2D,
  targets: readonly (SceneEntry | null)[],
  zoom: number,
): void {
  canvas.save();
  canvas.strokeStyle = BIND_HIGHLIGHT;
  canvas.lineWidth = 2 / zoom;
  canvas.setLineDash([6 / zoom, 4 / zoom]);
  const pad = 4 / zoom;
  for (const target of targets) {
    if (!target) continue;
    canvas.strokeRect(
      target.minX - pad,
      target.minY - pad,
      target.maxX - target.minX + pad * 2,
      target.maxY - target.minY + pad * 2,
    );
  }
  canvas.restore();
}
