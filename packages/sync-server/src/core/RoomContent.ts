import { CloseCode, changesElements, ProtocolError } from '@inkroom/shared';
import * as Y from 'yjs';

/** An update holding nothing (what an empty Y.Doc encodes to). */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * Stored bytes past this size are read off the event loop (`StoredReader`): reading them on it
 * costs about 50 ms a MiB (a 100,000-element board's state vector held every room for 800 ms).
 */
const OFF_LOOP_BYTES = 512 * 1024;

/** What reads a large board's stored bytes off the event loop (the `Compactor`'s worker). */
export interface StoredReader {
  merge(updates: readonly Uint8Array[]): Promise<Uint8Array>;
  stateVector(updates: readonly Uint8Array[]): Promise<Uint8Array>;
  diff(updates: readonly Uint8Array[], stateVector: Uint8Array): Promise<Uint8Array>;
}

function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}

/** Throws ProtocolError (4400) for a state vector that does not decode. */
export function checkStateVector(stateVector: Uint8Array): void {
  try {
    Y.decodeStateVector(stateVector);
  } catch {
    throw new ProtocolError(CloseCode.MalformedMessage, 'undecodable state vector');
  }
}

/** Thrown when the room's own stored bytes do not decode: the room must not be used. */
export class CorruptRoomError extends Error {
  override readonly name = 'CorruptRoomError';
}

/**
 * A room's document. It stays as the bytes read from storage until a client writes: a board
 * that people only open is answered from those bytes (for a fresh client, the bytes themselves)
 * and never costs a Y.Doc. The first write turns it into a live Y.Doc, which from then on
 * validates updates, holds back those with missing dependencies and feeds `onUpdate`.
 */
/**
 * What the live doc integrated: the update, its origin (the member that sent it), and whether it
 * changed the board's elements (not only its schema stamp).
 */
export type IntegratedListener = (update: Uint8Array, origin: unknown, elements: boolean) => void;

export class RoomContent {
  private doc: Y.Doc | null = null;
  /** The doc is being built from the stored bytes (see beginLoading): they still answer reads. */
  private loading = false;
  private encoded: Uint8Array | null;
  /** The stored bytes' state vector, once asked for. */
  private vector: Promise<Uint8Array> | null = null;

  private constructor(
    encoded: Uint8Array,
    private readonly integrated: IntegratedListener,
    private readonly reader: StoredReader,
  ) {
    this.encoded = encoded;
  }

  /** The doc's update event, told whether the transaction changed the board's elements. */
  private readonly onUpdate = (
    update: Uint8Array,
    origin: unknown,
    _doc: Y.Doc,
    transaction: Y.Transaction,
  ) => this.integrated(update, origin, changesElements(transaction));

  /**
   * From stored updates (snapshot first), merged off the event loop when large; rejects with
   * CorruptRoomError when they do not merge.
   */
  static async fromStored(
    updates: readonly Uint8Array[],
    onUpdate: IntegratedListener,
    reader: StoredReader,
  ): Promise<RoomContent> {
    if (updates.length === 0) return new RoomContent(EMPTY_UPDATE, onUpdate, reader);
    const bytes = updates.reduce((sum, update) => sum + update.length, 0);
    const merged = await readStored(
      bytes,
      () => reader.merge(updates),
      () => (updates.length === 1 ? updates[0]! : Y.mergeUpdates([...updates])),
    );
    return new RoomContent(merged, onUpdate, reader);
  }

  /** True once a write has made the content a live Y.Doc. */
  get isLive(): boolean {
    return this.doc !== null && !this.loading;
  }

  /**
   * Starts making the content a live Y.Doc, its stored bytes to be integrated piece by piece
   * (`loadPiece`, then `finishLoading`) so a large board does not hold the event loop; reads are
   * answered from the bytes meanwhile. Returns the bytes to cut.
   */
  beginLoading(): Uint8Array {
    this.doc = new Y.Doc();
    this.loading = true;
    return this.encoded!;
  }

  /** Size of the stored bytes while the content is not live. */
  get storedBytes(): number {
    return this.encoded?.length ?? 0;
  }

  get isLoading(): boolean {
    return this.loading;
  }

  loadPiece(piece: Uint8Array): void {
    this.guard(() => Y.applyUpdate(this.doc!, piece));
  }

  finishLoading(): void {
    this.loading = false;
    this.doc!.on('update', this.onUpdate);
    this.encoded = null;
    this.vector = null;
  }

  /** The content's state vector: the doc's once live, else the stored bytes' (read once). */
  async stateVector(): Promise<Uint8Array> {
    if (this.isLive) return Y.encodeStateVector(this.doc!);
    const encoded = this.encoded!;
    this.vector ??= readStored(
      encoded.length,
      () => this.reader.stateVector([encoded]),
      () => Y.encodeStateVectorFromUpdate(encoded),
    );
    const vector = await this.vector;
    // A write made the content live meanwhile: the doc is further along.
    return this.isLive ? Y.encodeStateVector(this.doc!) : vector;
  }

  /**
   * What a peer at `stateVector` lacks: computed at once from a live doc or small stored bytes,
   * off the event loop from large ones. Throws ProtocolError for a state vector that does not
   * decode (at once, not in the promise).
   */
  diff(stateVector: Uint8Array): Promise<Uint8Array> {
    checkStateVector(stateVector);
    if (this.isLive) return Promise.resolve(this.encodeIntegrated(stateVector));
    const encoded = this.encoded!;
    if (isEmptyStateVector(stateVector)) return Promise.resolve(encoded);
    return readStored(
      encoded.length,
      () => this.reader.diff([encoded], stateVector),
      () => Y.diffUpdate(encoded, stateVector),
    );
  }

  /**
   * Applies a client's update. Throws ProtocolError when it does not apply, or when updates
   * waiting for missing dependencies pass `maxPendingBytes` (they are then dropped).
   */
  apply(update: Uint8Array, origin: unknown, maxPendingBytes: number): void {
    const doc = this.live();
    try {
      Y.applyUpdate(doc, update, origin);
    } catch (error) {
      throw new ProtocolError(CloseCode.InvalidUpdate, `update does not apply: ${(error as Error).message}`);
    }
    // A client that never sends the missing part must not grow these without bound.
    const pending = this.pendingBytes;
    if (pending <= maxPendingBytes) return;
    const store = doc.store;
    store.pendingStructs = null;
    store.pendingDs = null;
    throw new ProtocolError(
      CloseCode.TooManyPendingUpdates,
      `${pending} bytes of updates with missing dependencies`,
    );
  }

  /** Bytes of updates waiting for missing dependencies. */
  get pendingBytes(): number {
    const store = this.doc?.store;
    return store ? (store.pendingStructs?.update.length ?? 0) + (store.pendingDs?.length ?? 0) : 0;
  }

  /** The whole document, for a snapshot (without updates still missing dependencies). */
  snapshot(): Uint8Array {
    return this.isLive ? this.encodeIntegrated() : this.encoded!;
  }

  destroy(): void {
    this.doc?.destroy();
    this.doc = null;
    this.encoded = null;
  }

  private live(): Y.Doc {
    if (this.loading) throw new Error('the room is still being loaded');
    if (this.doc) return this.doc;
    const doc = new Y.Doc();
    this.guard(() => Y.applyUpdate(doc, this.encoded!));
    doc.on('update', this.onUpdate);
    this.doc = doc;
    this.encoded = null;
    this.vector = null;
    return doc;
  }

  /**
   * The doc as an update (diffed against `stateVector`), leaving out updates still waiting for
   * missing dependencies: Yjs would include them, and they must be neither relayed nor stored.
   */
  private encodeIntegrated(stateVector?: Uint8Array): Uint8Array {
    const store = this.doc!.store;
    const { pendingStructs, pendingDs } = store;
    store.pendingStructs = null;
    store.pendingDs = null;
    try {
      return Y.encodeStateAsUpdate(this.doc!, stateVector);
    } finally {
      store.pendingStructs = pendingStructs;
      store.pendingDs = pendingDs;
    }
  }

  private guard<T>(work: () => T): T {
    return guard(work);
  }
}

function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new CorruptRoomError('stored updates do not decode', { cause: error });
  }
}

/**
 * Reads stored bytes: small ones at once, large ones off the event loop. Should the worker fail
 * (it is stopping, or the bytes do not decode), they are read here, which tells the two apart: a
 * CorruptRoomError rejects the promise.
 */
async function readStored(
  bytes: number,
  offLoop: () => Promise<Uint8Array>,
  atOnce: () => Uint8Array,
): Promise<Uint8Array> {
  if (bytes > OFF_LOOP_BYTES) {
    try {
      return await offLoop();
    } catch {
      // Read below.
    }
  }
  return guard(atOnce);
}
