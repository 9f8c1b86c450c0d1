import type { ElementId } from '../ids.js';
import type { BoardElement, ElementKind, ElementOf } from './element-kinds.js';
import { type PointList, pointCount } from './points.js';

/**
 * Where a line's or arrow's end is attached: to which element, and at which point of it, as
 * fractions of its unrotated box (0.5, 0.5 is its centre). The end is drawn where the segment
 * towards that point meets the element's outline, so it follows the element however it moves,
 * resizes or turns, and two people moving the element and the arrow at once still see them joined.
 */
export interface Binding {
  readonly element: ElementId;
  readonly x: number;
  readonly y: number;
}

/** Kinds an end can be bound to. */
export const BINDABLE_KINDS: ReadonlySet<ElementKind> = new Set([
  'rectangle',
  'ellipse',
  'sticky',
  'text',
  'image',
]);

/** Space left between a bound end and the outline, in board units (an arrowhead must show). */
export const BINDING_GAP = 6;

type Linear = ElementOf<'line'> | ElementOf<'arrow'>;
interface Point {
  x: number;
  y: number;
}

export function isBindable(element: BoardElement): boolean {
  return BINDABLE_KINDS.has(element.kind) && !('points' in element);
}

function boxOf(element: BoardElement) {
  return { x: element.x, y: element.y, w: element.width, h: element.height };
}

function rotate(p: Point, c: Point, angle: number): Point {
  if (angle === 0) return p;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  return { x: c.x + dx * cos - dy * sin, y: c.y + dx * sin + dy * cos };
}

function centreOf(element: BoardElement): Point {
  return { x: element.x + element.width / 2, y: element.y + element.height / 2 };
}

/** The binding that attaches an end at board point `p` to `target`. */
export function bindingAt(target: BoardElement, p: Point): Binding {
  const local = rotate(p, centreOf(target), -target.rotation);
  const { x, y, w, h } = boxOf(target);
  const fraction = (v: number, from: number, size: number) =>
    size > 0 ? Math.min(1, Math.max(0, (v - from) / size)) : 0.5;
  return { element: target.id, x: fraction(local.x, x, w), y: fraction(local.y, y, h) };
}

/** The board point a binding aims at. */
export function anchorOf(target: BoardElement, binding: Binding): Point {
  const { x, y, w, h } = boxOf(target);
  return rotate({ x: x + binding.x * w, y: y + binding.y * h }, centreOf(target), target.rotation);
}

/**
 * Where the segment from `from` towards `to` first meets the target's outline (unrotated, local
 * coordinates), as a fraction of the segment; null when `from` is inside or it never does.
 */
function entry(target: BoardElement, from: Point, to: Point): number | null {
  const { x, y, w, h } = boxOf(target);
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  if (target.kind === 'ellipse') {
    const rx = w / 2;
    const ry = h / 2;
    if (rx <= 0 || ry <= 0) return null;
    const ox = (from.x - (x + rx)) / rx;
    const oy = (from.y - (y + ry)) / ry;
    const vx = dx / rx;
    const vy = dy / ry;
    const a = vx * vx + vy * vy;
    const b = 2 * (ox * vx + oy * vy);
    const c = ox * ox + oy * oy - 1;
    if (c <= 0 || a === 0) return null;
    const disc = b * b - 4 * a * c;
    if (disc < 0) return null;
    const t = (-b - Math.sqrt(disc)) / (2 * a);
    return t >= 0 && t <= 1 ? t : null;
  }
  // Liang–Barsky: the latest of the entering parameters.
  let enter = 0;
  let leave = 1;
  const sides: [number, number][] = [
    [-dx, from.x - x],
    [dx, x + w - from.x],
    [-dy, from.y - y],
    [dy, y + h - from.y],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const t = q / p;
    if (p < 0) enter = Math.max(enter, t);
    else leave = Math.min(leave, t);
  }
  if (enter > leave || enter === 0) return null;
  return enter;
}

/**
 * Where an end bound to `target` is drawn: on the segment from `from` (the neighbouring point)
 * towards the binding's anchor, `BINDING_GAP` short of the outline; the anchor itself when
 * `from` is inside the target.
 */
export function boundEnd(target: BoardElement, binding: Binding, from: Point): Point {
  const anchor = anchorOf(target, binding);
  const c = centreOf(target);
  const localFrom = rotate(from, c, -target.rotation);
  const localAnchor = rotate(anchor, c, -target.rotation);
  const t = entry(target, localFrom, localAnchor);
  if (t === null) return anchor;
  const length = Math.hypot(localAnchor.x - localFrom.x, localAnchor.y - localFrom.y);
  const back = length > 0 ? Math.max(0, t - BINDING_GAP / length) : t;
  return rotate(
    {
      x: localFrom.x + (localAnchor.x - localFrom.x) * back,
      y: localFrom.y + (localAnchor.y - localFrom.y) * back,
    },
    c,
    target.rotation,
  );
}

/** A line's or arrow's points on the board (its rotation applied). */
function absolutePoints(element: Linear): Point[] {
  const { xy } = element.points;
  const points: Point[] = [];
  for (let i = 0; i < xy.length; i += 2) points.push({ x: element.x + xy[i]!, y: element.y + xy[i + 1]! });
  if (element.rotation === 0 || points.length === 0) return points;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  const c = { x: (minX + maxX) / 2, y: (minY + maxY) / 2 };
  return points.map((p) => rotate(p, c, element.rotation));
}

/** The target of a binding, when it exists and can be bound to (never the element itself). */
function targetOf(
  element: Linear,
  binding: Binding | null,
  lookup: (id: ElementId) => BoardElement | undefined,
): BoardElement | null {
  if (!binding || binding.element === element.id) return null;
  const target = lookup(binding.element);
  return target && isBindable(target) ? target : null;
}

/**
 * The element as drawn: a line's or arrow's bound ends placed on their targets (see `Binding`);
 * any other element, or one whose targets are gone, as it is. A bound element comes back
 * unrotated, its rotation applied to its points.
 */
export function resolveBindings(
  element: BoardElement,
  lookup: (id: ElementId) => BoardElement | undefined,
): BoardElement {
  if (element.kind !== 'line' && element.kind !== 'arrow') return element;
  if (pointCount(element.points) < 2) return element;
  const start = targetOf(element, element.startBinding, lookup);
  const end = targetOf(element, element.endBinding, lookup);
  if (!start && !end) return element;
  const points = absolutePoints(element);
  const last = points.length - 1;
  // Each end aims from its neighbour; a two-point line bound at both ends aims anchor to anchor.
  const startFrom = end && last === 1 ? anchorOf(end, element.endBinding!) : points[1]!;
  const endFrom = start && last === 1 ? anchorOf(start, element.startBinding!) : points[last - 1]!;
  if (start) points[0] = boundEnd(start, element.startBinding!, startFrom);
  if (end) points[last] = boundEnd(end, element.endBinding!, endFrom);
  const xy = new Float32Array(points.length * 2);
  points.forEach((p, i) => {
    xy[i * 2] = p.x - element.x;
    xy[i * 2 + 1] = p.y - element.y;
  });
  const resolved: PointList = { ...element.points, xy };
  return { ...element, rotation: 0, points: resolved };
}

/** Ids an element's ends are bound to. */
export function boundTargets(element: BoardElement): ElementId[] {
  if (element.kind !== 'line' && element.kind !== 'arrow') return [];
  const ids: ElementId[] = [];
  if (element.startBinding) ids.push(element.startBinding.element);
  if (element.endBinding) ids.push(element.endBinding.element);
  return ids;
}

type MaybeBound = { readonly startBinding?: Binding | null; readonly endBinding?: Binding | null };

/**
 * Copies' bindings, given the new id of each original (`ids`): an end bound to an element copied
 * with it is bound to that element's copy; one bound to anything else is left free, where it is.
 * Frames alike: a member copied with its frame belongs to the frame's copy, else to none.
 */
export function rebind<T extends object>(element: T, ids: ReadonlyMap<string, ElementId>): T {
  // A member copied with its frame stays in the copy of the frame; without it, it is on its own.
  const { frame } = element as { frame?: string | null };
  if (frame) element = { ...element, frame: ids.get(frame) ?? null };
  const { startBinding, endBinding } = element as MaybeBound;
  if (!startBinding && !endBinding) return element;
  const follow = (binding: Binding | null | undefined): Binding | null => {
    const copy = binding ? ids.get(binding.element) : undefined;
    return binding && copy ? { ...binding, element: copy } : null;
  };
  return { ...element, startBinding: follow(startBinding), endBinding: follow(endBinding) };
}
