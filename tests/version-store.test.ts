// Both VersionStore implementations, on a real LevelDB in a temp folder and a real redis-server:
// a chain of versions reads each one whole, and removing versions folds them into the next kept
// one, so every later version still reads whole.
import { rm } from 'node:fs/promises';
import { addElement, createBoardDoc, deleteElements, listElements, parseRoomId } from '@inkroom/shared';
import {
  LevelRoomStore,
  LevelVersionStore,
  RedisVersionStore,
  type VersionStore,
} from '@inkroom/sync-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { makeDataDir } from './helpers/server.js';

const room = parseRoomId('chain')!;

/** Four states of one board, and each version's update against the one before. */
function states() {
  const doc = createBoardDoc();
  const boards: Y.Doc[] = [];
  const ids = [];
  for (let step = 0; step < 4; step++) {
    for (let i = 0; i < 3; i++) ids.push(addElement(doc, { kind: 'rectangle', x: step * 10 + i, y: step }));
    if (step === 2) deleteElements(doc, ids.slice(0, 4));
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    boards.push(copy);
  }
  return boards;
}

const elementIds = (doc: Y.Doc) =>
  listElements(doc)
    .map((e) => e.id)
    .sort();

async function readAs(store: VersionStore, id: number): Promise<string[]> {
  const chain = await store.chain(room, id);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.mergeUpdates(chain!));
  return elementIds(doc);
}

function exercise(name: string, open: () => Promise<VersionStore>) {
  it(`${name}: reads each version of a chain whole, and after thinning the rest still read whole`, async () => {
    const store = await open();
    const boards = states();
    let previous: Uint8Array | null = null;
    for (const [i, board] of boards.entries()) {
      const whole = Y.encodeStateAsUpdate(board);
      const update = previous ? Y.diffUpdate(whole, previous) : whole;
      const latest = await store.latestStateVector(room);
      expect(latest && [...latest]).toEqual(previous && [...previous]);
      const added = await store.add(room, {
        time: 1000 * i,
        name: i === 0 ? 'start' : null,
        authors: ['Ada'],
        update,
        stateVector: Y.encodeStateVector(board),
      });
      expect(added.id).toBe(i + 1);
      previous = Y.encodeStateVector(board);
    }
    for (const [i, board] of boards.entries()) expect(await readAs(store, i + 1)).toEqual(elementIds(board));
    expect(await store.chain(room, 9)).toBeNull();

    await store.remove(room, [2, 3], (updates) => Y.mergeUpdates(updates));
    const listed = await store.list(room);
    expect(listed.map((v) => [v.id, v.name])).toEqual([
      [1, 'start'],
      [4, null],
    ]);
    expect(await readAs(store, 1)).toEqual(elementIds(boards[0]!));
    expect(await readAs(store, 4)).toEqual(elementIds(boards[3]!));
    expect(await store.chain(room, 2)).toBeNull();
    await expect(store.remove(room, [4], (u) => Y.mergeUpdates(u))).rejects.toThrow(/latest/);
    // A new version still goes after the latest, and ids are not reused.
    const next = await store.add(room, {
      time: 9000,
      name: null,
      authors: [],
      update: new Uint8Array([0, 0]),
      stateVector: previous!,
    });
    expect(next.id).toBe(5);
    await store.clear(room);
    expect(await store.list(room)).toEqual([]);
  });
}

describe('version stores', () => {
  let dataDir: string;
  let level: LevelRoomStore;
  let redis: TestRedis;
  beforeAll(async () => {
    dataDir = await makeDataDir();
    level = await LevelRoomStore.open(dataDir);
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await level?.close();
    await rm(dataDir, { recursive: true, force: true });
    await redis?.cleanup();
  });

  exercise('LevelDB', async () => new LevelVersionStore(level.db));
  exercise('Redis', async () => new RedisVersionStore(redis.client, `t${Date.now()}`));
});
