import type { RoomId } from '@inkroom/shared';

/** A stored room as the admin API lists it. */
export interface StoredRoomInfo {
  readonly name: RoomId;
  /** Bytes stored: the snapshot and the updates since. */
  readonly bytes: number;
  /** When it was last written (ms since the epoch); null for a room written before this was kept. */
  readonly updatedAt: number | null;
}

/** A point in a room's log, from `RoomStore.logEnd`. */
export interface LogEnd {
  /** Sequence number of the next update appended. */
  readonly next: number;
  /** Bytes stored up to that point, snapshot included. */
  readonly bytes: number;
}

/** Which page of stored rooms `RoomStore.list` reads. */
export interface ListOptions {
  readonly prefix: string;
  readonly after: RoomId | null;
  readonly limit: number;
}

/** A page of stored rooms, and where the next page starts (null: that was the last). */
export interface RoomPage {
  readonly rooms: StoredRoomInfo[];
  readonly next: RoomId | null;
}

/** What is stored of a room: a snapshot (if compacted) and the updates appended since. */
export interface StoredRoom {
  /** The snapshot first, then the tail, in append order. */
  readonly updates: readonly Uint8Array[];
  /** Number of updates in the tail (after the snapshot). */
  readonly tailCount: number;
  /** Bytes in the tail. */
  readonly tailBytes: number;
  /** The room was deleted (a tombstone): it refuses every connection until undeleted. */
  readonly deleted: boolean;
  /**
   * The state vector of content deleted with the room and not restored since (encoded), or
   * null: updates that carry any of it come from a copy made before the deletion.
   */
  readonly retired: Uint8Array | null;
}

/**
 * Durable storage of rooms as an update log. Calls for one room are made one at a time by its
 * Room (never two writes of a room in flight), so implementations need no per-room locking.
 */
export interface RoomStore {
  load(room: RoomId): Promise<StoredRoom>;
  /** Whether anything is stored for the room (without loading it). */
  has(room: RoomId): Promise<boolean>;
  /** What is stored of a loaded room, snapshot first, without touching its bookkeeping. */
  readLog(room: RoomId): Promise<Uint8Array[]>;
  /** Resolves once the update is durable; rejects when it could not be written. */
  append(room: RoomId, update: Uint8Array): Promise<void>;
  /** Where a loaded room's log ends now: what a snapshot made now covers (see `compact`). */
  logEnd(room: RoomId): LogEnd;
  /**
   * Replaces the room's snapshot and the updates before `end` with `snapshot`, atomically;
   * updates appended after `end` (while the snapshot was made) stay, after it. May run while
   * the room appends.
   */
  compact(room: RoomId, snapshot: Uint8Array, end: LogEnd): Promise<void>;
  /** Removes the room's content (not its tombstone). */
  delete(room: RoomId): Promise<void>;
  /**
   * A store other processes write too: removes the room's content (not its tombstone) in one
   * step, so that no process appends to it after, and returns what it held (snapshot and log),
   * which may include appends this process never read.
   */
  takeContent?(room: RoomId): Promise<Uint8Array[]>;
  /** Rooms in name order, from after `after`, whose names start with `prefix`. */
  list(options: ListOptions): Promise<RoomPage>;
  info(room: RoomId): Promise<StoredRoomInfo | null>;
  /** Marks a room deleted (`deletedAt`), or lifts the mark (null). */
  setDeleted(room: RoomId, deletedAt: number | null): Promise<void>;
  /** When the room was deleted, or null. */
  deletedAt(room: RoomId): Promise<number | null>;
  /** Sets (or with null clears) a room's retired state vector (see StoredRoom.retired). */
  setRetired(room: RoomId, stateVector: Uint8Array | null): Promise<void>;
  retired(room: RoomId): Promise<Uint8Array | null>;
  /** Every deleted room (backups carry the tombstones). */
  deletedRooms(): AsyncIterable<{ room: RoomId; deletedAt: number }>;
  /** Resolves when the store takes a write now (readiness checks); rejects otherwise. */
  checkWritable(): Promise<void>;
  /**
   * A store several server processes share (Redis): calls `listener` with each update another
   * process appends to a loaded room, in log order, from where the room's load read up to, until
   * the room is released. Absent: this process is the only writer.
   */
  follow?(room: RoomId, listener: (update: Uint8Array) => void): void;
  /**
   * A shared store compacts from what it holds, not from one process's doc (which may lack what
   * another appended): reads the snapshot and log, has `build` make one snapshot of them, and
   * replaces what was read with it, unless another process compacted meanwhile (then nothing is
   * written). Resolves with what was replaced, or null.
   */
  compactFromLog?(
    room: RoomId,
    build: (updates: Uint8Array[]) => Promise<Uint8Array>,
  ): Promise<{ updates: number; bytes: number; snapshot: number } | null>;
  /** Forgets per-room bookkeeping once a room has left memory. */
  release(room: RoomId): void;
  close(): Promise<void>;
}
