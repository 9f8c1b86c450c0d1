import { asElementId, type ElementId } from '../ids.js';
import type { Point } from '../render/bounds.js';
import { MAX_COORDINATE } from '../schema/element-kinds.js';
import { type Color, isColor } from '../schema/fields.js';
import { MAX_POINTS } from '../schema/points.js';

/**
 * What each person in a room publishes through awareness, read forgivingly: a field that is
 * missing or malformed reads as absent, so one odd client (an older board, a stock y-websocket
 * client, a hostile one) never breaks anyone's view.
 */
export interface PresenceState {
  readonly user: PresenceUser;
  /** Where their pointer is on the board, in board units; null when it is off the board. */
  readonly cursor: Point | null;
  readonly selection: readonly ElementId[];
  /** The stroke they are drawing, as a delta (see {@link LiveStrokeDelta}); null when none. */
  readonly live: LiveStrokeDelta | null;
  /** The part of the board they see, in board units (others follow it); null when unknown. */
  readonly view: ViewRect | null;
  /** Their laser pointer's latest points (see {@link LaserPoints}); null when it is off. */
  readonly laser: LaserPoints | null;
  /** They ask everyone in the room to follow their view (each page may decline). */
  readonly spotlight: boolean;
}

/** A rectangle of the board: its top-left corner and size, in board units. */
export interface ViewRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A laser pointer's trail on the wire: the points (x, y pairs, board units) added since the
 * sender's previous update, numbered by `seq`, so a state sent again (with a cursor move, say)
 * is not drawn twice. Receivers fade each point out by the time it arrived; nothing is stored.
 */
export interface LaserPoints {
  readonly seq: number;
  readonly points: readonly number[];
}

export interface PresenceUser {
  readonly name: string;
  readonly color: Color;
}

export type Brush = 'pen' | 'highlighter';

/** A stroke being drawn, before it is committed to the board. */
export interface LiveStroke {
  /** The id the stroke element gets when it is committed: it is shown until that element arrives. */
  readonly element: ElementId;
  readonly brush: Brush;
  readonly color: Color;
  readonly width: number;
  readonly opacity: number;
  /** True when the points carry a pen's pressure; otherwise it is simulated from speed. */
  readonly pressure: boolean;
  /** x, y, pressure triples in board units. */
  readonly points: readonly number[];
}

/**
 * A stroke in progress on the wire: only the points added since the previous update (`start` is
 * the index of the first), so a long stroke is never resent. `done` says the pen is up and the
 * stroke is being committed.
 */
export interface LiveStrokeDelta extends Omit<LiveStroke, 'points'> {
  readonly start: number;
  readonly points: readonly number[];
  readonly done: boolean;
}

/**
 * Presence fields a read-only socket may publish: who it is, where it points (its cursor and its
 * laser), what it selects and what it sees. Not a stroke in progress, nor a call to follow it.
 */
export const VIEWER_PRESENCE_FIELDS: readonly (keyof PresenceState)[] = [
  'user',
  'cursor',
  'selection',
  'view',
  'laser',
];

export const MAX_USER_NAME = 64;
/** Laser points carried by one presence update at most (x, y pairs). */
export const MAX_LASER_POINTS = 64;
/** Selected ids published per person (more are not shown to others). */
export const MAX_SHARED_SELECTION = 1000;
const DEFAULT_COLOR = '#4c6ef5';
/** Element ids are opaque map keys; these bounds only keep them reasonable. */
const isElementKey = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 128;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function readPoint(value: unknown): Point | null {
  const point = record(value);
  if (!point || !finite(point.x) || !finite(point.y)) return null;
  if (Math.abs(point.x) > MAX_COORDINATE || Math.abs(point.y) > MAX_COORDINATE) return null;
  return { x: point.x, y: point.y };
}

function readView(value: unknown): ViewRect | null {
  const view = record(value);
  if (!view) return null;
  const { x, y, width, height } = view;
  if (!finite(x) || !finite(y) || !finite(width) || !finite(height)) return null;
  if (width <= 0 || height <= 0) return null;
  const inside = (n: number) => Math.abs(n) <= MAX_COORDINATE;
  if (!inside(x) || !inside(y) || !inside(x + width) || !inside(y + height)) return null;
  return { x, y, width, height };
}

function readLaser(value: unknown): LaserPoints | null {
  const laser = record(value);
  if (!laser || !Number.isSafeInteger(laser.seq)) return null;
  const { points } = laser;
  if (!Array.isArray(points) || points.length % 2 !== 0 || points.length > MAX_LASER_POINTS * 2) return null;
  if (!points.every((n) => finite(n) && Math.abs(n) <= MAX_COORDINATE)) return null;
  return { seq: laser.seq as number, points: points as number[] };
}

function readUser(value: unknown): PresenceUser | null {
  const user = record(value);
  if (!user || typeof user.name !== 'string') return null;
  return {
    name: user.name.slice(0, MAX_USER_NAME),
    color: isColor(user.color) ? user.color : DEFAULT_COLOR,
  };
}

function readSelection(value: unknown): ElementId[] {
  if (!Array.isArray(value)) return [];
  const ids: ElementId[] = [];
  for (const id of value.slice(0, MAX_SHARED_SELECTION)) if (isElementKey(id)) ids.push(asElementId(id));
  return ids;
}

function readLive(value: unknown): LiveStrokeDelta | null {
  const live = record(value);
  if (!live) return null;
  const { element, brush, color, width, opacity, start, points } = live;
  if (!isElementKey(element)) return null;
  if (brush !== 'pen' && brush !== 'highlighter') return null;
  if (!isColor(color) || !finite(width) || width <= 0 || width > 500) return null;
  if (!finite(opacity) || opacity < 0 || opacity > 1) return null;
  if (!Number.isSafeInteger(start) || (start as number) < 0 || (start as number) >= MAX_POINTS) return null;
  if (!Array.isArray(points) || points.length % 3 !== 0 || points.length > MAX_POINTS * 3) return null;
  if (!points.every(finite)) return null;
  return {
    element: asElementId(element),
    brush,
    color,
    width,
    opacity,
    pressure: live.pressure === true,
    start: start as number,
    points: points as number[],
    done: live.done === true,
  };
}

/** A person's presence as this schema reads it; null for a state with no user (not a person). */
export function readPresence(state: unknown): PresenceState | null {
  const fields = record(state);
  const user = fields && readUser(fields.user);
  if (!fields || !user) return null;
  return {
    user,
    cursor: readPoint(fields.cursor),
    selection: readSelection(fields.selection),
    live: readLive(fields.live),
    view: readView(fields.view),
    laser: readLaser(fields.laser),
    spotlight: fields.spotlight === true,
  };
}

/**
 * The stroke a delta makes of the one shown so far: points appended at `start`. A delta that
 * does not follow on (we joined mid-stroke, or missed one) leaves the stroke as it was, to be
 * replaced by the committed element.
 */
export function followLiveStroke(current: LiveStroke | null, delta: LiveStrokeDelta): LiveStroke | null {
  const same = current !== null && current.element === delta.element;
  if (delta.start > 0 && !(same && current.points.length >= delta.start * 3)) return same ? current : null;
  const points = same ? current.points.slice(0, delta.start * 3) : [];
  for (const value of delta.points) points.push(value);
  const { start: _start, done: _done, points: _points, ...style } = delta;
  return { ...style, points };
}
