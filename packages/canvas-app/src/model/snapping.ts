import type { Bounds, ElementId, Point } from '@inkroom/shared';
import type { SceneIndex } from '../scene/SceneIndex.js';

/** How close (in screen pixels) an edge or centre must come to another's to snap to it. */
export const SNAP_PX = 6;

/** A line drawn while something is snapped: where it is and how far it runs. */
export interface Guide {
  readonly axis: 'x' | 'y';
  /** The x of a vertical guide, the y of a horizontal one. */
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

/** One edge or centre of an element, with the span of the element along the other axis. */
interface Line {
  readonly at: number;
  readonly from: number;
  readonly to: number;
}

/**
 * What a moving or resizing selection snaps to: the edges and centres of the other unlocked
 * elements in view (sorted, for a binary search per frame), and the grid when it is shown.
 */
export class SnapTargets {
  private readonly xs: Line[] = [];
  private readonly ys: Line[] = [];

  constructor(
    scene: SceneIndex,
    view: Bounds,
    exclude: ReadonlySet<ElementId>,
    private readonly grid: number | null,
  ) {
    for (const entry of scene.search(view)) {
      if (exclude.has(entry.id)) continue;
      const cx = (entry.minX + entry.maxX) / 2;
      const cy = (entry.minY + entry.maxY) / 2;
      for (const x of [entry.minX, cx, entry.maxX]) this.xs.push({ at: x, from: entry.minY, to: entry.maxY });
      for (const y of [entry.minY, cy, entry.maxY]) this.ys.push({ at: y, from: entry.minX, to: entry.maxX });
    }
    this.xs.sort((a, b) => a.at - b.at);
    this.ys.sort((a, b) => a.at - b.at);
  }

  /**
   * The shift that brings one of a box's edges or centre onto a target within `reach` board
   * units, per axis (the smallest wins), and the guides to draw.
   */
  snapBox(box: Bounds, reach: number): { dx: number; dy: number; guides: Guide[] } {
    const x = this.nearest(this.xs, [box.minX, (box.minX + box.maxX) / 2, box.maxX], reach);
    const y = this.nearest(this.ys, [box.minY, (box.minY + box.maxY) / 2, box.maxY], reach);
    const dx = x?.shift ?? this.gridShift(box.minX, reach);
    const dy = y?.shift ?? this.gridShift(box.minY, reach);
    const guides: Guide[] = [];
    if (x)
      guides.push({
        axis: 'x',
        at: x.line.at,
        from: Math.min(x.line.from, box.minY + dy),
        to: Math.max(x.line.to, box.maxY + dy),
      });
    if (y)
      guides.push({
        axis: 'y',
        at: y.line.at,
        from: Math.min(y.line.from, box.minX + dx),
        to: Math.max(y.line.to, box.maxX + dx),
      });
    return { dx, dy, guides };
  }

  /** A dragged corner or end point, snapped per axis like a box of no size. */
  snapPoint(p: Point, reach: number): { point: Point; guides: Guide[] } {
    const { dx, dy, guides } = this.snapBox({ minX: p.x, minY: p.y, maxX: p.x, maxY: p.y }, reach);
    return { point: { x: p.x + dx, y: p.y + dy }, guides };
  }

  private gridShift(value: number, reach: number): number {
    if (!this.grid) return 0;
    const shift = Math.round(value / this.grid) * this.grid - value;
    return Math.abs(shift) <= reach ? shift : 0;
  }

  private nearest(lines: Line[], values: number[], reach: number): { shift: number; line: Line } | null {
    let best: { shift: number; line: Line } | null = null;
    for (const value of values) {
      // The first line at or after value - reach, then on while within reach.
      let lo = 0;
      let hi = lines.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lines[mid]!.at < value - reach) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < lines.length && lines[i]!.at <= value + reach; i++) {
        const shift = lines[i]!.at - value;
        if (!best || Math.abs(shift) < Math.abs(best.shift)) best = { shift, line: lines[i]! };
      }
    }
    return best;
  }
}

/** Paints snap guides on the overlay, in board coordinates. */
export function paintGuides(canvas: CanvasRenderingContext2D, guides: readonly Guide[], zoom: number): void {
  if (guides.length === 0) return;
  canvas.save();
  canvas.strokeStyle = '#e8590c';
  canvas.lineWidth = 1 / zoom;
  canvas.beginPath();
  for (const guide of guides) {
    if (guide.axis === 'x') {
      canvas.moveTo(guide.at, guide.from);
      canvas.lineTo(guide.at, guide.to);
    } else {
      canvas.moveTo(guide.from, guide.at);
      canvas.lineTo(guide.to, guide.at);
    }
  }
  canvas.stroke();
  canvas.restore();
}
