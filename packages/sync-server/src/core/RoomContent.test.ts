import { ProtocolError } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CorruptRoomError, RoomContent } from './RoomContent.js';

function boardWith(entries: number): Y.Doc {
  const doc = new Y.Doc();
  for (let i = 0; i < entries; i++) doc.getMap('m').set(`k${i}`, i);
  return doc;
}

describe('RoomContent', () => {
  const noUpdates = () => {};

  it('answers from the stored bytes without building a doc, exactly as a live doc would', () => {
    const source = boardWith(50);
    const snapshot = Y.encodeStateAsUpdate(source);
    const content = RoomContent.fromStored([snapshot], noUpdates);
    // A fresh client gets the stored snapshot itself.
    expect(content.diff(new Uint8Array([0]))).toBe(snapshot);
    expect(content.isLive).toBe(false);
    // A client holding part of the board gets only the rest.
    const early = new Y.Doc();
    Y.applyUpdate(early, snapshot);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(early));
    source.getMap('m').set('late', 1);
    const grown = RoomContent.fromStored([Y.encodeStateAsUpdate(source)], noUpdates);
    const lacking = grown.diff(Y.encodeStateVector(client));
    expect(lacking.length).toBeLessThan(snapshot.length / 4);
    Y.applyUpdate(client, lacking);
    expect(client.getMap('m').toJSON()).toEqual(source.getMap('m').toJSON());
    expect(content.stateVector()).toEqual(Y.encodeStateVector(early));
    expect(content.isLive).toBe(false);
  });

  it('turns live on the first write and reports what was integrated', () => {
    const updates: Uint8Array[] = [];
    const content = RoomContent.fromStored([Y.encodeStateAsUpdate(boardWith(3))], (u) => updates.push(u));
    const writer = new Y.Doc();
    writer.getMap('m').set('new', true);
    content.apply(Y.encodeStateAsUpdate(writer), null, 1024);
    expect(content.isLive).toBe(true);
    expect(updates).toHaveLength(1);
    const all = new Y.Doc();
    Y.applyUpdate(all, content.snapshot());
    expect(all.getMap('m').size).toBe(4);
  });

  it('merges a snapshot and a tail', () => {
    const a = boardWith(2);
    const before = Y.encodeStateVector(a);
    a.getMap('m').set('later', 1);
    const content = RoomContent.fromStored(
      [Y.encodeStateAsUpdate(a, new Uint8Array([0])), Y.encodeStateAsUpdate(a, before)],
      noUpdates,
    );
    const check = new Y.Doc();
    Y.applyUpdate(check, content.diff(new Uint8Array([0])));
    expect(check.getMap('m').toJSON()).toEqual(a.getMap('m').toJSON());
  });

  it('tells a bad state vector from corrupt storage', () => {
    const content = RoomContent.fromStored([Y.encodeStateAsUpdate(boardWith(1))], noUpdates);
    expect(() => content.diff(new Uint8Array([5, 0xff]))).toThrow(ProtocolError);
    expect(() => RoomContent.fromStored([new Uint8Array([1, 2, 3]), new Uint8Array([4])], noUpdates)).toThrow(
      CorruptRoomError,
    );
    const corrupt = RoomContent.fromStored([new Uint8Array([9, 9, 9])], noUpdates);
    expect(() => corrupt.stateVector()).toThrow(CorruptRoomError);
  });
});
