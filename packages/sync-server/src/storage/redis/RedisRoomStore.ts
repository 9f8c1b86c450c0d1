import { randomUUID } from 'node:crypto';
import type { RoomId } from '@inkroom/shared';
import { Redis } from 'ioredis';
import type { LogEnd, RoomPage, RoomStore, StoredRoom, StoredRoomInfo } from '../RoomStore.js';

/*
 * Key layout, under a prefix (`inkroom` by default). A room's keys share one hash tag, its
 * encoded name in braces, so on Redis Cluster they sit in one slot and one transaction holds them:
 *   <p>:room:{<enc room>}:log      a stream, the room's write-ahead log: one entry per appended
 *                                  update, fields u (the update) and n (the node that wrote it)
 *   <p>:room:{<enc room>}:snap     the snapshot, if the room was compacted
 *   <p>:room:{<enc room>}:meta     a hash: bytes (snapshot and log), updatedAt
 *   <p>:room:{<enc room>}:retired  state vector of deleted, unrestored content
 *   <p>:rooms                      a sorted set of every stored room's encoded name (listing)
 *   <p>:deleted                    a hash: encoded room name -> deletedAt (tombstones)
 * <enc room> is encodeURIComponent(room), which escapes braces, so one room's tag is never
 * another's.
 */

/** A loaded room's log as this store knows it: bytes, entries, and the ids of its own appends. */
interface Tail {
  /** Local sequence number of the next append through this store. */
  next: number;
  count: number;
  bytes: number;
  /** The stream id each of this store's appends got, by sequence number, until compacted. */
  ids: Map<number, string>;
}

export interface RedisRoomStoreOptions {
  /** Key prefix, so that several deployments can share one Redis. */
  prefix?: string;
  /** This process's name in the log (entries it reads back are its own). */
  nodeId?: string;
}

/** The stream id right after `id` (`<ms>-<seq>`): XTRIM MINID keeps entries from it on. */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq!) + 1n}`;
}

/**
 * {@link RoomStore} on Redis: each room's updates are entries of a stream (its write-ahead log),
 * its snapshot a string beside it. An append resolves once Redis has answered the XADD; with the
 * append-only file and `appendfsync always` (see `durability.ts`) that is once it is on disk.
 * Commands issued in one turn of the event loop go to Redis as one pipeline (ioredis's
 * auto-pipelining), the way LevelDB gets one batch.
 */
export class RedisRoomStore implements RoomStore {
  private readonly tails = new Map<RoomId, Tail>();
  private readonly prefix: string;
  readonly nodeId: string;

  private constructor(
    /** The connection, which other parts of the server (the fan-out) may share. */
    readonly redis: Redis,
    options: RedisRoomStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'inkroom';
    this.nodeId = options.nodeId ?? randomUUID();
  }

  /**
   * Connects to `url` (redis://host:port). Commands fail at once while the connection is down,
   * rather than wait in a queue: a write that cannot be made durable must be refused, not held.
   */
  static async open(url: string, options: RedisRoomStoreOptions = {}): Promise<RedisRoomStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    // Connection errors are reported through failed commands (and readiness checks).
    redis.on('error', () => {});
    await redis.connect();
    return new RedisRoomStore(redis, options);
  }

  private key(room: RoomId, part: 'log' | 'snap' | 'meta' | 'retired'): string {
    return `${this.prefix}:room:{${encodeURIComponent(room)}}:${part}`;
  }

  private get roomsKey(): string {
    return `${this.prefix}:rooms`;
  }

  private get deletedKey(): string {
    return `${this.prefix}:deleted`;
  }

  /** The snapshot and the log's entries, read in one transaction (a compaction is seen whole or not at all). */
  private async readStored(room: RoomId): Promise<{ snapshot: Buffer | null; entries: [string, Buffer][] }> {
    const results = await this.redis
      .multi()
      .getBuffer(this.key(room, 'snap'))
      .xrangeBuffer(this.key(room, 'log'), '-', '+')
      .exec();
    if (!results) throw new Error(`the read of room ${room} was aborted`);
    for (const [error] of results) if (error) throw error;
    const snapshot = results[0]![1] as Buffer | null;
    const raw = results[1]![1] as [Buffer, Buffer[]][];
    const entries = raw.map(([id, fields]): [string, Buffer] => {
      const at = fields.findIndex((field, i) => i % 2 === 0 && field.toString() === 'u');
      return [id.toString(), fields[at + 1]!];
    });
    return { snapshot, entries };
  }

  async readLog(room: RoomId): Promise<Uint8Array[]> {
    const { snapshot, entries } = await this.readStored(room);
    return [...(snapshot ? [snapshot] : []), ...entries.map(([, update]) => update)];
  }

  async load(room: RoomId): Promise<StoredRoom> {
    const { snapshot, entries } = await this.readStored(room);
    const tailBytes = entries.reduce((sum, [, update]) => sum + update.length, 0);
    this.tails.set(room, {
      next: 0,
      count: entries.length,
      bytes: tailBytes + (snapshot?.length ?? 0),
      ids: new Map(),
    });
    const [deletedAt, retired] = await Promise.all([this.deletedAt(room), this.retired(room)]);
    return {
      updates: [...(snapshot ? [snapshot] : []), ...entries.map(([, update]) => update)],
      tailCount: entries.length,
      tailBytes,
      deleted: deletedAt !== null,
      retired,
    };
  }

  async has(room: RoomId): Promise<boolean> {
    return (await this.redis.exists(this.key(room, 'snap'), this.key(room, 'log'))) > 0;
  }

  append(room: RoomId, update: Uint8Array): Promise<void> {
    const tail = this.tails.get(room);
    // Writing a room that was not loaded would leave this store's numbering wrong.
    if (!tail) return Promise.reject(new Error(`room ${room} must be loaded before it is written`));
    const seq = tail.next++;
    tail.count++;
    tail.bytes += update.length;
    const bytes = tail.bytes;
    const appended = this.redis.xadd(this.key(room, 'log'), '*', 'u', Buffer.from(update), 'n', this.nodeId);
    // The listing's bookkeeping rides in the same pipeline; the append alone makes the update durable.
    void this.redis.hset(this.key(room, 'meta'), 'bytes', bytes, 'updatedAt', Date.now()).catch(() => {});
    void this.redis.zadd(this.roomsKey, 0, encodeURIComponent(room)).catch(() => {});
    return appended.then((id) => {
      tail.ids.set(seq, id!);
    });
  }

  logEnd(room: RoomId): LogEnd {
    const tail = this.tailOf(room);
    return { next: tail.next, bytes: tail.bytes };
  }

  async compact(room: RoomId, snapshot: Uint8Array, end: LogEnd): Promise<void> {
    const tail = this.tailOf(room);
    // The last entry the snapshot covers: this store's last append before `end` (appends are
    // awaited one write at a time per room, so every one before `end` has its id).
    let last: string | null = null;
    for (let seq = end.next - 1; seq >= 0 && last === null; seq--) last = tail.ids.get(seq) ?? null;
    const bytes = snapshot.length + tail.bytes - end.bytes;
    const transaction = this.redis
      .multi()
      .set(this.key(room, 'snap'), Buffer.from(snapshot))
      .hset(this.key(room, 'meta'), 'bytes', bytes, 'updatedAt', Date.now())
      .zadd(this.roomsKey, 0, encodeURIComponent(room));
    if (last !== null) transaction.xtrim(this.key(room, 'log'), 'MINID', nextId(last));
    const results = await transaction.exec();
    if (!results) throw new Error(`the compaction of room ${room} was aborted`);
    for (const [error] of results) if (error) throw error;
    const trimmed = last === null ? 0 : Number(results[3]![1]);
    tail.count -= trimmed;
    tail.bytes = bytes;
    for (const seq of tail.ids.keys()) if (seq < end.next) tail.ids.delete(seq);
  }

  async delete(room: RoomId): Promise<void> {
    await this.redis
      .multi()
      .del(this.key(room, 'log'), this.key(room, 'snap'), this.key(room, 'meta'))
      .zrem(this.roomsKey, encodeURIComponent(room))
      .exec();
  }

  async list({
    prefix,
    after,
    limit,
  }: {
    prefix: string;
    after: RoomId | null;
    limit: number;
  }): Promise<RoomPage> {
    const encodedPrefix = encodeURIComponent(prefix);
    const start = after === null ? `[${encodedPrefix}` : `(${encodeURIComponent(after)}`;
    const found = await this.redis.zrangebylex(
      this.roomsKey,
      start,
      `[${encodedPrefix}\xff`,
      'LIMIT',
      0,
      limit + 1,
    );
    const names = found
      .filter((name) => name.startsWith(encodedPrefix))
      .map((name) => decodeURIComponent(name) as RoomId);
    const page = names.slice(0, limit);
    return { rooms: await this.infos(page), next: names.length > limit ? page.at(-1)! : null };
  }

  async info(room: RoomId): Promise<StoredRoomInfo | null> {
    return (await this.has(room)) ? ((await this.infos([room]))[0] ?? null) : null;
  }

  private infos(names: RoomId[]): Promise<StoredRoomInfo[]> {
    return Promise.all(
      names.map(async (name) => {
        const [bytes, updatedAt] = await this.redis.hmget(this.key(name, 'meta'), 'bytes', 'updatedAt');
        return { name, bytes: Number(bytes ?? 0), updatedAt: updatedAt ? Number(updatedAt) : null };
      }),
    );
  }

  async setDeleted(room: RoomId, deletedAt: number | null): Promise<void> {
    if (deletedAt === null) await this.redis.hdel(this.deletedKey, encodeURIComponent(room));
    else await this.redis.hset(this.deletedKey, encodeURIComponent(room), deletedAt);
  }

  async deletedAt(room: RoomId): Promise<number | null> {
    const value = await this.redis.hget(this.deletedKey, encodeURIComponent(room));
    return value === null ? null : Number(value);
  }

  async setRetired(room: RoomId, stateVector: Uint8Array | null): Promise<void> {
    if (stateVector === null) await this.redis.del(this.key(room, 'retired'));
    else await this.redis.set(this.key(room, 'retired'), Buffer.from(stateVector));
  }

  async retired(room: RoomId): Promise<Uint8Array | null> {
    return this.redis.getBuffer(this.key(room, 'retired'));
  }

  async *deletedRooms(): AsyncIterable<{ room: RoomId; deletedAt: number }> {
    const all = await this.redis.hgetall(this.deletedKey);
    for (const [name, deletedAt] of Object.entries(all))
      yield { room: decodeURIComponent(name) as RoomId, deletedAt: Number(deletedAt) };
  }

  async checkWritable(): Promise<void> {
    await this.redis.set(`${this.prefix}:health`, this.nodeId, 'PX', 10_000);
  }

  release(room: RoomId): void {
    this.tails.delete(room);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private tailOf(room: RoomId): Tail {
    const tail = this.tails.get(room);
    if (!tail) throw new Error(`room ${room} must be loaded before it is written`);
    return tail;
  }
}
