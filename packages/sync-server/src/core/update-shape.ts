import { CloseCode, ProtocolError } from '@inkroom/shared';
import * as decoding from 'lib0/decoding';

/**
 * What an update may hold before the server integrates it. Yjs's cost grows with the structs,
 * client ids and delete ranges an update carries (and worse, with some arrangements of them), so
 * they are counted from the update's bytes first. Bytes are bounded by `maxMessageBytes`.
 */
export interface UpdateLimits {
  /** Structs (items, deletions, gaps), and values in lists of values, one update may carry. */
  maxUpdateStructs: number;
  /** Client ids one update may carry structs or deletions for. */
  maxUpdateClients: number;
  /** Delete ranges one update may carry. */
  maxUpdateDeleteRanges: number;
}

/**
 * No limit but the frame's: for what the server trusts, the operator's own imports and its own
 * stored content (still read and cut in pieces).
 */
export const NO_UPDATE_LIMITS: UpdateLimits = {
  maxUpdateStructs: Number.POSITIVE_INFINITY,
  maxUpdateClients: Number.POSITIVE_INFINITY,
  maxUpdateDeleteRanges: Number.POSITIVE_INFINITY,
};

/** Struct info bits and content refs of Yjs's update format (v1), from `Item.write`. */
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;
const HAS_PARENT_SUB = 0x20;
const CONTENT_REF = 0x1f;
const REF_GC = 0;
const REF_SKIP = 10;
const REF_JSON = 2;
const REF_ANY = 8;
const TYPE_XML_ELEMENT = 3;
const TYPE_XML_HOOK = 5;
/** Yjs's shared types: array, map, text, XML element, fragment, hook, text (0 to 6). */
const MAX_TYPE_REF = 6;

/** One client's structs: where they start and how far each reaches. */
export interface StructRun {
  readonly client: number;
  readonly clock: number;
  /** Index of the run's first struct in `structStart`/`structClock`. */
  readonly first: number;
  readonly count: number;
  /** Byte offset after its last struct. */
  end: number;
  /** Clients whose items its structs point at (its own included). */
  readonly refs: Set<number>;
}

/** One client's delete ranges: index of the first in `rangeStart`, how many, where they end. */
interface DeleteEntry {
  readonly client: number;
  readonly first: number;
  readonly count: number;
  end: number;
}

/**
 * An update read without integrating it: its structs per client (each struct's byte offset and
 * clock) and its delete ranges. It can be cut into smaller updates (`UpdateSlicer`)
 * that, applied in order, integrate to the same document.
 */
export interface UpdateShape {
  readonly bytes: Uint8Array;
  readonly runs: readonly StructRun[];
  readonly deletes: readonly DeleteEntry[];
  readonly structs: number;
  /** Structs plus the values of lists of values (what Yjs decodes one by one). */
  readonly weight: number;
  readonly deleteRanges: number;
  /** Byte offset of struct i (a run's last struct ends at `run.end`). */
  readonly structStart: Uint32Array;
  /** Clock of struct i. */
  readonly structClock: Float64Array;
  /** Byte offset of delete range i (an entry's last range ends at `entry.end`). */
  readonly rangeStart: Uint32Array;
}

function tooCostly(what: string): ProtocolError {
  return new ProtocolError(CloseCode.UpdateTooCostly, what);
}

function malformed(what: string): ProtocolError {
  return new ProtocolError(CloseCode.InvalidUpdate, `update does not decode: ${what}`);
}

/** Skips a length-prefixed byte string (a string or a buffer), returning where it starts. */
function skipBytes(decoder: decoding.Decoder): number {
  const length = decoding.readVarUint(decoder);
  const start = decoder.pos;
  if (length > decoder.arr.length - start) throw malformed('bytes past the end');
  decoder.pos += length;
  return start;
}

function skipFixed(decoder: decoding.Decoder, length: number): void {
  if (length > decoder.arr.length - decoder.pos) throw malformed('bytes past the end');
  decoder.pos += length;
}

/** Skips a string, returning its length in UTF-16 code units (what Yjs counts clocks in). */
function skipString(decoder: decoding.Decoder): number {
  const start = skipBytes(decoder);
  const bytes = decoder.arr;
  let units = 0;
  for (let i = start; i < decoder.pos; i++) {
    const byte = bytes[i]!;
    // A lead byte starts a code point; four-byte ones are two UTF-16 units.
    if ((byte & 0xc0) !== 0x80) units += byte >= 0xf0 ? 2 : 1;
  }
  return units;
}

/** Deepest nesting of values accepted (lib0's own reader would recurse until the stack ends). */
const MAX_ANY_DEPTH = 100;

/** Skips one value of lib0's `any` encoding without building it. */
function skipAny(decoder: decoding.Decoder, depth = 0): void {
  if (depth > MAX_ANY_DEPTH) throw malformed('values nested too deep');
  const type = decoding.readUint8(decoder);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // integer
      decoding.readVarInt(decoder);
      return;
    case 124: // float32
      skipFixed(decoder, 4);
      return;
    case 123: // float64
    case 122: // bigint64
      skipFixed(decoder, 8);
      return;
    case 119: // string
    case 116: // Uint8Array
      skipBytes(decoder);
      return;
    case 118: {
      const count = readCount(decoder, 'object key');
      for (let i = 0; i < count; i++) {
        skipBytes(decoder);
        skipAny(decoder, depth + 1);
      }
      return;
    }
    case 117: {
      const count = readCount(decoder, 'array item');
      for (let i = 0; i < count; i++) skipAny(decoder, depth + 1);
      return;
    }
    default:
      throw malformed(`value type ${type}`);
  }
}

/** A declared count no larger than the bytes left (each entry takes at least one). */
function readCount(decoder: decoding.Decoder, what: string): number {
  const count = decoding.readVarUint(decoder);
  if (count > decoder.arr.length - decoder.pos) throw malformed(`${what} count past the end`);
  return count;
}

/** Skips one item's content, returning its length in clocks. */
function skipContent(decoder: decoding.Decoder, ref: number): number {
  switch (ref) {
    case 1: // deleted
      return decoding.readVarUint(decoder);
    case 2: {
      const count = readCount(decoder, 'JSON');
      for (let i = 0; i < count; i++) skipBytes(decoder);
      return count;
    }
    case 3: // binary
    case 5: // embed
      skipBytes(decoder);
      return 1;
    case 4:
      return skipString(decoder);
    case 6: // format: key, value
      skipBytes(decoder);
      skipBytes(decoder);
      return 1;
    case 7: {
      const typeRef = decoding.readVarUint(decoder);
      if (typeRef > MAX_TYPE_REF) throw malformed(`type ${typeRef}`);
      if (typeRef === TYPE_XML_ELEMENT || typeRef === TYPE_XML_HOOK) skipBytes(decoder);
      return 1;
    }
    case 8: {
      const count = readCount(decoder, 'value');
      for (let i = 0; i < count; i++) skipAny(decoder);
      return count;
    }
    case 9: // subdocument: guid, options
      skipBytes(decoder);
      skipAny(decoder);
      return 1;
    default:
      throw malformed(`content type ${ref}`);
  }
}

/**
 * Skips one struct, returning its length in clocks; values of a list of values add to `tally`,
 * and the clients of the items it points at (origins, parent) to `refs`.
 */
function skipStruct(decoder: decoding.Decoder, tally: { values: number }, refs: Set<number>): number {
  const info = decoding.readUint8(decoder);
  const ref = info & CONTENT_REF;
  if (ref === REF_GC || ref === REF_SKIP) return decoding.readVarUint(decoder);
  if (info & HAS_ORIGIN) {
    refs.add(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
  }
  if (info & HAS_RIGHT_ORIGIN) {
    refs.add(decoding.readVarUint(decoder));
    decoding.readVarUint(decoder);
  }
  if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
    // Neither origin: the parent is written, a root type's name or an item's id.
    if (decoding.readVarUint(decoder) === 1) skipBytes(decoder);
    else {
      refs.add(decoding.readVarUint(decoder));
      decoding.readVarUint(decoder);
    }
    if (info & HAS_PARENT_SUB) skipBytes(decoder);
  }
  const length = skipContent(decoder, ref);
  if (ref === REF_JSON || ref === REF_ANY) tally.values += length;
  return length;
}

/**
 * Reads an update's structure against `limits`, without integrating it. Throws ProtocolError:
 * 4414 (UpdateTooCostly) past a limit, or for a delete set not in the order Yjs writes it
 * (ranges sorted and apart, each client once: out of order, Yjs would walk or split the same
 * structs again for each range); 4422 for bytes that do not decode. Declared counts are checked
 * against the bytes left, so a header claiming billions of structs costs nothing.
 */
export function inspectUpdate(bytes: Uint8Array, limits: UpdateLimits): UpdateShape {
  const reading = readUpdateShape(bytes, limits);
  for (;;) {
    const step = reading.next();
    if (step.done) return step.value;
  }
}

/** Structs, or bytes, `readUpdateShape` reads between two pauses. */
const READ_STEP_STRUCTS = 2048;
const READ_STEP_BYTES = 128 * 1024;

/**
 * `inspectUpdate` in steps: pauses (yields) every few thousand structs or delete ranges, or every
 * 128 KiB, so a large update can be read a step per turn of the event loop. Throws what
 * `inspectUpdate` throws, from the step that finds it.
 */
export function* readUpdateShape(
  bytes: Uint8Array,
  limits: UpdateLimits,
): Generator<void, UpdateShape, void> {
  const decoder = decoding.createDecoder(bytes);
  let pauseAt = READ_STEP_STRUCTS;
  let pauseAtByte = READ_STEP_BYTES;
  try {
    const clientCount = readCount(decoder, 'client');
    if (clientCount > limits.maxUpdateClients) throw tooCostly(`${clientCount} client ids`);
    const runs: StructRun[] = [];
    const seen = new Set<number>();
    const tally = { values: 0 };
    const starts: number[] = [];
    const clocks: number[] = [];
    for (let i = 0; i < clientCount; i++) {
      const count = readCount(decoder, 'struct');
      if (starts.length + tally.values + count > limits.maxUpdateStructs)
        throw tooCostly(`more than ${limits.maxUpdateStructs} structs and values`);
      const client = decoding.readVarUint(decoder);
      let clock = decoding.readVarUint(decoder);
      if (seen.has(client)) throw malformed('a client listed twice');
      seen.add(client);
      const run: StructRun = { client, clock, first: starts.length, count, end: 0, refs: new Set() };
      for (let s = 0; s < count; s++) {
        starts.push(decoder.pos);
        clocks.push(clock);
        clock += skipStruct(decoder, tally, run.refs);
        if (starts.length + tally.values > limits.maxUpdateStructs)
          throw tooCostly(`more than ${limits.maxUpdateStructs} structs and values`);
        if (starts.length >= pauseAt || decoder.pos >= pauseAtByte) {
          yield;
          pauseAt = starts.length + READ_STEP_STRUCTS;
          pauseAtByte = decoder.pos + READ_STEP_BYTES;
        }
      }
      run.end = decoder.pos;
      runs.push(run);
    }
    starts.push(decoder.pos);
    const deletes: DeleteEntry[] = [];
    const rangeStarts: number[] = [];
    pauseAt = READ_STEP_STRUCTS;
    const deleteClients = readCount(decoder, 'delete set client');
    if (deleteClients > limits.maxUpdateClients) throw tooCostly(`deletions for ${deleteClients} client ids`);
    const deleteSeen = new Set<number>();
    for (let i = 0; i < deleteClients; i++) {
      const client = decoding.readVarUint(decoder);
      const count = readCount(decoder, 'delete range');
      if (rangeStarts.length + count > limits.maxUpdateDeleteRanges)
        throw tooCostly(`more than ${limits.maxUpdateDeleteRanges} delete ranges`);
      if (deleteSeen.has(client)) throw tooCostly('delete set lists a client twice');
      deleteSeen.add(client);
      const entry: DeleteEntry = { client, first: rangeStarts.length, count, end: 0 };
      deletes.push(entry);
      let end = 0;
      for (let r = 0; r < count; r++) {
        rangeStarts.push(decoder.pos);
        const clock = decoding.readVarUint(decoder);
        const length = decoding.readVarUint(decoder);
        if (clock < end) throw tooCostly('delete ranges out of order or overlapping');
        end = clock + length;
        if (rangeStarts.length >= pauseAt) {
          yield;
          pauseAt = rangeStarts.length + READ_STEP_STRUCTS;
        }
      }
      entry.end = decoder.pos;
    }
    rangeStarts.push(decoder.pos);
    if (decoding.hasContent(decoder)) throw malformed('bytes after the delete set');
    return {
      bytes,
      runs,
      deletes,
      structs: starts.length - 1,
      // A list of values is one struct, but Yjs decodes each value.
      weight: starts.length - 1 + tally.values,
      deleteRanges: rangeStarts.length - 1,
      structStart: Uint32Array.from(starts),
      structClock: Float64Array.from(clocks),
      rangeStart: Uint32Array.from(rangeStarts),
    };
  } catch (error) {
    if (error instanceof ProtocolError) throw error;
    throw malformed((error as Error).message);
  }
}

/** The lowest clock the update carries structs at, per client (for the retired-content check). */
export function firstClocks(shape: UpdateShape): Iterable<[client: number, clock: number]> {
  return shape.runs.filter((run) => run.count > 0).map((run) => [run.client, run.clock] as [number, number]);
}
