import type { RoomId } from '@inkroom/shared';
import type { Redis } from 'ioredis';
import {
  type NewVersion,
  planRemoval,
  readVersionMeta,
  type VersionInfo,
  type VersionStore,
  versionInfo,
  versionMeta,
} from '../VersionStore.js';

/*
 * Key layout, under the store's prefix, with the room's hash tag (one slot per room on a cluster):
 *   <p>:version-meta:{<enc room>}   a hash: <id> -> { time, name, authors, bytes } (JSON)
 *   <p>:version-data:{<enc room>}   a hash: <id> -> its update; sv:<id> -> its state vector
 *   <p>:version-next:{<enc room>}   the last id given (INCR)
 */

/**
 * {@link VersionStore} on Redis, shared by every process serving the rooms. Each process records
 * versions of the rooms it serves from the shared log; two recording at once each add a
 * version (ids are given atomically), which read correctly, the second holding little.
 */
export class RedisVersionStore implements VersionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'inkroom',
  ) {}

  private keys(room: RoomId) {
    const tag = `{${encodeURIComponent(room)}}`;
    return {
      meta: `${this.prefix}:version-meta:${tag}`,
      data: `${this.prefix}:version-data:${tag}`,
      next: `${this.prefix}:version-next:${tag}`,
    };
  }

  async list(room: RoomId): Promise<VersionInfo[]> {
    const all = await this.redis.hgetall(this.keys(room).meta);
    return Object.entries(all)
      .map(([id, json]) => readVersionMeta(Number(id), json))
      .sort((a, b) => a.id - b.id);
  }

  async add(room: RoomId, version: NewVersion): Promise<VersionInfo> {
    const keys = this.keys(room);
    const id = await this.redis.incr(keys.next);
    const added = versionInfo(id, version);
    await this.redis
      .multi()
      .hset(keys.data, String(id), Buffer.from(version.update), `sv:${id}`, Buffer.from(version.stateVector))
      .hset(keys.meta, String(id), versionMeta(added))
      .exec();
    return added;
  }

  async chain(room: RoomId, id: number): Promise<Uint8Array[] | null> {
    const ids = (await this.list(room)).map((v) => v.id).filter((v) => v <= id);
    if (!ids.includes(id)) return null;
    const updates = await this.redis.hmgetBuffer(this.keys(room).data, ...ids.map(String));
    return updates.filter((update): update is Buffer => update !== null);
  }

  async latestStateVector(room: RoomId): Promise<Uint8Array | null> {
    const latest = (await this.list(room)).at(-1);
    return latest ? await this.redis.hgetBuffer(this.keys(room).data, `sv:${latest.id}`) : null;
  }

  async remove(
    room: RoomId,
    ids: readonly number[],
    merge: (updates: Uint8Array[]) => Uint8Array,
  ): Promise<void> {
    const keys = this.keys(room);
    const { removed, folds } = planRemoval(await this.list(room), new Set(ids));
    const multi = this.redis.multi();
    for (const id of removed) multi.hdel(keys.data, String(id), `sv:${id}`).hdel(keys.meta, String(id));
    for (const { into, from } of folds) {
      const updates = await this.redis.hmgetBuffer(keys.data, ...[...from, into.id].map(String));
      const update = merge(updates.filter((u): u is Buffer => u !== null));
      multi
        .hset(keys.data, String(into.id), Buffer.from(update))
        .hset(keys.meta, String(into.id), versionMeta({ ...into, bytes: update.length }));
    }
    await multi.exec();
  }

  async clear(room: RoomId): Promise<void> {
    const keys = this.keys(room);
    await this.redis.del(keys.meta, keys.data, keys.next);
  }
}
