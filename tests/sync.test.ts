import {
  addElement,
  CloseCode,
  createBoardDoc,
  encodeSyncStep1,
  getElement,
  listElements,
  parseRoomId,
  pointsFrom,
  setElementField,
} from '@inkroom/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Client, connectClient, rawClient, syncAnswer, syncUpdate, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** `count` strokes of 50 points (about 270 bytes each), in rows of 60, as one update by `clientID`. */
function strokeBoard(count: number, clientID?: number): Uint8Array {
  const source = createBoardDoc();
  if (clientID !== undefined) source.clientID = clientID;
  source.transact(() => {
    for (let i = 0; i < count; i++) {
      const points = pointsFrom(Array.from({ length: 50 }, (_, j) => [j * 3 + (i % 7), j * 2, 0.5]));
      addElement(source, { kind: 'stroke', x: (i % 60) * 80, y: Math.floor(i / 60) * 80, points });
    }
  });
  return Y.encodeStateAsUpdate(source);
}

describe('sync between stock y-websocket clients', () => {
  let t: TestServer;
  const clients: Client[] = [];
  const client = (room: string, params?: Record<string, string>, clientID?: number) => {
    const doc = new Y.Doc();
    if (clientID !== undefined) doc.clientID = clientID;
    const c = connectClient(t.wsUrl, room, { doc, ...(params ? { params } : {}) });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await t.cleanup();
  });

  it('two clients converge on each other’s edits', async () => {
    const a = client('board-1');
    const b = client('board-1');
    await Promise.all([a.synced, b.synced]);
    const rect = addElement(a.doc, { kind: 'rectangle', x: 10, y: 20, width: 100, height: 50 });
    const note = addElement(b.doc, { kind: 'sticky', text: 'hello', x: 300 });
    await waitFor(
      () => getElement(b.doc, rect) !== null && getElement(a.doc, note) !== null,
      'both elements',
    );
    setElementField(a.doc, note, 'x', 400);
    setElementField(b.doc, rect, 'strokeColor', '#e03131');
    await waitFor(
      () => getElement(b.doc, note)?.x === 400 && getElement(a.doc, rect)?.strokeColor === '#e03131',
      'concurrent field edits',
    );
    expect(listElements(a.doc)).toEqual(listElements(b.doc));
  });

  it('a late joiner receives the whole board', async () => {
    const a = client('board-2');
    await a.synced;
    for (let i = 0; i < 50; i++) addElement(a.doc, { kind: 'ellipse', x: i * 10 });
    const b = client('board-2');
    await b.synced;
    await waitFor(() => listElements(b.doc).length === 50, '50 elements at the late joiner');
  });

  it('keeps rooms apart, and the query string is not part of the room', async () => {
    const a = client('room-a');
    const aWithToken = client('room-a', { token: 'abc', v: '1' });
    const other = client('room-b');
    await Promise.all([a.synced, aWithToken.synced, other.synced]);
    addElement(a.doc, { kind: 'text', text: 'only in room-a' });
    await waitFor(() => listElements(aWithToken.doc).length === 1, 'same room despite the query string');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listElements(other.doc)).toHaveLength(0);
  });

  it('decodes percent-encoded room names', async () => {
    const a = client('team plan/ünïcode');
    const b = client(encodeURIComponent('team plan/ünïcode'));
    await Promise.all([a.synced, b.synced]);
    addElement(a.doc, { kind: 'ellipse' });
    await waitFor(() => listElements(b.doc).length === 1, 'the element in the same room');
  });

  it('a large board reaches a newcomer in pieces, in dependency order, and a stock client is synced once all have arrived', async () => {
    // 3,000 strokes of 50 points (about 800 KB) written by client 1, then client 2 moves every
    // third: client 2's items sit in client 1's elements. Yjs writes the higher client id first,
    // so in the update's own order client 2's pieces would come before what they point at.
    await t.server.core.importUpdate(parseRoomId('big')!, strokeBoard(3000, 1));
    const mover = client('big', undefined, 2);
    await mover.synced;
    mover.doc.transact(() => {
      for (const [i, element] of listElements(mover.doc).entries())
        if (i % 3 === 0) setElementField(mover.doc, element.id, 'x', element.x + 1);
    });
    const moved = Y.encodeStateVector(mover.doc);
    // Until the server holds the moves.
    for (let tries = 0; tries < 100; tries++) {
      const stored = await t.server.core.readRoom('big');
      if (stored && Buffer.from(Y.encodeStateVectorFromUpdate(stored)).equals(moved)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // A bare socket asks for everything and keeps what comes.
    const raw = rawClient(t.wsUrl, 'big');
    await raw.opened;
    raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
    const syncFrames = () => raw.frames.filter((frame) => frame[0] === 0 && frame[1] !== 0);
    await waitFor(() => syncFrames().some((frame) => frame[1] === 1), 'the sync step 2', 10_000);
    raw.ws.close();
    const frames = syncFrames();
    // Update messages (0, 2), then the step 2 (0, 1) last; the first small, none much over 64 KiB.
    expect(frames.length).toBeGreaterThan(10);
    expect(frames.slice(0, -1).every((frame) => frame[1] === 2)).toBe(true);
    expect(frames.at(-1)![1]).toBe(1);
    expect(frames[0]!.length).toBeLessThan(20 * 1024);
    expect(Math.max(...frames.map((frame) => frame.length))).toBeLessThan(70 * 1024);
    // Applied one by one, no piece waits for a later one.
    const copy = new Y.Doc();
    for (const frame of frames) {
      Y.applyUpdate(copy, syncUpdate(frame)!);
      expect(copy.store.pendingStructs).toBeNull();
    }
    expect(Y.encodeStateVector(copy)).toEqual(moved);

    // A stock client has every element, moved, the moment it says it is synced.
    const newcomer = client('big');
    let atSync: ReturnType<typeof listElements> = [];
    newcomer.provider.once('sync', () => {
      atSync = listElements(newcomer.doc);
    });
    await newcomer.synced;
    expect(atSync).toHaveLength(3000);
    expect(atSync).toEqual(listElements(mover.doc));
  });

  it('a client that reads a big board slowly gets all of it, paced by what its socket holds, on a server that lets a socket queue little', async () => {
    const small = await startTestServer({ maxBufferedBytes: 256 * 1024 });
    try {
      const board = strokeBoard(30_000);
      expect(board.length).toBeGreaterThan(6 * 1024 * 1024);
      await small.server.core.importUpdate(parseRoomId('slow')!, board);
      const raw = rawClient(small.wsUrl, 'slow');
      await raw.opened;
      // It stops reading as soon as it has asked, for long enough that the whole answer would
      // be queued on the server's side, then reads on.
      const socket = (raw.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
      raw.ws.send(encodeSyncStep1(Y.encodeStateVector(new Y.Doc())));
      socket.pause();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      socket.resume();
      const closed = raw.closed.then(({ code }) => code);
      await waitFor(
        () => raw.frames.some((frame) => frame[0] === 0 && frame[1] === 1),
        'the sync step 2',
        20_000,
      );
      const copy = new Y.Doc();
      Y.applyUpdate(copy, syncAnswer(raw)!);
      expect(listElements(copy)).toHaveLength(30_000);
      raw.ws.close();
      expect(await closed).not.toBe(CloseCode.Overloaded);
    } finally {
      await small.cleanup();
    }
  }, 60_000);

  it('a socket that asks for a big board again and again gets one answer in flight, the latest, not one per ask', async () => {
    const board = strokeBoard(4000);
    await t.server.core.importUpdate(parseRoomId('asked')!, board);
    const raw = rawClient(t.wsUrl, 'asked');
    await raw.opened;
    const ask = encodeSyncStep1(Y.encodeStateVector(new Y.Doc()));
    for (let i = 0; i < 5; i++) raw.ws.send(ask);
    const stepTwos = () => raw.frames.filter((frame) => frame[0] === 0 && frame[1] === 1).length;
    await waitFor(() => stepTwos() > 0, 'a sync step 2', 10_000);
    // Long enough for the other answers, were they sent, to arrive too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    raw.ws.close();
    expect(stepTwos()).toBe(1);
    const received = raw.frames
      .filter((frame) => frame[0] === 0 && frame[1] !== 0)
      .reduce((sum, frame) => sum + frame.length, 0);
    expect(received).toBeGreaterThan(board.length);
    expect(received).toBeLessThan(board.length * 1.5);
  });
});
