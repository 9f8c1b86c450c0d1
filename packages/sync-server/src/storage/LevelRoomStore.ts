import type { RoomId } from '@inkroom/shared';
import { Level } from 'level';
import type { RoomStore, StoredRoom } from './RoomStore.js';

/*
 * Key layout (UTF-8 keys, binary values), one key range per room:
 *   room/<encodeURIComponent(room)>/s                   the snapshot, if the room was compacted
 *   room/<encodeURIComponent(room)>/u/<16-digit seq>     updates appended since, in order
 * encodeURIComponent escapes '/', so one room's range never overlaps another's.
 */
const SEQ_DIGITS = 16;

function roomPrefix(room: RoomId): string {
  return `room/${encodeURIComponent(room)}/`;
}

function updateKey(room: RoomId, seq: number): string {
  return `${roomPrefix(room)}u/${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

function seqOfKey(key: string): number {
  return Number(key.slice(-SEQ_DIGITS));
}

/** Sequence numbers of a room's tail: keys first..next-1 exist. */
interface Tail {
  first: number;
  next: number;
}

export interface LevelRoomStoreOptions {
  /**
   * fsync every write. Off by default: a write is then in the OS page cache when it resolves,
   * which survives the server process being killed but not the machine losing power.
   */
  syncWrites?: boolean;
}

interface QueuedPut {
  readonly key: string;
  readonly value: Uint8Array;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * {@link RoomStore} on LevelDB through `level`, one database for all rooms. Appends made in the
 * same turn of the event loop, from any rooms, go to LevelDB as one batch: one call into the
 * native binding and one log write instead of one per room.
 */
export class LevelRoomStore implements RoomStore {
  private readonly tails = new Map<RoomId, Tail>();
  private queue: QueuedPut[] = [];

  private constructor(
    /** The database, which other stores of the server (access control) share. */
    readonly db: Level<string, Uint8Array>,
    private readonly sync: boolean,
  ) {}

  /** Opens (creating if needed) the database in `location`. */
  static async open(location: string, options: LevelRoomStoreOptions = {}): Promise<LevelRoomStore> {
    const db = new Level<string, Uint8Array>(location, { keyEncoding: 'utf8', valueEncoding: 'view' });
    await db.open();
    return new LevelRoomStore(db, options.syncWrites ?? false);
  }

  async load(room: RoomId): Promise<StoredRoom> {
    const prefix = roomPrefix(room);
    const updates: Uint8Array[] = [];
    const snapshot = await this.db.get(`${prefix}s`);
    if (snapshot) updates.push(snapshot);
    let tailBytes = 0;
    let first = -1;
    let last = -1;
    for await (const [key, value] of this.db.iterator({ gte: `${prefix}u/`, lt: `${prefix}u0` })) {
      const seq = seqOfKey(key);
      if (first < 0) first = seq;
      last = seq;
      updates.push(value);
      tailBytes += value.length;
    }
    const tail = first < 0 ? { first: 0, next: 0 } : { first, next: last + 1 };
    this.tails.set(room, tail);
    return { updates, tailCount: tail.next - tail.first, tailBytes };
  }

  async has(room: RoomId): Promise<boolean> {
    const prefix = roomPrefix(room);
    for await (const _ of this.db.keys({ gte: prefix, lt: `${prefix}\uffff`, limit: 1 })) return true;
    return false;
  }

  append(room: RoomId, update: Uint8Array): Promise<void> {
    let tail: Tail;
    try {
      tail = this.tailOf(room);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = updateKey(room, tail.next++);
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => this.writeQueue());
      this.queue.push({ key, value: update, resolve, reject });
    });
  }

  private writeQueue(): void {
    const puts = this.queue;
    this.queue = [];
    const ops = puts.map(({ key, value }) => ({ type: 'put' as const, key, value }));
    this.db.batch(ops, { sync: this.sync }).then(
      () => {
        for (const put of puts) put.resolve();
      },
      (error: unknown) => {
        for (const put of puts) put.reject(error);
      },
    );
  }

  async compact(room: RoomId, snapshot: Uint8Array): Promise<void> {
    const tail = this.tailOf(room);
    const { first, next } = tail;
    const batch = this.db.batch().put(`${roomPrefix(room)}s`, snapshot);
    for (let seq = first; seq < next; seq++) batch.del(updateKey(room, seq));
    await batch.write({ sync: this.sync });
    // Restart numbering only once the batch is durable, so a failed compaction leaves keys intact.
    if (tail.first === first) tail.first = next;
  }

  async delete(room: RoomId): Promise<void> {
    const prefix = roomPrefix(room);
    await this.db.clear({ gte: prefix, lt: `${prefix}\uffff` });
    this.tails.delete(room);
  }

  async checkWritable(): Promise<void> {
    // Outside every room's key range; a put and a delete in one batch leave nothing behind.
    await this.db
      .batch()
      .put('health/probe', new Uint8Array([1]))
      .del('health/probe')
      .write();
  }

  release(room: RoomId): void {
    this.tails.delete(room);
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  private tailOf(room: RoomId): Tail {
    const tail = this.tails.get(room);
    // Writing a room that was not loaded would number its updates from scratch over stored ones.
    if (!tail) throw new Error(`room ${room} must be loaded before it is written`);
    return tail;
  }
}
