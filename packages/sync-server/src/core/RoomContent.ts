import { CloseCode, ProtocolError } from '@inkroom/shared';
import * as Y from 'yjs';

/** An update holding nothing (what an empty Y.Doc encodes to). */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

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
export class RoomContent {
  private doc: Y.Doc | null = null;
  /** The doc is being built from the stored bytes (see beginLoading): they still answer reads. */
  private loading = false;
  private encoded: Uint8Array | null;
  private vector: Uint8Array | null = null;

  private constructor(
    encoded: Uint8Array,
    private readonly onUpdate: (update: Uint8Array, origin: unknown) => void,
  ) {
    this.encoded = encoded;
  }

  /** From stored updates (snapshot first); throws CorruptRoomError when they do not merge. */
  static fromStored(
    updates: readonly Uint8Array[],
    onUpdate: (update: Uint8Array, origin: unknown) => void,
  ): RoomContent {
    try {
      const merged =
        updates.length === 0
          ? EMPTY_UPDATE
          : updates.length === 1
            ? updates[0]!
            : Y.mergeUpdates([...updates]);
      return new RoomContent(merged, onUpdate);
    } catch (error) {
      throw new CorruptRoomError('stored updates do not decode', { cause: error });
    }
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

  stateVector(): Uint8Array {
    if (this.isLive) return Y.encodeStateVector(this.doc!);
    this.vector ??= this.guard(() => Y.encodeStateVectorFromUpdate(this.encoded!));
    return this.vector;
  }

  /** What a peer at `stateVector` lacks. Throws ProtocolError for a state vector that does not decode. */
  diff(stateVector: Uint8Array): Uint8Array {
    checkStateVector(stateVector);
    if (this.isLive) return this.encodeIntegrated(stateVector);
    const encoded = this.encoded!;
    return isEmptyStateVector(stateVector) ? encoded : this.guard(() => Y.diffUpdate(encoded, stateVector));
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
    try {
      return work();
    } catch (error) {
      throw new CorruptRoomError('stored updates do not decode', { cause: error });
    }
  }
}
