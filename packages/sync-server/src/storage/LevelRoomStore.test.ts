import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoomId } from '@inkroom/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LevelRoomStore } from './LevelRoomStore.js';

const room = (name: string) => name as RoomId;
const bytes = (...values: number[]) => [...values];
const plain = (updates: readonly Uint8Array[]) => updates.map((u) => [...u]);

describe('LevelRoomStore', () => {
  let dir: string;
  let store: LevelRoomStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inkroom-store-'));
    store = await LevelRoomStore.open(dir);
  });
  afterEach(async () => {
    await store.close().catch(() => {});
    await rm(dir, { recursive: true, force: true });
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
    store = await LevelRoomStore.open(dir);
    const loaded = await store.load(room('r'));
    expect(loaded.updates.map((u) => u[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(loaded).toMatchObject({ tailCount: 12, tailBytes: 24 });
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

  it('keeps rooms with related names apart', async () => {
    const names = ['a', 'a/b', 'a%2Fb', 'a/u/0', 'ä', 'a!'];
    for (const [i, name] of names.entries()) {
      await store.load(room(name));
      await store.append(room(name), new Uint8Array([i]));
    }
    for (const [i, name] of names.entries()) {
      store.release(room(name));
      expect(plain((await store.load(room(name))).updates)).toEqual([bytes(i)]);
    }
    await store.delete(room('a'));
    expect((await store.load(room('a'))).updates).toEqual([]);
    expect(plain((await store.load(room('a/b'))).updates)).toEqual([bytes(1)]);
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
