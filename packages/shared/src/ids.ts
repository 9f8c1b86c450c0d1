declare const brand: unique symbol;

/** A string that the type system keeps apart from other strings of another meaning. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** The key of one element in `doc.getMap('elements')`. */
export type ElementId = Brand<string, 'ElementId'>;

/** The name of a room: the WebSocket URL path after `/`, percent-decoded. */
export type RoomId = Brand<string, 'RoomId'>;

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string from the platform CSPRNG (Node >= 20 and every browser have `crypto`). */
export function randomId(length = 16): string {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  let out = '';
  for (const byte of bytes) out += ID_ALPHABET[byte % ID_ALPHABET.length];
  return out;
}

/** A fresh element id: 16 base62 characters (~95 bits), so concurrent creators never collide. */
export function newElementId(): ElementId {
  return randomId(16) as ElementId;
}

/** Element ids are opaque; this only checks that a map key can be one. */
export function asElementId(key: string): ElementId {
  return key as ElementId;
}

/** Longest room name accepted, in UTF-16 code units. */
export const MAX_ROOM_ID_LENGTH = 256;

// Control characters have no business in a room name: they break logs and storage keys.
function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Validates a room name; returns null when it is empty, too long, holds control characters, or
 * is `.` or `..` (URLs drop those path segments, so no client could reach such a room).
 */
export function parseRoomId(name: string): RoomId | null {
  if (name.length === 0 || name.length > MAX_ROOM_ID_LENGTH || name === '.' || name === '..') return null;
  if (hasControlCharacter(name)) return null;
  return name as RoomId;
}
