import type { RoomId } from '@inkroom/shared';
import { Level } from 'level';
import type { ListOptions, LogEnd, RoomPage, RoomStore, StoredRoom, StoredRoomInfo } from './RoomStore.js';

/*
 * Key layout (UTF-8 keys, binary values), one key range per room:
 *   room/<encodeURIComponent(room)>/s                   the snapshot, if the room was compacted
 *   room/<encodeURIComponent(room)>/u/<16-digit seq>     updates appended since, in order
 *   room/<encodeURIComponent(room)>/m                    { bytes, updatedAt }, written with each write
 *   deleted/<encodeURIComponent(room)>                   { deletedAt }: a tombstone, kept apart
 *   retired/<encodeURIComponent(room)>                   state vector of deleted, unrestored content
 * encodeURIComponent escapes '/', so one room's range never overlaps another's.
 */
const ROOMS = 'room/';
const DELETED = 'deleted/';
const RETIRED = 'retired/';
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const parse = <T>(bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as T;
const SEQ_DIGITS = 16;

function roomPrefix(room: RoomId): string {
  return `${ROOMS}${encodeURIComponent(room)}/`;
}

/** The room a key belongs to. */
function roomOfKey(key: string): RoomId {
  return decodeURIComponent(key.slice(ROOMS.length, key.indexOf('/', ROOMS.length))) as RoomId;
}

function updateKey(room: RoomId, seq: number): string {
  return `${roomPrefix(room)}u/${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

function seqOfKey(key: string): number {
  return Number(key.slice(-SEQ_DIGITS));
}

/** Sequence numbers of a room's tail (keys first..next-1 exist), and the bytes it stores. */
interface Tail {
  first: number;
  next: number;
  bytes: number;
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
  /** The room's meta record after this write. */
  readonly metaKey: string;
  readonly meta: Uint8Array;
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

  async readLog(room: RoomId): Promise<Uint8Array[]> {
    const prefix = roomPrefix(room);
    const updates: Uint8Array[] = [];
    // One iterator, one view of the database: a compaction committed meanwhile is seen whole or
    // not at all ('s' sorts before 'u/').
    for await (const value of this.db.values({ gte: `${prefix}s`, lt: `${prefix}u0` })) updates.push(value);
    return updates;
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
    const bytes = tailBytes + (snapshot?.length ?? 0);
    const tail = first < 0 ? { first: 0, next: 0, bytes } : { first, next: last + 1, bytes };
    this.tails.set(room, tail);
    const [deletedAt, retired] = await Promise.all([this.deletedAt(room), this.retired(room)]);
    return { updates, tailCount: tail.next - tail.first, tailBytes, deleted: deletedAt !== null, retired };
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
    tail.bytes += update.length;
    const meta = json({ bytes: tail.bytes, updatedAt: Date.now() });
    return new Promise((resolve, reject) => {
      if (this.queue.length === 0) queueMicrotask(() => this.writeQueue());
      this.queue.push({ key, value: update, metaKey: `${roomPrefix(room)}m`, meta, resolve, reject });
    });
  }

  private writeQueue(): void {
    const puts = this.queue;
    this.queue = [];
    // A room's meta record goes in the same batch as its update (the last one of the room wins).
    const ops = puts.flatMap(({ key, value, metaKey, meta }) => [
      { type: 'put' as const, key, value },
      { type: 'put' as const, key: metaKey, value: meta },
    ]);
    this.db.batch(ops, { sync: this.sync }).then(
      () => {
        for (const put of puts) put.resolve();
      },
      (error: unknown) => {
        for (const put of puts) put.reject(error);
      },
    );
  }

  logEnd(room: RoomId): LogEnd {
    const { next, bytes } = this.tailOf(room);
    return { next, bytes };
  }

  async compact(room: RoomId, snapshot: Uint8Array, end: LogEnd): Promise<void> {
    const tail = this.tailOf(room);
    const { first } = tail;
    // What was appended after `end` stays: the room's size is the snapshot and that.
    const bytes = () => snapshot.length + tail.bytes - end.bytes;
    const batch = this.db
      .batch()
      .put(`${roomPrefix(room)}s`, snapshot)
      .put(`${roomPrefix(room)}m`, json({ bytes: bytes(), updatedAt: Date.now() }));
    for (let seq = first; seq < end.next; seq++) batch.del(updateKey(room, seq));
    await batch.write({ sync: this.sync });
    // Move the tail's start only once the batch is durable, so a failed compaction leaves keys intact.
    if (tail.first === first) {
      tail.first = end.next;
      tail.bytes = bytes();
    }
  }

  async delete(room: RoomId): Promise<void> {
    const prefix = roomPrefix(room);
    await this.db.clear({ gte: prefix, lt: `${prefix}\uffff` });
    // A room loaded meanwhile (refused, as deleted) keeps its numbering; it is never written.
  }

  async list({ prefix, after, limit }: ListOptions): Promise<RoomPage> {
    const start = after === null ? `${ROOMS}${encodeURIComponent(prefix)}` : `${roomPrefix(after)}\uffff`;
    const names: RoomId[] = [];
    const keys = this.db.keys({ gte: start, lt: `${ROOMS}${encodeURIComponent(prefix)}\uffff` });
    try {
      for (let key = await keys.next(); key !== undefined; key = await keys.next()) {
        const name = roomOfKey(key);
        if (names.length === limit) return { rooms: await this.infos(names), next: names.at(-1)! };
        names.push(name);
        // Past the rest of this room's keys (its update log) in one step.
        keys.seek(`${roomPrefix(name)}\uffff`);
      }
    } finally {
      await keys.close();
    }
    return { rooms: await this.infos(names), next: null };
  }

  async info(room: RoomId): Promise<StoredRoomInfo | null> {
    return (await this.has(room)) ? ((await this.infos([room]))[0] ?? null) : null;
  }

  async setDeleted(room: RoomId, deletedAt: number | null): Promise<void> {
    const key = `${DELETED}${encodeURIComponent(room)}`;
    if (deletedAt === null) await this.db.del(key, { sync: true });
    else await this.db.put(key, json({ deletedAt }), { sync: true });
  }

  async deletedAt(room: RoomId): Promise<number | null> {
    const value = await this.db.get(`${DELETED}${encodeURIComponent(room)}`);
    return value ? parse<{ deletedAt: number }>(value).deletedAt : null;
  }

  async setRetired(room: RoomId, stateVector: Uint8Array | null): Promise<void> {
    const key = `${RETIRED}${encodeURIComponent(room)}`;
    if (stateVector === null) await this.db.del(key, { sync: true });
    else await this.db.put(key, stateVector, { sync: true });
  }

  async retired(room: RoomId): Promise<Uint8Array | null> {
    return (await this.db.get(`${RETIRED}${encodeURIComponent(room)}`)) ?? null;
  }

  async *deletedRooms(): AsyncIterable<{ room: RoomId; deletedAt: number }> {
    for await (const [key, value] of this.db.iterator({ gte: DELETED, lt: `${DELETED}\uffff` })) {
      const room = decodeURIComponent(key.slice(DELETED.length)) as RoomId;
      yield { room, deletedAt: parse<{ deletedAt: number }>(value).deletedAt };
    }
  }

  /** Rooms' sizes and times from their meta records (summed from their values where there is none). */
  private async infos(names: RoomId[]): Promise<StoredRoomInfo[]> {
    const metas = await this.db.getMany(names.map((name) => `${roomPrefix(name)}m`));
    return Promise.all(
      names.map(async (name, i) => {
        const meta = metas[i];
        if (meta) return { name, ...parse<{ bytes: number; updatedAt: number }>(meta) };
        let bytes = 0;
        for await (const value of this.db.values({ gte: roomPrefix(name), lt: `${roomPrefix(name)}\uffff` }))
          bytes += value.length;
        return { name, bytes, updatedAt: null };
      }),
    );
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
