// The RoomStore contract, held by both stores: LevelDB in a temp folder and a real redis-server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoomId } from '@inkroom/shared';
import { LevelRoomStore, RedisRoomStore, type RoomStore } from '@inkroom/sync-server';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from './helpers/redis.js';

const room = (name: string) => name as RoomId;
const bytes = (...values: number[]) => [...values];
const plain = (updates: readonly Uint8Array[]) => updates.map((u) => [...u]);

/** Opens a store on the same data each time it is called within one test. */
interface Backend {
  name: string;
  setUp(): Promise<void>;
  open(): Promise<RoomStore>;
  tearDown(): Promise<void>;
}

function levelBackend(): Backend {
  let dir = '';
  return {
    name: 'LevelRoomStore',
    setUp: async () => {
      dir = await mkdtemp(join(tmpdir(), 'inkroom-store-'));
    },
    open: () => LevelRoomStore.open(dir),
    tearDown: () => rm(dir, { recursive: true, force: true }),
  };
}

function redisBackend(): Backend & { redis(): TestRedis } {
  let redis: TestRedis | null = null;
  let test = 0;
  return {
    name: 'RedisRoomStore',
    redis: () => redis!,
    setUp: async () => {
      redis ??= await startRedis();
      test++;
    },
    // Each test has a key prefix of its own: one redis-server for the file.
    open: () => RedisRoomStore.open(redis!.url, { prefix: `t${test}` }),
    tearDown: async () => {},
  };
}

const redis = redisBackend();
afterAll(() => redis.redis()?.cleanup());

for (const backend of [levelBackend(), redis]) {
  describe(backend.name, () => {
    let store: RoomStore;
    beforeEach(async () => {
      await backend.setUp();
      store = await backend.open();
    });
    afterEach(async () => {
      await store.close().catch(() => {});
      await backend.tearDown();
    });

    it('returns appended updates in order, after a reopen too', async () => {
      expect(await store.load(room('r'))).toEqual({
        updates: [],
        tailCount: 0,
        tailBytes: 0,
        deleted: false,
        retired: null,
      });
      for (let i = 0; i < 12; i++) await store.append(room('r'), new Uint8Array([i, i]));
      await store.close();
      store = await backend.open();
      const loaded = await store.load(room('r'));
      expect(loaded.updates.map((u) => u[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(loaded).toMatchObject({ tailCount: 12, tailBytes: 24 });
      expect(await store.info(room('r'))).toMatchObject({ name: 'r', bytes: 24 });
    });

    it('compaction replaces the tail with a snapshot, and appends continue after it', async () => {
      await store.load(room('r'));
      await store.append(room('r'), new Uint8Array([1]));
      await store.append(room('r'), new Uint8Array([2]));
      await store.compact(room('r'), new Uint8Array([9, 9, 9]), store.logEnd(room('r')));
      await store.append(room('r'), new Uint8Array([3]));
      store.release(room('r'));
      const loaded = await store.load(room('r'));
      expect(plain(loaded.updates)).toEqual([bytes(9, 9, 9), bytes(3)]);
      expect(loaded.tailCount).toBe(1);
      expect(plain(await store.readLog(room('r')))).toEqual([bytes(9, 9, 9), bytes(3)]);
    });

    it('a compaction replaces only the updates before its end: those appended meanwhile stay', async () => {
      await store.load(room('r'));
      await store.append(room('r'), new Uint8Array([1, 1]));
      const end = store.logEnd(room('r'));
      const appending = store.append(room('r'), new Uint8Array([2, 2, 2]));
      await Promise.all([store.compact(room('r'), new Uint8Array([9]), end), appending]);
      await store.append(room('r'), new Uint8Array([3]));
      expect((await store.info(room('r')))?.bytes).toBe(1 + 3 + 1);
      store.release(room('r'));
      const loaded = await store.load(room('r'));
      expect(plain(loaded.updates)).toEqual([bytes(9), bytes(2, 2, 2), bytes(3)]);
      expect(loaded).toMatchObject({ tailCount: 2, tailBytes: 4 });
    });

    it('keeps rooms with related names apart, and lists them in name order', async () => {
      const names = ['a', 'a/b', 'a%2Fb', 'a/u/0', 'ä', 'a!', 'a{b}', 'b'];
      for (const [i, name] of names.entries()) {
        await store.load(room(name));
        await store.append(room(name), new Uint8Array([i]));
      }
      for (const [i, name] of names.entries()) {
        store.release(room(name));
        expect(plain((await store.load(room(name))).updates)).toEqual([bytes(i)]);
      }
      const first = await store.list({ prefix: 'a', after: null, limit: 3 });
      const rest = await store.list({ prefix: 'a', after: first.next, limit: 10 });
      const listed = [...first.rooms, ...rest.rooms].map((info) => info.name);
      expect(listed.sort()).toEqual(names.filter((name) => name.startsWith('a')).sort());
      expect(rest.next).toBeNull();
      await store.delete(room('a'));
      expect(await store.has(room('a'))).toBe(false);
      expect((await store.load(room('a'))).updates).toEqual([]);
      expect(plain((await store.load(room('a/b'))).updates)).toEqual([bytes(1)]);
    });

    it('keeps tombstones and retired state vectors', async () => {
      await store.setDeleted(room('gone'), 1234);
      await store.setRetired(room('gone'), new Uint8Array([1, 2, 3]));
      expect(await store.load(room('gone'))).toMatchObject({ deleted: true });
      expect([...(await store.retired(room('gone')))!]).toEqual([1, 2, 3]);
      const tombstones = [];
      for await (const tombstone of store.deletedRooms()) tombstones.push(tombstone);
      expect(tombstones).toEqual([{ room: 'gone', deletedAt: 1234 }]);
      await store.setDeleted(room('gone'), null);
      await store.setRetired(room('gone'), null);
      expect(await store.deletedAt(room('gone'))).toBeNull();
      expect(await store.retired(room('gone'))).toBeNull();
      await store.checkWritable();
    });

    it('refuses to write a room it has not loaded', async () => {
      await expect(store.append(room('never-loaded'), new Uint8Array([1]))).rejects.toThrow(/must be loaded/);
    });

    it('surfaces write errors', async () => {
      await store.load(room('r'));
      await store.close();
      await expect(store.append(room('r'), new Uint8Array([1]))).rejects.toThrow();
    });
  });
}

describe('RedisRoomStore shared by processes', () => {
  it('refuses appends and compactions to a room another process deleted (its content is removed next: nothing may be written back)', async () => {
    await redis.setUp();
    const prefix = 'shared-delete';
    const [writer, deleter] = await Promise.all([
      RedisRoomStore.open(redis.redis().url, { prefix }),
      RedisRoomStore.open(redis.redis().url, { prefix }),
    ]);
    try {
      await Promise.all([writer.load(room('doomed')), deleter.load(room('doomed'))]);
      await writer.append(room('doomed'), new Uint8Array([1]));
      await deleter.setDeleted(room('doomed'), Date.now());
      expect(await writer.compactFromLog(room('doomed'), async () => new Uint8Array([9]))).toBeNull();
      await writer.append(room('doomed'), new Uint8Array([4]));
      // What the deleter removes is what Redis held, the writer's appends it never read included.
      expect(plain(await deleter.takeContent(room('doomed')))).toEqual([bytes(1), bytes(4)]);
      // The writer has not heard of the deletion: its next append must not make the log again.
      await expect(writer.append(room('doomed'), new Uint8Array([2]))).rejects.toThrow(/was deleted/);
      expect(await deleter.has(room('doomed'))).toBe(false);
      // Undeleted, it takes writes again.
      await deleter.setDeleted(room('doomed'), null);
      await writer.append(room('doomed'), new Uint8Array([3]));
      expect(plain(await deleter.readLog(room('doomed')))).toEqual([bytes(3)]);
    } finally {
      await Promise.all([writer.close(), deleter.close()]);
    }
  });
});
