import {
  type BoardElement,
  type Bounds,
  type ElementId,
  elementBounds,
  elementGeometry,
  listElements,
} from '@inkroom/shared';
import type * as Y from 'yjs';
import { drawElement, newPath } from '../render/draw-element.js';

/** How a version differs from the board now, element by element. */
export interface VersionDiff {
  /** In the version, gone from the board now (a restore brings them back). */
  readonly gone: readonly BoardElement[];
  /** On the board in both, changed since (a restore sets them back): as they were. */
  readonly changed: readonly BoardElement[];
  /** On the board now, not in the version (a restore removes them). */
  readonly added: readonly ElementId[];
}

const sameElement = (a: BoardElement, b: BoardElement) => JSON.stringify(a) === JSON.stringify(b);

/** Compares a version with the board's elements now. */
export function diffVersion(version: Y.Doc, current: ReadonlyMap<ElementId, BoardElement>): VersionDiff {
  const then = listElements(version);
  const ids = new Set(then.map((e) => e.id));
  const gone: BoardElement[] = [];
  const changed: BoardElement[] = [];
  for (const element of then) {
    const now = current.get(element.id);
    if (!now) gone.push(element);
    else if (!sameElement(element, now)) changed.push(element);
  }
  const added = [...current.keys()].filter((id) => !ids.has(id));
  return { gone, changed, added };
}

const GONE = '#2f9e44';
const CHANGED = '#f08c00';
const ADDED = '#e03131';

function outline(ctx: CanvasRenderingContext2D, box: Bounds, color: string, unit: number): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 2 * unit;
  ctx.setLineDash([6 * unit, 4 * unit]);
  ctx.strokeRect(
    box.minX - 4 * unit,
    box.minY - 4 * unit,
    box.maxX - box.minX + 8 * unit,
    box.maxY - box.minY + 8 * unit,
  );
  ctx.setLineDash([]);
}

/**
 * Shows on the live board what restoring the version would do: what it would bring back, drawn
 * faintly in green, what it would set back, as it was, in orange, and what it would remove,
 * outlined in red.
 */
export function paintVersionDiff(
  ctx: CanvasRenderingContext2D,
  diff: VersionDiff,
  boxOf: (id: ElementId) => Bounds | null,
  zoom: number,
): void {
  const unit = 1 / zoom;
  for (const [elements, color] of [
    [diff.gone, GONE],
    [diff.changed, CHANGED],
  ] as const) {
    for (const element of elements) {
      ctx.save();
      ctx.globalAlpha = 0.45;
      drawElement(ctx, element, elementGeometry(element, newPath));
      ctx.restore();
      outline(ctx, elementBounds(element), color, unit);
    }
  }
  for (const id of diff.added) {
    const box = boxOf(id);
    if (box) outline(ctx, box, ADDED, unit);
  }
}
