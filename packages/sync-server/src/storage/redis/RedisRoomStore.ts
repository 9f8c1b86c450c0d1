import { randomUUID } from 'node:crypto';
import type { RoomId } from '@inkroom/shared';
import { Redis } from 'ioredis';
import type { ListOptions, LogEnd, RoomPage, RoomStore, StoredRoom, StoredRoomInfo } from '../RoomStore.js';
import { RedisLogReader, readEntry } from './RedisLogReader.js';
import { ReplicaWait } from './replicas.js';
import { APPEND_SCRIPT, COMPACT_SCRIPT, LEASE_MS, RELEASE_SCRIPT } from './scripts.js';

/*
 * Key layout, under a prefix (`inkroom` by default). A room's keys share one hash tag, its
 * encoded name in braces, so on Redis Cluster they sit in one slot and one transaction holds them:
 *   <p>:room:{<enc room>}:log      a stream, the room's write-ahead log: one entry per appended
 *                                  update, fields u (the update) and n (the node that wrote it)
 *   <p>:room:{<enc room>}:snap     the snapshot, if the room was compacted
 *   <p>:room:{<enc room>}:meta     a hash: bytes (snapshot and log), updatedAt
 *   <p>:room:{<enc room>}:retired  state vector of deleted, unrestored content
 *   <p>:room:{<enc room>}:lease    the process compacting the room, while it does (expires)
 *   <p>:rooms                      a sorted set of every stored room's encoded name (listing)
 *   <p>:deleted                    a hash: encoded room name -> deletedAt (tombstones)
 * <enc room> is encodeURIComponent(room), which escapes braces, so one room's tag is never
 * another's.
 */

/** A loaded room's log as this store knows it: bytes, entries, and the ids of its own appends. */
interface Tail {
  readonly room: RoomId;
  /** Local sequence number of the next append through this store. */
  next: number;
  bytes: number;
  /** The stream id each of this store's appends got, by sequence number, until compacted. */
  ids: Map<number, string>;
  /** The last log entry the load read: other processes' appends come after (see follow). */
  readonly loadedUpTo: string;
}

export interface RedisRoomStoreOptions {
  /** Key prefix, so that several deployments can share one Redis. */
  prefix?: string;
  /** This process's name in the log (entries it reads back are its own). */
  nodeId?: string;
  /** A command not answered within this fails (default 5 s): Redis stopped or unreachable. */
  timeoutMs?: number;
  /**
   * Replicas that must have an update in their append-only file on disk before anyone is sent it
   * (WAITAOF, Redis 7.2 or later). Default 0: Redis's own answer is enough.
   */
  replicas?: number;
}

/** What `readStored` reads of a room. */
interface StoredLog {
  snapshot: Buffer | null;
  entries: { id: string; update: Buffer; node: string }[];
  /** The snapshot, then the entries' updates. */
  updates: Buffer[];
  /** The compaction version (see COMPACT_SCRIPT). */
  version: string;
}

/**
 * The snapshot and log entries of a transaction that read them first (GET of the snapshot, then
 * XRANGE of the log); throws if it was aborted (`what` names it) or a command failed.
 */
function storedFrom(results: [Error | null, unknown][] | null, what: string): Omit<StoredLog, 'version'> {
  if (!results) throw new Error(`${what} was aborted`);
  for (const [error] of results) if (error) throw error;
  const snapshot = results[0]![1] as Buffer | null;
  const entries = (results[1]![1] as [Buffer, Buffer[]][]).map(([id, fields]) => ({
    id: id.toString(),
    ...readEntry(fields),
  }));
  return {
    snapshot,
    entries,
    updates: [...(snapshot ? [snapshot] : []), ...entries.map((entry) => entry.update)],
  };
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
  /** Other processes' appends to the rooms followed. */
  private readonly reader: RedisLogReader;
  /**
   * With replicas to wait for: appends go through a connection of their own, which waits for
   * them (WAITAOF blocks its connection, and the rest of the server's commands must not queue
   * behind it).
   */
  private readonly replicaWait: ReplicaWait | null;

  private constructor(
    /** The connection, which other parts of the server (the fan-out) may share. */
    readonly redis: Redis,
    /** The connection appends go through: `redis`, unless replicas are waited for. */
    private readonly appender: Redis,
    options: RedisRoomStoreOptions,
    /** The primary keeps an append-only file: WAITAOF waits for its fsync too. */
    primaryAof = true,
  ) {
    this.prefix = options.prefix ?? 'inkroom';
    this.nodeId = options.nodeId ?? randomUUID();
    const replicas = options.replicas ?? 0;
    const durability = {
      replicas,
      local: primaryAof,
      // Answered before the command times out, so that the failure says why.
      timeoutMs: Math.max(50, Math.floor((options.timeoutMs ?? 5000) * 0.8)),
    };
    this.replicaWait =
      replicas > 0 ? new ReplicaWait(appender, durability, `${this.prefix}:fence:${this.nodeId}`) : null;
    this.reader = new RedisLogReader(redis, this.nodeId, {
      durability: replicas > 0 ? durability : null,
      fenceKey: `${this.prefix}:fence:${this.nodeId}:reader`,
    });
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
      commandTimeout: options.timeoutMs ?? 5000,
    });
    // Connection errors are reported through failed commands (and readiness checks).
    redis.on('error', () => {});
    await redis.connect();
    if (!options.replicas) return new RedisRoomStore(redis, redis, options);
    const appender = redis.duplicate();
    appender.on('error', () => {});
    try {
      await appender.connect();
      // WAITAOF refuses to wait for the fsync of a primary that keeps no append-only file.
      const [, appendOnly] = (await redis.config('GET', 'appendonly')) as [string, string];
      return new RedisRoomStore(redis, appender, options, appendOnly === 'yes');
    } catch (error) {
      redis.disconnect();
      appender.disconnect();
      throw error;
    }
  }

  private key(room: RoomId, part: 'log' | 'snap' | 'meta' | 'retired' | 'lease'): string {
    return `${this.prefix}:room:{${encodeURIComponent(room)}}:${part}`;
  }

  private get roomsKey(): string {
    return `${this.prefix}:rooms`;
  }

  private get deletedKey(): string {
    return `${this.prefix}:deleted`;
  }

  /**
   * The snapshot, the log's entries and the compaction version, read in one transaction (a
   * compaction is seen whole or not at all).
   */
  private async readStored(room: RoomId): Promise<StoredLog> {
    const results = await this.redis
      .multi()
      .getBuffer(this.key(room, 'snap'))
      .xrangeBuffer(this.key(room, 'log'), '-', '+')
      .hget(this.key(room, 'meta'), 'version')
      .exec();
    return {
      ...storedFrom(results, `the read of room ${room}`),
      version: (results![2]![1] as string | null) ?? '0',
    };
  }

  async readLog(room: RoomId): Promise<Uint8Array[]> {
    return (await this.readStored(room)).updates;
  }

  async load(room: RoomId): Promise<StoredRoom> {
    const { snapshot, entries, updates } = await this.readStored(room);
    // What it read may be another process's append still waiting for the replicas: sent to no
    // one before they have it.
    await this.replicaWait?.afterReads();
    const tailBytes = entries.reduce((sum, entry) => sum + entry.update.length, 0);
    this.tails.set(room, {
      room,
      next: 0,
      bytes: tailBytes + (snapshot?.length ?? 0),
      ids: new Map(),
      loadedUpTo: entries.at(-1)?.id ?? '0-0',
    });
    const [deletedAt, retired] = await Promise.all([this.deletedAt(room), this.retired(room)]);
    return {
      updates,
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
    tail.bytes += update.length;
    const log = this.key(room, 'log');
    const bytes = Buffer.from(update);
    const appended = this.appender
      .xadd(log, 'NOMKSTREAM', '*', 'u', bytes, 'n', this.nodeId)
      .then(
        (id) =>
          id ??
          (this.appender.eval(
            APPEND_SCRIPT,
            2,
            log,
            this.deletedKey,
            encodeURIComponent(room),
            bytes,
            this.nodeId,
          ) as Promise<string | null>),
      );
    // The listing's bookkeeping rides in the same pipeline; the append alone makes the update durable.
    void this.redis.hincrby(this.key(room, 'meta'), 'bytes', update.length).catch(() => {});
    void this.redis.hset(this.key(room, 'meta'), 'updatedAt', Date.now()).catch(() => {});
    // Listed once per load: a room deleted since is listed again by its next first write.
    if (seq === 0) void this.redis.zadd(this.roomsKey, 0, encodeURIComponent(room)).catch(() => {});
    return appended.then(async (id) => {
      if (id === null) throw new Error(`room ${room} was deleted: the update is not written`);
      tail.ids.set(seq, id);
      await this.replicaWait?.afterWrites();
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
      .hincrby(this.key(room, 'meta'), 'bytes', snapshot.length - end.bytes)
      .hincrby(this.key(room, 'meta'), 'version', 1)
      .zadd(this.roomsKey, 0, encodeURIComponent(room));
    if (last !== null) transaction.xtrim(this.key(room, 'log'), 'MINID', nextId(last));
    const results = await transaction.exec();
    if (!results) throw new Error(`the compaction of room ${room} was aborted`);
    for (const [error] of results) if (error) throw error;
    tail.bytes = bytes;
    for (const seq of tail.ids.keys()) if (seq < end.next) tail.ids.delete(seq);
  }

  /**
   * One process compacts a room at a time: it takes the room's lease (or leaves the compaction to
   * whoever holds it), reads, builds, and writes only if it still holds the lease and nothing
   * compacted since its read (see COMPACT_SCRIPT). A process killed half way wrote nothing; its
   * lease expires.
   */
  async compactFromLog(
    room: RoomId,
    build: (updates: Uint8Array[]) => Promise<Uint8Array>,
  ): Promise<{ updates: number; bytes: number; snapshot: number } | null> {
    const holder = `${this.nodeId}:${randomUUID()}`;
    const leased = await this.redis.set(this.key(room, 'lease'), holder, 'PX', LEASE_MS, 'NX');
    if (leased === null) return null;
    let stored: StoredLog;
    let snapshot: Uint8Array | null = null;
    try {
      stored = await this.readStored(room);
      if (stored.entries.length > 0) snapshot = await build(stored.updates);
    } catch (error) {
      await this.releaseLease(room, holder);
      throw error;
    }
    if (snapshot === null) {
      await this.releaseLease(room, holder);
      return null;
    }
    const { snapshot: old, entries, version } = stored;
    const replaced = entries.reduce((sum, entry) => sum + entry.update.length, old?.length ?? 0);
    const written = (await this.redis.eval(
      COMPACT_SCRIPT,
      5,
      this.key(room, 'snap'),
      this.key(room, 'log'),
      this.key(room, 'meta'),
      this.deletedKey,
      this.key(room, 'lease'),
      version,
      Buffer.from(snapshot),
      nextId(entries.at(-1)!.id),
      snapshot.length - replaced,
      Date.now(),
      encodeURIComponent(room),
      holder,
    )) as number;
    if (written < 0) return null;
    const tail = this.tails.get(room);
    if (tail) {
      tail.bytes += snapshot.length - replaced;
      // The ids of earlier appends are only for `compact` (a trim point); kept no longer.
      tail.ids.clear();
    }
    return { updates: entries.length, bytes: replaced - (old?.length ?? 0), snapshot: snapshot.length };
  }

  /** Lets a lease go, if it is still this holder's. */
  private async releaseLease(room: RoomId, holder: string): Promise<void> {
    await this.redis.eval(RELEASE_SCRIPT, 1, this.key(room, 'lease'), holder).catch(() => {
      // Unreleased, it expires.
    });
  }

  async delete(room: RoomId): Promise<void> {
    await this.redis
      .multi()
      .del(this.key(room, 'log'), this.key(room, 'snap'), this.key(room, 'meta'))
      .zrem(this.roomsKey, encodeURIComponent(room))
      .exec();
  }

  async takeContent(room: RoomId): Promise<Uint8Array[]> {
    const results = await this.redis
      .multi()
      .getBuffer(this.key(room, 'snap'))
      .xrangeBuffer(this.key(room, 'log'), '-', '+')
      .del(this.key(room, 'log'), this.key(room, 'snap'), this.key(room, 'meta'))
      .zrem(this.roomsKey, encodeURIComponent(room))
      .exec();
    return storedFrom(results, `the deletion of room ${room}`).updates;
  }

  async list({ prefix, after, limit }: ListOptions): Promise<RoomPage> {
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
    // Not ready while the replicas an append waits for are missing.
    await this.replicaWait?.afterReads();
  }

  release(room: RoomId): void {
    this.reader.release(room);
    this.tails.delete(room);
  }

  follow(room: RoomId, listener: (update: Uint8Array) => void): void {
    this.reader.follow(room, this.key(room, 'log'), this.tailOf(room).loadedUpTo, listener);
  }

  async close(): Promise<void> {
    await this.reader.close();
    if (this.appender !== this.redis) await this.appender.quit().catch(() => this.appender.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private tailOf(room: RoomId): Tail {
    const tail = this.tails.get(room);
    if (!tail) throw new Error(`room ${room} must be loaded before it is written`);
    return tail;
  }
}
