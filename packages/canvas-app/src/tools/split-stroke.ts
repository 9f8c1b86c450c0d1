import {
  addElement,
  deleteElements,
  type ElementOf,
  keysBetween,
  type Point,
  pointsFrom,
  updateElement,
} from '@inkroom/shared';
import { distanceToSegment } from '../model/hit-test.js';
import type { ToolContext } from './Tool.js';

/**
 * Indices of a stroke's points the eraser at `p` rubs out: those within `radius`, and where it
 * crosses a segment between two sparse samples (a fast straight line), both ends of it.
 */
export function pointsNear(stroke: ElementOf<'stroke'>, p: Point, radius: number): number[] {
  const { xy } = stroke.points;
  const q = { x: p.x - stroke.x, y: p.y - stroke.y };
  const near = new Set<number>();
  const count = xy.length / 2;
  for (let i = 0; i < count; i++) {
    if (Math.hypot(xy[i * 2]! - q.x, xy[i * 2 + 1]! - q.y) <= radius) near.add(i);
  }
  for (let i = 0; i + 1 < count; i++) {
    if (near.has(i) || near.has(i + 1)) continue;
    if (distanceToSegment(q, xy[i * 2]!, xy[i * 2 + 1]!, xy[i * 2 + 2]!, xy[i * 2 + 3]!) <= radius) {
      near.add(i);
      near.add(i + 1);
    }
  }
  return [...near];
}

/** The runs of consecutive kept points (at least two long) once `removed` are rubbed out. */
export function keptRuns(count: number, removed: ReadonlySet<number>): number[][] {
  const runs: number[][] = [];
  let run: number[] = [];
  for (let i = 0; i < count; i++) {
    if (removed.has(i)) {
      if (run.length >= 2) runs.push(run);
      run = [];
    } else {
      run.push(i);
    }
  }
  if (run.length >= 2) runs.push(run);
  return runs;
}

/**
 * Rubs points out of a stroke: the first piece that is left keeps the element (and its id), the
 * others become new strokes of the same style, stacked just above it. Nothing left: deleted.
 * Call inside a transaction.
 */
export function splitStroke(
  ctx: ToolContext,
  stroke: ElementOf<'stroke'>,
  removed: ReadonlySet<number>,
  nextZ: string | null,
): void {
  const { xy, pressure } = stroke.points;
  const runs = keptRuns(xy.length / 2, removed);
  if (runs.length === 0) {
    deleteElements(ctx.doc, [stroke.id], ctx.origin);
    return;
  }
  const pieces = runs.map((run) => {
    let minX = Infinity;
    let minY = Infinity;
    for (const i of run) {
      minX = Math.min(minX, xy[i * 2]!);
      minY = Math.min(minY, xy[i * 2 + 1]!);
    }
    const tuples = run.map((i): [number, number, number?] =>
      pressure
        ? [xy[i * 2]! - minX, xy[i * 2 + 1]! - minY, pressure[i]!]
        : [xy[i * 2]! - minX, xy[i * 2 + 1]! - minY],
    );
    return { x: stroke.x + minX, y: stroke.y + minY, points: pointsFrom(tuples, stroke.points.precision) };
  });
  const [first, ...rest] = pieces;
  updateElement(ctx.doc, stroke.id, 'stroke', first!, ctx.origin);
  const keys =
    rest.length > 0
      ? keysBetween(stroke.z, nextZ !== null && nextZ > stroke.z ? nextZ : null, rest.length)
      : [];
  rest.forEach((piece, i) => {
    const { id: _id, kind: _kind, ...style } = stroke;
    addElement(ctx.doc, { ...style, kind: 'stroke', ...piece, z: keys[i]! }, ctx.origin);
  });
}
