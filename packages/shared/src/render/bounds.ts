import type { BoardElement } from '../schema/element-kinds.js';
import type { PointList } from '../schema/points.js';
import { FRAME_NAME_SIZE, LINE_HEIGHT } from './paint.js';

/** Room above a named frame for its name: a line of its text, and a gap. */
const FRAME_NAME_HEIGHT = FRAME_NAME_SIZE * LINE_HEIGHT + 2;

/** An axis-aligned box in board units (the shape rbush indexes). */
export interface Bounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface Point {
  x: number;
  y: number;
}

export const EMPTY_BOUNDS: Bounds = { minX: 0, minY: 0, maxX: 0, maxY: 0 };

export function boundsOfPoints(points: PointList, offsetX = 0, offsetY = 0): Bounds {
  const { xy } = points;
  if (xy.length < 2) return { minX: offsetX, minY: offsetY, maxX: offsetX, maxY: offsetY };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i]!;
    const y = xy[i + 1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX: minX + offsetX, minY: minY + offsetY, maxX: maxX + offsetX, maxY: maxY + offsetY };
}

export function expand(bounds: Bounds, by: number): Bounds {
  return { minX: bounds.minX - by, minY: bounds.minY - by, maxX: bounds.maxX + by, maxY: bounds.maxY + by };
}

export function union(a: Bounds, b: Bounds): Bounds {
  return {
    minX: Math.min(a.minX, b.minX),
    minY: Math.min(a.minY, b.minY),
    maxX: Math.max(a.maxX, b.maxX),
    maxY: Math.max(a.maxY, b.maxY),
  };
}

export function intersects(a: Bounds, b: Bounds): boolean {
  return a.minX <= b.maxX && a.maxX >= b.minX && a.minY <= b.maxY && a.maxY >= b.minY;
}

export function contains(outer: Bounds, inner: Bounds): boolean {
  return (
    inner.minX >= outer.minX &&
    inner.maxX <= outer.maxX &&
    inner.minY >= outer.minY &&
    inner.maxY <= outer.maxY
  );
}

/** The box spanned by two corners, in any order. */
export function boxFrom(a: Point, b: Point): Bounds {
  return {
    minX: Math.min(a.x, b.x),
    minY: Math.min(a.y, b.y),
    maxX: Math.max(a.x, b.x),
    maxY: Math.max(a.y, b.y),
  };
}

/**
 * Half the width of the ink as drawn: freehand pens are drawn at twice their stroke width, and
 * highlighters at four times (see geometry.ts).
 */
export function inkRadius(element: BoardElement): number {
  if (element.kind === 'stroke')
    return element.brush === 'highlighter' ? element.strokeWidth * 2 : element.strokeWidth;
  return element.strokeWidth / 2;
}

/** The box an element covers on the board, stroke width and rotation included. */
export function elementBounds(element: BoardElement): Bounds {
  const pad = inkRadius(element) + 1;
  let box: Bounds;
  if ('points' in element) {
    box = boundsOfPoints(element.points, element.x, element.y);
  } else {
    box = {
      minX: element.x,
      minY: element.y,
      maxX: element.x + element.width,
      maxY: element.y + element.height,
    };
  }
  if (element.rotation !== 0) box = rotatedBox(box, element.rotation);
  // A frame's name sits above it (see FRAME_NAME_SIZE in paint.ts).
  if (element.kind === 'frame' && element.name !== '') box = { ...box, minY: box.minY - FRAME_NAME_HEIGHT };
  // Arrowheads reach past the line's end by about three stroke widths.
  return expand(box, element.kind === 'arrow' ? pad + element.strokeWidth * 3 + 6 : pad);
}

/** The axis-aligned box of `box` rotated by `angle` about its centre. */
export function rotatedBox(box: Bounds, angle: number): Bounds {
  const cx = (box.minX + box.maxX) / 2;
  const cy = (box.minY + box.maxY) / 2;
  const hw = (box.maxX - box.minX) / 2;
  const hh = (box.maxY - box.minY) / 2;
  const cos = Math.abs(Math.cos(angle));
  const sin = Math.abs(Math.sin(angle));
  const w = hw * cos + hh * sin;
  const h = hw * sin + hh * cos;
  return { minX: cx - w, minY: cy - h, maxX: cx + w, maxY: cy + h };
}

export function center(box: Bounds): Point {
  return { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 };
}
