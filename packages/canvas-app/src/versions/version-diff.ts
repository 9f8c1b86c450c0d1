import {
  type BoardElement,
  type Bounds,
  type ElementId,
  elementBounds,
  elementGeometry,
  listElements,
} from '@inkroom/shared';
import type * as Y from 'yjs';
import { drawElement, type ElementPaths, newPath } from '../render/draw-element.js';

const sameElement = (a: BoardElement, b: BoardElement) => JSON.stringify(a) === JSON.stringify(b);

/**
 * How a version differs from the board now, element by element, kept current as the board
 * changes: only the elements that changed are compared again.
 */
export class VersionDiff {
  /** In the version, gone from the board now (a restore brings them back). */
  readonly gone = new Map<ElementId, BoardElement>();
  /** On the board in both, changed since (a restore sets them back): as they were. */
  readonly changed = new Map<ElementId, BoardElement>();
  /** On the board now, not in the version (a restore removes them). */
  readonly added = new Set<ElementId>();
  private readonly past: ReadonlyMap<ElementId, BoardElement>;
  /** How each element shown from the version is drawn: made once (the overlay paints often). */
  private readonly drawings = new Map<ElementId, { geometry: ElementPaths; box: Bounds }>();

  constructor(
    version: Y.Doc,
    private readonly now: (id: ElementId) => BoardElement | undefined,
    current: Iterable<ElementId>,
  ) {
    this.past = new Map(listElements(version).map((element) => [element.id, element]));
    this.update([...this.past.keys(), ...current]);
  }

  /** Compares these elements again (they changed on the board). */
  update(ids: Iterable<ElementId>): void {
    for (const id of ids) {
      this.gone.delete(id);
      this.changed.delete(id);
      this.added.delete(id);
      const then = this.past.get(id);
      const now = this.now(id);
      if (then && !now) this.gone.set(id, then);
      else if (then && now && !sameElement(then, now)) this.changed.set(id, then);
      else if (!then && now) this.added.add(id);
    }
  }

  /** An element of the version, ready to draw. */
  drawing(element: BoardElement): { geometry: ElementPaths; box: Bounds } {
    let drawing = this.drawings.get(element.id);
    if (!drawing) {
      drawing = { geometry: elementGeometry(element, newPath), box: elementBounds(element) };
      this.drawings.set(element.id, drawing);
    }
    return drawing;
  }
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
    for (const element of elements.values()) {
      const { geometry, box } = diff.drawing(element);
      ctx.save();
      ctx.globalAlpha = 0.45;
      drawElement(ctx, element, geometry);
      ctx.restore();
      outline(ctx, box, color, unit);
    }
  }
  for (const id of diff.added) {
    const box = boxOf(id);
    if (box) outline(ctx, box, ADDED, unit);
  }
}
