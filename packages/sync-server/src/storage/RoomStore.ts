import type { RoomId } from '@inkroom/shared';

/** What is stored of a room: a snapshot (if compacted) and the updates appended since. */
export interface StoredRoom {
  /** The snapshot first, then the tail, in append order. */
  readonly updates: readonly Uint8Array[];
  /** Number of updates in the tail (after the snapshot). */
  readonly tailCount: number;
  /** Bytes in the tail. */
  readonly tailBytes: number;
}

/**
 * Durable storage of rooms as an update log. Calls for one room are made one at a time by its
 * Room (never two writes of a room in flight), so implementations need no per-room locking.
 */
export interface RoomStore {
  load(room: RoomId): Promise<StoredRoom>;
  /** Whether anything is stored for the room (without loading it). */
  has(room: RoomId): Promise<boolean>;
  /** Resolves once the update is durable; rejects when it could not be written. */
  append(room: RoomId, update: Uint8Array): Promise<void>;
  /** Replaces the room's snapshot and tail with `snapshot`, atomically. */
  compact(room: RoomId, snapshot: Uint8Array): Promise<void>;
  delete(room: RoomId): Promise<void>;
  /** Resolves when the store takes a write now (readiness checks); rejects otherwise. */
  checkWritable(): Promise<void>;
  /** Forgets per-room bookkeeping once a room has left memory. */
  release(room: RoomId): void;
  close(): Promise<void>;
}
