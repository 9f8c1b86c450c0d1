import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import type { OrderKey } from './fields.js';

/*
 * Z-order is a fractional-index string per element (the `fractional-indexing` package), never a
 * position in an array: a reorder writes one field, so concurrent reorders by different people
 * merge like any other field edit. Two people may pick the same key at the same moment; ties
 * then break by element id, the same way on every peer.
 */

/** Longest key accepted from the document; real keys stay far shorter. */
export const MAX_ORDER_KEY_LENGTH = 128;
const BASE62 = /^[0-9A-Za-z]+$/;
const SMALLEST_INTEGER = `A${'0'.repeat(26)}`;

/** True when `value` is a key that `fractional-indexing` accepts (checked without throwing). */
export function isOrderKey(value: unknown): value is OrderKey {
  if (typeof value !== 'string' || value.length < 2 || value.length > MAX_ORDER_KEY_LENGTH) return false;
  if (!BASE62.test(value)) return false;
  const head = value.charCodeAt(0);
  // The head letter encodes the integer part's length: a..z for 1..26 digits, Z..A for 1..26 more.
  let integerLength: number;
  if (head >= 97 && head <= 122) integerLength = head - 97 + 2;
  else if (head >= 65 && head <= 90) integerLength = 90 - head + 2;
  else return false;
  if (value.length < integerLength) return false;
  if (value.length > integerLength && value.endsWith('0')) return false;
  return value.slice(0, integerLength) !== SMALLEST_INTEGER;
}

/** Paint order: ascending key, then ascending id. */
export function compareOrder(a: { z: OrderKey; id: string }, b: { z: OrderKey; id: string }): number {
  if (a.z !== b.z) return a.z < b.z ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A key strictly between `lower` and `upper` (null: unbounded). Requires lower < upper. */
export function keyBetween(lower: OrderKey | null, upper: OrderKey | null): OrderKey {
  return generateKeyBetween(lower, upper);
}

/** `count` ascending keys strictly between `lower` and `upper`. */
export function keysBetween(lower: OrderKey | null, upper: OrderKey | null, count: number): OrderKey[] {
  return generateNKeysBetween(lower, upper, count);
}

/**
 * `count` ascending keys that place new elements just above `sortedKeys[index - 1]` and below
 * the next larger key (keys may repeat after concurrent edits, so equal neighbours are skipped).
 * `index` 0 means below everything, `sortedKeys.length` above everything.
 */
export function keysAt(sortedKeys: readonly OrderKey[], index: number, count = 1): OrderKey[] {
  const lower = index > 0 ? (sortedKeys[index - 1] ?? null) : null;
  let upperIndex = index;
  while (upperIndex < sortedKeys.length && lower !== null && sortedKeys[upperIndex] === lower) upperIndex++;
  const upper = sortedKeys[upperIndex] ?? null;
  return keysBetween(lower, upper, count);
}
