import { HIGHLIGHTER_ALPHA, type LiveStroke, traceFreehand } from '@inkroom/shared';

/**
 * Paints a stroke in progress, ours or someone else's, with the geometry and paint rules of a
 * committed stroke element (see `traceFreehand` and `drawElement`), so it looks the same on every
 * screen before and after it is committed. `done` once the pen is up: the end is then final.
 */
export function paintLiveStroke(ctx: CanvasRenderingContext2D, stroke: LiveStroke, done = false): void {
  const { points } = stroke;
  const input: number[][] = [];
  for (let i = 0; i + 2 < points.length; i += 3) input.push([points[i]!, points[i + 1]!, points[i + 2]!]);
  if (input.length === 0) return;
  ctx.save();
  ctx.globalAlpha *= stroke.opacity * (stroke.brush === 'highlighter' ? HIGHLIGHTER_ALPHA : 1);
  ctx.fillStyle = stroke.color;
  ctx.fill(traceFreehand(input, stroke.brush, stroke.width, stroke.pressure, done, new Path2D()));
  ctx.restore();
}
