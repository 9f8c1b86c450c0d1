import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * The points of a freehand stroke, line or arrow, relative to the element's `x`/`y`.
 * `xy` holds x0, y0, x1, y1, ...; `pressure` holds one value in [0, 1] per point, or is null
 * when the input device reported none.
 */
export interface PointList {
  readonly xy: Float32Array;
  readonly pressure: Float32Array | null;
  /** Coordinates are kept to 2^-precision units when stored (default 2: 1/4 unit). */
  readonly precision?: number;
}

/** Number of points in a list. */
export function pointCount(points: PointList): number {
  return points.xy.length >> 1;
}

/**
 * Builds a point list from `[x, y, pressure?]` tuples (pressure kept only when every point has
 * one). A stroke drawn zoomed in should ask for a finer `precision`.
 */
export function pointsFrom(
  tuples: ReadonlyArray<readonly [number, number, number?]>,
  precision?: number,
): PointList {
  const xy = new Float32Array(tuples.length * 2);
  const hasPressure = tuples.length > 0 && tuples.every((t) => t[2] !== undefined);
  const pressure = hasPressure ? new Float32Array(tuples.length) : null;
  tuples.forEach((t, i) => {
    xy[i * 2] = t[0];
    xy[i * 2 + 1] = t[1];
    if (pressure) pressure[i] = t[2] ?? 0.5;
  });
  return precision === undefined ? { xy, pressure } : { xy, pressure, precision };
}

export const EMPTY_POINTS: PointList = { xy: new Float32Array(0), pressure: null };

/*
 * Wire format, version 1 (stored as one binary value in the element's Y.Map, so Yjs
 * copies it verbatim into the encoded document):
 *   u8      format version (1)
 *   u8      flags: bit 0 = has pressure
 *   u8      q: coordinates are integers in units of 2^-q (q = 2: 1/4 px)
 *   varuint point count
 *   then per point: varint dx, varint dy (delta from the previous point, the first from 0,0)
 *   and, with pressure, varint dp (delta of round(pressure * 255)).
 * Successive freehand samples are a few pixels apart, so a point costs 2-5 bytes.
 */
const FORMAT_VERSION = 1;
const FLAG_PRESSURE = 1;
/** Default coordinate precision: 1/4 of a board unit (a stroke drawn zoomed in should ask for more). */
export const DEFAULT_POINT_PRECISION = 2;
const MAX_PRECISION = 8;
const PRESSURE_STEPS = 255;

/** Largest coordinate or size accepted: far beyond any real board, small enough to stay exact. */
export const MAX_COORDINATE = 1e9;

function invalidPoints(reason: string): never {
  throw new TypeError(`invalid points: ${reason}`);
}

/**
 * Encodes a point list compactly; precision `q` keeps coordinates to 2^-q units. Throws
 * TypeError for a coordinate that is not a finite number within ±{@link MAX_COORDINATE} or a
 * pressure outside [0, 1] (an infinite one would never finish encoding).
 */
export function encodePoints(points: PointList, q = points.precision ?? DEFAULT_POINT_PRECISION): Uint8Array {
  if (!Number.isInteger(q) || q < 0 || q > MAX_PRECISION) invalidPoints(`precision ${q}`);
  if (points.xy.length % 2 !== 0) invalidPoints('xy holds an odd number of values');
  if (pointCount(points) > MAX_POINTS) invalidPoints(`more than ${MAX_POINTS} points`);
  if (points.pressure && points.pressure.length !== pointCount(points))
    invalidPoints('pressure must have one value per point');
  for (const v of points.xy)
    if (!(Math.abs(v) <= MAX_COORDINATE)) invalidPoints(`coordinate ${v} is not within ±${MAX_COORDINATE}`);
  if (points.pressure)
    for (const p of points.pressure) if (!(p >= 0 && p <= 1)) invalidPoints(`pressure ${p}`);
  const scale = 2 ** q;
  const count = pointCount(points);
  const enc = encoding.createEncoder();
  encoding.writeUint8(enc, FORMAT_VERSION);
  encoding.writeUint8(enc, points.pressure ? FLAG_PRESSURE : 0);
  encoding.writeUint8(enc, q);
  encoding.writeVarUint(enc, count);
  let px = 0;
  let py = 0;
  let pp = 0;
  for (let i = 0; i < count; i++) {
    const x = Math.round((points.xy[i * 2] ?? 0) * scale);
    const y = Math.round((points.xy[i * 2 + 1] ?? 0) * scale);
    encoding.writeVarInt(enc, x - px);
    encoding.writeVarInt(enc, y - py);
    px = x;
    py = y;
    if (points.pressure) {
      const p = Math.round((points.pressure[i] ?? 0) * PRESSURE_STEPS);
      encoding.writeVarInt(enc, p - pp);
      pp = p;
    }
  }
  return encoding.toUint8Array(enc);
}

/** Most points one stroke may hold; a larger count in stored bytes is treated as corrupt. */
export const MAX_POINTS = 1 << 20;

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

/**
 * Decodes bytes made by {@link encodePoints}; returns null when they are not a valid point list.
 * Values another writer stored beyond what {@link encodePoints} accepts are clamped into range,
 * so whatever is read can be written back (moved, resized, split, exported and imported).
 */
export function decodePoints(bytes: Uint8Array): PointList | null {
  // The header through lib0; the body, where a board's load spends its time (10,000 strokes of
  // 50 points are 1.5 million varints), read inline: lib0's readVarInt through a decoder object
  // took three times as long.
  let count: number;
  let pos: number;
  let flags: number;
  let q: number;
  try {
    const dec = decoding.createDecoder(bytes);
    if (decoding.readUint8(dec) !== FORMAT_VERSION) return null;
    flags = decoding.readUint8(dec);
    q = decoding.readUint8(dec);
    count = decoding.readVarUint(dec);
    pos = dec.pos;
  } catch {
    return null;
  }
  if (q > MAX_PRECISION) return null;
  // Each point takes at least two bytes, which bounds what a forged count can allocate.
  if (count > MAX_POINTS || count * 2 > bytes.length) return null;
  const scale = 2 ** -q;
  const xy = new Float32Array(count * 2);
  const pressure = flags & FLAG_PRESSURE ? new Float32Array(count) : null;
  const values = pressure ? 3 : 2;
  const end = bytes.length;
  const sums = [0, 0, 0];
  for (let i = 0; i < count; i++) {
    for (let v = 0; v < values; v++) {
      // lib0's writeVarInt: the first byte holds 6 bits and the sign, the next ones 7 bits each;
      // the top bit says more follow.
      if (pos >= end) return null;
      let byte = bytes[pos++]!;
      let magnitude = byte & 0x3f;
      const negative = (byte & 0x40) !== 0;
      let weight = 64;
      while (byte & 0x80) {
        if (pos >= end) return null;
        byte = bytes[pos++]!;
        magnitude += (byte & 0x7f) * weight;
        weight *= 128;
        // As lib0: too large only if more bytes follow.
        if (byte & 0x80 && magnitude > Number.MAX_SAFE_INTEGER) return null;
      }
      // Hundreds of continuation bytes make the weight infinite and the value NaN: not a point.
      if (Number.isNaN(magnitude)) return null;
      sums[v]! += negative ? -magnitude : magnitude;
    }
    xy[i * 2] = clamp(sums[0]! * scale, -MAX_COORDINATE, MAX_COORDINATE);
    xy[i * 2 + 1] = clamp(sums[1]! * scale, -MAX_COORDINATE, MAX_COORDINATE);
    if (pressure) pressure[i] = clamp(sums[2]! / PRESSURE_STEPS, 0, 1);
  }
  if (pos !== end) return null;
  return q === DEFAULT_POINT_PRECISION ? { xy, pressure } : { xy, pressure, precision: q };
}
