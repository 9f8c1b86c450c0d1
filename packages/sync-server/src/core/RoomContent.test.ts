import { ProtocolError } from '@inkroom/shared';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Compactor } from './Compactor.js';
import { CorruptRoomError, RoomContent, type StoredReader } from './RoomContent.js';

function boardWith(entries: number, valueBytes = 0): Y.Doc {
  const doc = new Y.Doc();
  const filler = 'x'.repeat(valueBytes);
  for (let i = 0; i < entries; i++) doc.getMap('m').set(`k${i}`, valueBytes ? `${i}${filler}` : i);
  return doc;
}

describe('RoomContent', () => {
  const noUpdates = () => {};
  const worker = new Compactor();
  afterAll(() => worker.close());

  /** The worker, counting what it is asked. */
  function counting(): StoredReader & { calls: string[] } {
    const calls: string[] = [];
    const noted = <T>(call: string, result: T): T => {
      calls.push(call);
      return result;
    };
    return {
      calls,
      merge: (updates) => noted('merge', worker.merge(updates)),
      stateVector: (updates) => noted('stateVector', worker.stateVector(updates)),
      diff: (updates, stateVector) => noted('diff', worker.diff(updates, stateVector)),
    };
  }

  it('answers from the stored bytes without building a doc, exactly as a live doc would', async () => {
    const source = boardWith(50);
    const snapshot = Y.encodeStateAsUpdate(source);
    const reader = counting();
    const content = await RoomContent.fromStored([snapshot], noUpdates, reader);
    // A fresh client gets the stored snapshot itself.
    expect(await content.diff(new Uint8Array([0]))).toBe(snapshot);
    expect(content.isLive).toBe(false);
    // A client holding part of the board gets only the rest.
    const early = new Y.Doc();
    Y.applyUpdate(early, snapshot);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(early));
    source.getMap('m').set('late', 1);
    const grown = await RoomContent.fromStored([Y.encodeStateAsUpdate(source)], noUpdates, reader);
    const lacking = await grown.diff(Y.encodeStateVector(client));
    expect(lacking.length).toBeLessThan(snapshot.length / 4);
    Y.applyUpdate(client, lacking);
    expect(client.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(await content.stateVector()).toEqual(Y.encodeStateVector(early));
    expect(content.isLive).toBe(false);
    // A small board is read on the loop: the worker is not asked.
    expect(reader.calls).toEqual([]);
  });

  it('reads a large board off the event loop, with the same answers', async () => {
    const source = boardWith(2_000, 400);
    const before = Y.encodeStateVector(source);
    source.getMap('m').set('tail', 1);
    const log = [Y.encodeStateAsUpdate(source, new Uint8Array([0])), Y.encodeStateAsUpdate(source, before)];
    expect(log[0]!.length).toBeGreaterThan(512 * 1024);
    const reader = counting();
    const content = await RoomContent.fromStored(log, noUpdates, reader);
    expect(await content.stateVector()).toEqual(Y.encodeStateVector(source));
    const client = new Y.Doc();
    client.getMap('m').set('k1', 'mine');
    Y.applyUpdate(client, await content.diff(Y.encodeStateVector(client)));
    expect(client.getMap('m').size).toBe(2_001);
    // Asked twice, the state vector is read once.
    await content.stateVector();
    expect(reader.calls).toEqual(['merge', 'stateVector', 'diff']);
  });

  it('turns live on the first write and reports what was integrated', async () => {
    const updates: Uint8Array[] = [];
    const content = await RoomContent.fromStored(
      [Y.encodeStateAsUpdate(boardWith(3))],
      (u) => updates.push(u),
      worker,
    );
    const writer = new Y.Doc();
    writer.getMap('m').set('new', true);
    content.apply(Y.encodeStateAsUpdate(writer), null, 1024);
    expect(content.isLive).toBe(true);
    expect(updates).toHaveLength(1);
    const all = new Y.Doc();
    Y.applyUpdate(all, content.snapshot());
    expect(all.getMap('m').size).toBe(4);
  });

  it('merges a snapshot and a tail', async () => {
    const a = boardWith(2);
    const before = Y.encodeStateVector(a);
    a.getMap('m').set('later', 1);
    const content = await RoomContent.fromStored(
      [Y.encodeStateAsUpdate(a, new Uint8Array([0])), Y.encodeStateAsUpdate(a, before)],
      noUpdates,
      worker,
    );
    const check = new Y.Doc();
    Y.applyUpdate(check, await content.diff(new Uint8Array([0])));
    expect(check.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON());
  });

  it('tells a bad state vector from corrupt storage, small or large', async () => {
    const content = await RoomContent.fromStored([Y.encodeStateAsUpdate(boardWith(1))], noUpdates, worker);
    expect(() => content.diff(new Uint8Array([5, 0xff]))).toThrow(ProtocolError);
    await expect(
      RoomContent.fromStored([new Uint8Array([1, 2, 3]), new Uint8Array([4])], noUpdates, worker),
    ).rejects.toThrow(CorruptRoomError);
    const corrupt = await RoomContent.fromStored([new Uint8Array([9, 9, 9])], noUpdates, worker);
    await expect(corrupt.stateVector()).rejects.toThrow(CorruptRoomError);
    // Large bytes that do not decode: the worker's failure is read again here, and told apart.
    const large = await RoomContent.fromStored([new Uint8Array(600 * 1024).fill(0xff)], noUpdates, worker);
    await expect(large.stateVector()).rejects.toThrow(CorruptRoomError);
  });
});
