import * as encoding from 'lib0/encoding';

/**
 * Yjs updates (format v1) built byte by byte, the way a hostile client would: valid-looking,
 * cheap to send and, without limits, expensive to integrate. Each builder says what it costs
 * Yjs. Client ids are small so the structs are small.
 */

/** Struct info bits (Yjs `Item.write`). */
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const CONTENT_STRING = 4;

interface Id {
  client: number;
  clock: number;
}

interface CraftedStruct {
  origin?: Id;
  rightOrigin?: Id;
  /** Root type name, for a struct with neither origin. */
  parent?: string;
  text: string;
}

interface CraftedRun {
  client: number;
  clock: number;
  structs: CraftedStruct[];
}

interface DeleteRanges {
  client: number;
  ranges: [clock: number, length: number][];
}

function writeId(encoder: encoding.Encoder, id: Id): void {
  encoding.writeVarUint(encoder, id.client);
  encoding.writeVarUint(encoder, id.clock);
}

/** Encodes runs of string structs and a delete set as one update. */
export function encodeCrafted(
  runs: readonly CraftedRun[],
  deletes: readonly DeleteRanges[] = [],
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, runs.length);
  for (const run of runs) {
    encoding.writeVarUint(encoder, run.structs.length);
    encoding.writeVarUint(encoder, run.client);
    encoding.writeVarUint(encoder, run.clock);
    for (const struct of run.structs) {
      const info =
        CONTENT_STRING | (struct.origin ? HAS_ORIGIN : 0) | (struct.rightOrigin ? HAS_RIGHT_ORIGIN : 0);
      encoding.writeUint8(encoder, info);
      if (struct.origin) writeId(encoder, struct.origin);
      if (struct.rightOrigin) writeId(encoder, struct.rightOrigin);
      if (!struct.origin && !struct.rightOrigin) {
        encoding.writeVarUint(encoder, 1);
        encoding.writeVarString(encoder, struct.parent ?? 't');
      }
      encoding.writeVarString(encoder, struct.text);
    }
  }
  encoding.writeVarUint(encoder, deletes.length);
  for (const entry of deletes) {
    encoding.writeVarUint(encoder, entry.client);
    encoding.writeVarUint(encoder, entry.ranges.length);
    for (const [clock, length] of entry.ranges) {
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarUint(encoder, length);
    }
  }
  return encoding.toUint8Array(encoder);
}

/** A chain of `count` one-character structs by `client`, each after the previous one. */
function chain(client: number, count: number, after?: Id): CraftedRun {
  const structs: CraftedStruct[] = [];
  for (let clock = 0; clock < count; clock++) {
    const origin = clock === 0 ? after : { client, clock: clock - 1 };
    structs.push(origin ? { origin, text: 'a' } : { text: 'a' });
  }
  return { client, clock: 0, structs };
}

/**
 * `clients` × `perClient` one-character inserts (default a million, about 6.7 MiB): Yjs
 * integrates each as an item of its own, a couple of microseconds apiece.
 */
export function manyStructs(clients = 1000, perClient = 1000): Uint8Array {
  const runs: CraftedRun[] = [];
  for (let i = 0; i < clients; i++) runs.push(chain(10_000 + i, perClient));
  return encodeCrafted(runs);
}

/**
 * Concurrent inserts that make integration quadratic (about 80 KB): a chain of `length` items
 * after a first character, then `inserts` items from lower client ids (Yjs integrates higher
 * ids first), each claiming to go between that character and a different item near the chain's end. Each
 * one's conflict scan walks the chain.
 */
export function concurrentInserts(length = 3500, inserts = 3500): Uint8Array {
  const top = 1_000_000;
  const runs: CraftedRun[] = [chain(top, length)];
  const first = { client: top, clock: 0 };
  for (let i = 0; i < inserts; i++) {
    // Right origins all differ, so no insert stops at another's (Yjs's conflict rule).
    const rightOrigin = { client: top, clock: length - 1 - (i % (length - 1)) };
    runs.push({ client: 100 + i, clock: 0, structs: [{ origin: first, rightOrigin, text: 'b' }] });
  }
  return encodeCrafted(runs);
}

/**
 * A chain of `length` separate items, and a delete set naming all of them `repeats` times:
 * Yjs walks the items once per range, deleted or not.
 */
export function rescanningDeletes(length = 20_000, repeats = 5000): Uint8Array {
  const client = 7;
  const ranges: [number, number][] = Array.from({ length: repeats }, () => [0, length]);
  return encodeCrafted([chain(client, length)], [{ client, ranges }]);
}

/**
 * One struct of `length` characters, then single-character deletes from its end backwards:
 * each splits the first struct and splices the struct list near its front.
 */
export function descendingDeletes(length = 200_000, deletes = 60_000): Uint8Array {
  const client = 9;
  const ranges: [number, number][] = [];
  for (let i = 0; i < deletes; i++) ranges.push([length - 2 - 2 * i, 1]);
  return encodeCrafted([{ client, clock: 0, structs: [{ text: 'a'.repeat(length) }] }], [{ client, ranges }]);
}

/**
 * One struct of `length` characters, then single-character deletes in ascending order (what
 * Yjs writes): each splits the struct's remainder, at the end of the struct list. Within limits.
 */
export function ascendingSplits(length = 200_000, deletes = 60_000): Uint8Array {
  const client = 11;
  const ranges: [number, number][] = [];
  for (let i = 0; i < deletes; i++) ranges.push([2 * i, 1]);
  return encodeCrafted([{ client, clock: 0, structs: [{ text: 'a'.repeat(length) }] }], [{ client, ranges }]);
}

/** A header declaring 2^32-1 structs, followed by a handful of bytes. */
export function hugeDeclaredCount(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 2 ** 32 - 1);
  encoding.writeVarUint(encoder, 5);
  encoding.writeVarUint(encoder, 0);
  for (let i = 0; i < 16; i++) encoding.writeUint8(encoder, CONTENT_STRING);
  return encoding.toUint8Array(encoder);
}
