import * as Y from 'yjs';
import { asElementId, type ElementId } from '../ids.js';
import type { Binding } from './bindings.js';
import { isOrderKey } from './order.js';
import { decodePoints, EMPTY_POINTS, encodePoints, type PointList } from './points.js';

/**
 * How one element field is stored in its Y.Map. Reading is forgiving (a value written by an
 * older, newer or hostile peer that does not fit falls back to the default); writing is strict
 * (a wrong value from our own code is a bug and throws).
 */
export interface FieldSpec<T> {
  readonly type:
    | 'number'
    | 'string'
    | 'boolean'
    | 'enum'
    | 'color'
    | 'points'
    | 'text'
    | 'order'
    | 'ids'
    | 'binding'
    | 'crop'
    | 'ref';
  readonly defaultValue: T;
  /** The stored value as T, or undefined when it is missing or malformed. */
  read(stored: unknown): T | undefined;
  /** What to store for `value`; throws TypeError when `value` is not valid for this field. */
  write(value: T): unknown;
}

export type FieldValue<S> = S extends FieldSpec<infer T> ? T : never;

function invalid(type: string, value: unknown): never {
  throw new TypeError(`invalid ${type} field value: ${String(value)}`);
}

interface NumberOptions {
  min?: number;
  max?: number;
}

export function numberField(defaultValue: number, { min = -Infinity, max = Infinity }: NumberOptions = {}) {
  const fits = (v: unknown): v is number =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;
  return {
    type: 'number',
    defaultValue,
    read: (stored) => (fits(stored) ? stored : undefined),
    write: (value) => (fits(value) ? value : invalid('number', value)),
  } satisfies FieldSpec<number>;
}

export function stringField(defaultValue: string, maxLength = 256) {
  const fits = (v: unknown): v is string => typeof v === 'string' && v.length <= maxLength;
  return {
    type: 'string',
    defaultValue,
    read: (stored) => (fits(stored) ? stored : undefined),
    write: (value) => (fits(value) ? value : invalid('string', value)),
  } satisfies FieldSpec<string>;
}

export function booleanField(defaultValue: boolean) {
  return {
    type: 'boolean',
    defaultValue,
    read: (stored) => (typeof stored === 'boolean' ? stored : undefined),
    write: (value) => (typeof value === 'boolean' ? value : invalid('boolean', value)),
  } satisfies FieldSpec<boolean>;
}

export function enumField<const V extends string>(values: readonly V[], defaultValue: V) {
  const fits = (v: unknown): v is V => typeof v === 'string' && (values as readonly string[]).includes(v);
  return {
    type: 'enum',
    defaultValue,
    read: (stored) => (fits(stored) ? stored : undefined),
    write: (value) => (fits(value) ? value : invalid('enum', value)),
  } satisfies FieldSpec<V>;
}

/** A CSS colour as `#rrggbb` or `#rrggbbaa`, or `none` where `allowNone` (fills). */
export type Color = string;
const HEX_COLOR = /^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/;

export function isColor(value: unknown, allowNone = false): value is Color {
  return typeof value === 'string' && (HEX_COLOR.test(value) || (allowNone && value === 'none'));
}

export function colorField(defaultValue: Color, allowNone = false) {
  return {
    type: 'color',
    defaultValue,
    read: (stored) => (isColor(stored, allowNone) ? stored : undefined),
    write: (value) => (isColor(value, allowNone) ? value : invalid('color', value)),
  } satisfies FieldSpec<Color>;
}

/** Points are stored as one compact binary value (see points.ts), about 4 bytes a point. */
export function pointsField() {
  return {
    type: 'points',
    defaultValue: EMPTY_POINTS,
    read: (stored) => (stored instanceof Uint8Array ? (decodePoints(stored) ?? undefined) : undefined),
    write: (value) => encodePoints(value),
  } satisfies FieldSpec<PointList>;
}

/**
 * Text lives in a Y.Text so that two people typing in one sticky note merge character by
 * character; readers see a plain string.
 */
export function textField(maxLength = 100_000) {
  return {
    type: 'text',
    defaultValue: '',
    read: (stored) => (stored instanceof Y.Text ? stored.toString() : undefined),
    write: (value) =>
      typeof value === 'string' && value.length <= maxLength ? new Y.Text(value) : invalid('text', value),
  } satisfies FieldSpec<string>;
}

/** A fractional-index string: elements paint in ascending order of this key (ties by id). */
export type OrderKey = string;

export function orderField() {
  return {
    type: 'order',
    defaultValue: 'a0',
    read: (stored) => (isOrderKey(stored) ? stored : undefined),
    write: (value) => (isOrderKey(value) ? value : invalid('order key', value)),
  } satisfies FieldSpec<OrderKey>;
}

/** A short list of ids (an element's groups, innermost first), stored as one plain array. */
export function idListField(maxItems = 32, maxLength = 64) {
  const fits = (v: unknown): v is readonly string[] =>
    Array.isArray(v) &&
    v.length <= maxItems &&
    v.every((id) => typeof id === 'string' && id.length > 0 && id.length <= maxLength);
  return {
    type: 'ids',
    defaultValue: [] as readonly string[],
    read: (stored) => (fits(stored) ? [...stored] : undefined),
    write: (value) => (fits(value) ? [...value] : invalid('id list', value)),
  } satisfies FieldSpec<readonly string[]>;
}

/** Another element's id, or null (the frame an element belongs to). */
export function elementRefField() {
  const fits = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 64;
  return {
    type: 'ref',
    defaultValue: null as ElementId | null,
    read: (stored) => (stored === null ? null : fits(stored) ? asElementId(stored) : undefined),
    write: (value) => (value === null ? null : fits(value) ? value : invalid('element id', value)),
  } satisfies FieldSpec<ElementId | null>;
}

/** Where a line's or arrow's end is attached (see bindings.ts), stored as one plain object; null: free. */
export function bindingField() {
  const fraction = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  const fits = (v: unknown): v is Binding => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
    const { element, x, y } = v as Record<string, unknown>;
    return (
      typeof element === 'string' && element.length > 0 && element.length <= 64 && fraction(x) && fraction(y)
    );
  };
  return {
    type: 'binding',
    defaultValue: null as Binding | null,
    read: (stored) =>
      fits(stored) ? { element: asElementId(stored.element), x: stored.x, y: stored.y } : undefined,
    write: (value) =>
      value === null
        ? null
        : fits(value)
          ? { element: value.element, x: value.x, y: value.y }
          : invalid('binding', value),
  } satisfies FieldSpec<Binding | null>;
}

/** The part of an image shown: fractions of its width and height (see the `image` kind). */
export interface Crop {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An image's crop, stored as one plain object; null shows the whole picture. */
export function cropField() {
  const fraction = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
  const fits = (v: unknown): v is Crop => {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
    const { x, y, width, height } = v as Record<string, unknown>;
    return (
      fraction(x) &&
      fraction(y) &&
      fraction(width) &&
      fraction(height) &&
      width > 0 &&
      height > 0 &&
      x + width <= 1 + 1e-9 &&
      y + height <= 1 + 1e-9
    );
  };
  return {
    type: 'crop',
    defaultValue: null as Crop | null,
    read: (stored) =>
      fits(stored) ? { x: stored.x, y: stored.y, width: stored.width, height: stored.height } : undefined,
    write: (value) =>
      value === null
        ? null
        : fits(value)
          ? { x: value.x, y: value.y, width: value.width, height: value.height }
          : invalid('crop', value),
  } satisfies FieldSpec<Crop | null>;
}
