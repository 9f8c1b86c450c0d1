import { type BoardElement, inkRadius, type Point } from '@inkroom/shared';

/** Distance from p to the segment a-b. */
export function distanceToSegment(p: Point, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  let t = lengthSquared === 0 ? 0 : ((p.x - ax) * dx + (p.y - ay) * dy) / lengthSquared;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p.x - (ax + t * dx), p.y - (ay + t * dy));
}

/** `p` in the element's unrotated frame (elements rotate about their centre). */
function unrotate(element: BoardElement, p: Point, cx: number, cy: number): Point {
  if (element.rotation === 0) return p;
  const cos = Math.cos(-element.rotation);
  const sin = Math.sin(-element.rotation);
  const dx = p.x - cx;
  const dy = p.y - cy;
  return { x: cx + dx * cos - dy * sin, y: cy + dx * sin + dy * cos };
}

/** Distance from `p` to the polyline of an element with points (stroke, line, arrow). */
export function distanceToPolyline(
  element: BoardElement & { points: { xy: Float32Array } },
  p: Point,
): number {
  const { xy } = element.points;
  const q = { x: p.x - element.x, y: p.y - element.y };
  if (xy.length === 2) return Math.hypot(q.x - xy[0]!, q.y - xy[1]!);
  let best = Infinity;
  for (let i = 0; i + 3 < xy.length; i += 2) {
    const d = distanceToSegment(q, xy[i]!, xy[i + 1]!, xy[i + 2]!, xy[i + 3]!);
    if (d < best) best = d;
  }
  return best;
}

/**
 * True when `p` (board units) touches the element: within `tolerance` of a line or stroke, inside
 * a filled shape, text or note, or near the outline of an unfilled one.
 */
export function hitElement(element: BoardElement, p: Point, tolerance: number): boolean {
  const reach = inkRadius(element) + tolerance;
  if ('points' in element) return distanceToPolyline(element, p) <= reach;
  const { x, y, width, height } = element;
  const q = unrotate(element, p, x + width / 2, y + height / 2);
  const filled =
    element.fill !== 'none' ||
    element.kind === 'text' ||
    element.kind === 'sticky' ||
    element.kind === 'image';
  if (element.kind === 'ellipse') {
    const rx = width / 2;
    const ry = height / 2;
    if (rx <= 0 || ry <= 0) return false;
    const nx = (q.x - (x + rx)) / rx;
    const ny = (q.y - (y + ry)) / ry;
    const r = Math.hypot(nx, ny);
    if (filled && r <= 1) return true;
    // Distance to the outline, approximately, scaled back to board units.
    return Math.abs(r - 1) * Math.min(rx, ry) <= reach;
  }
  const inside = q.x >= x && q.x <= x + width && q.y >= y && q.y <= y + height;
  if (filled && inside) return true;
  const nearX = q.x >= x - reach && q.x <= x + width + reach;
  const nearY = q.y >= y - reach && q.y <= y + height + reach;
  if (!nearX || !nearY) return false;
  return (
    Math.abs(q.x - x) <= reach ||
    Math.abs(q.x - (x + width)) <= reach ||
    Math.abs(q.y - y) <= reach ||
    Math.abs(q.y - (y + height)) <= reach
  );
}

/** True when `p` lies within a rectangle's, ellipse's or frame's area, filled or not. */
export function insideShape(element: BoardElement, p: Point): boolean {
  if (element.kind !== 'rectangle' && element.kind !== 'ellipse' && element.kind !== 'frame') return false;
  const { x, y, width, height } = element;
  const q = unrotate(element, p, x + width / 2, y + height / 2);
  if (element.kind !== 'ellipse') return q.x >= x && q.x <= x + width && q.y >= y && q.y <= y + height;
  const rx = width / 2;
  const ry = height / 2;
  return rx > 0 && ry > 0 && Math.hypot((q.x - (x + rx)) / rx, (q.y - (y + ry)) / ry) <= 1;
}
