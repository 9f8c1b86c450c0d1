import { addElement, CloseCode, encodeSyncStep1, encodeUpdate, listElements } from '@inkroom/shared';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Client, connectClient, rawClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const MAX_MESSAGE = 64 * 1024;
const MAX_PENDING = 8 * 1024;

describe('bad input closes only the offending socket', () => {
  let t: TestServer;
  let a: Client;
  let b: Client;
  let rounds = 0;

  beforeAll(async () => {
    t = await startTestServer({
      maxMessageBytes: MAX_MESSAGE,
      maxPendingUpdateBytes: MAX_PENDING,
      maxBufferedBytes: 256 * 1024,
    });
    a = connectClient(t.wsUrl, 'victim');
    b = connectClient(t.wsUrl, 'victim');
    await Promise.all([a.synced, b.synced]);
    addElement(a.doc, { kind: 'sticky', text: 'survives everything' });
    // Some bulk, so that answering a sync step 1 costs real bytes.
    addElement(a.doc, { kind: 'text', text: 'x'.repeat(20_000) });
    await waitFor(() => listElements(b.doc).length === 2, 'initial elements');
  });
  afterAll(async () => {
    a.destroy();
    b.destroy();
    await t.cleanup();
  });

  /** Sends `frame` on a fresh socket in the room; returns the close code it earned. */
  async function send(frame: Uint8Array | string): Promise<number> {
    const r = rawClient(t.wsUrl, 'victim');
    await r.opened;
    r.ws.send(frame);
    const { code } = await r.closed;
    // The room lives on: the good clients stay connected and keep syncing.
    rounds++;
    addElement(a.doc, { kind: 'ellipse', x: rounds });
    await waitFor(
      () => listElements(b.doc).length === listElements(a.doc).length,
      'sync after the bad frame',
    );
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    return code;
  }

  const cases: [string, () => Uint8Array | string, number][] = [
    ['an empty frame', () => new Uint8Array(0), CloseCode.MalformedMessage],
    [
      'garbage',
      () => new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      CloseCode.MalformedMessage,
    ],
    ['a truncated sync message', () => new Uint8Array([0, 2, 40, 1, 2]), CloseCode.MalformedMessage],
    ['bytes after a message', () => new Uint8Array([3, 0]), CloseCode.MalformedMessage],
    ['an unknown message type', () => new Uint8Array([42]), CloseCode.UnknownMessageType],
    ['an auth message from a client', () => new Uint8Array([2, 0]), CloseCode.UnknownMessageType],
    ['an unknown sync sub-type', () => new Uint8Array([0, 7, 0]), CloseCode.UnknownMessageType],
    ['a text frame', () => 'hello', CloseCode.UnsupportedData],
    [
      'an update that does not decode',
      () => encodeUpdate(new Uint8Array([0xff, 0xff, 0xff])),
      CloseCode.InvalidUpdate,
    ],
    [
      'a state vector that does not decode',
      () => encodeSyncStep1(new Uint8Array([5, 0xff])),
      CloseCode.MalformedMessage,
    ],
    ['a malformed awareness update', () => new Uint8Array([1, 3, 1, 0xff, 0xff]), CloseCode.MalformedMessage],
    ['a frame over the size limit', () => new Uint8Array(MAX_MESSAGE + 1), CloseCode.MessageTooBig],
  ];

  for (const [what, frame, code] of cases) {
    it(`${what} → close ${code}, with a log line`, async () => {
      const logged = t.logs.lines.length;
      expect(await send(frame())).toBe(code);
      expect(t.logs.lines.slice(logged).some((line) => line.level === 40)).toBe(true);
    });
  }

  it('an awareness update with one bad state applies none of its states', async () => {
    const frame = (() => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 21);
      for (let i = 0; i < 20; i++) {
        encoding.writeVarUint(inner, 900 + i);
        encoding.writeVarUint(inner, 1);
        encoding.writeVarString(inner, JSON.stringify({ ghost: i }));
      }
      encoding.writeVarUint(inner, 999);
      encoding.writeVarUint(inner, 1);
      encoding.writeVarString(inner, '{bad');
      encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
      return encoding.toUint8Array(encoder);
    })();
    expect(await send(frame)).toBe(CloseCode.MalformedMessage);
    const joiner = connectClient(t.wsUrl, 'victim');
    await joiner.synced;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...joiner.awareness.getStates().keys()].filter((id) => id >= 900 && id < 1000)).toEqual([]);
    joiner.destroy();
  });

  it('a socket that stops reading is closed instead of buffering without bound', async () => {
    const r = rawClient(t.wsUrl, 'victim');
    await r.opened;
    // Stop reading, then ask for the whole board again and again.
    (r.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    for (let i = 0; i < 400; i++) r.ws.send(encodeSyncStep1(new Uint8Array([0])));
    await waitFor(() => t.logs.lines.some((l) => l.code === CloseCode.Overloaded), 'the overload log line');
    // Only the two good clients are left.
    await waitFor(() => t.server.core.stats().connections === 2, 'the socket to be dropped');
    r.ws.terminate();
  });

  it('updates whose dependencies never arrive are bounded in memory and never stored', async () => {
    const forger = new Y.Doc();
    const updates: Uint8Array[] = [];
    forger.on('update', (update: Uint8Array) => updates.push(update));
    const text = forger.getText('t');
    for (let i = 0; i < 400; i++) text.insert(text.length, 'x'.repeat(64));
    // Withhold the first update: everything after it depends on it.
    const r = rawClient(t.wsUrl, 'victim');
    await r.opened;
    // A few, under the limit: they wait in the server, but a joiner must not be sent them.
    for (const update of updates.slice(1, 4)) r.ws.send(encodeUpdate(update));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const joiner = connectClient(t.wsUrl, 'victim');
    await joiner.synced;
    expect(joiner.doc.store.pendingStructs).toBeNull();
    joiner.destroy();
    for (const update of updates.slice(1)) {
      if (r.ws.readyState !== r.ws.OPEN) break;
      r.ws.send(encodeUpdate(update));
    }
    expect((await r.closed).code).toBe(CloseCode.TooManyPendingUpdates);
    // Nothing of it reached the other clients, and nothing of it was stored.
    expect(b.doc.getText('t').length).toBe(0);
    const elements = listElements(a.doc).length;
    a.destroy();
    b.destroy();
    t = await t.restart();
    const fresh = connectClient(t.wsUrl, 'victim');
    await fresh.synced;
    expect(listElements(fresh.doc)).toHaveLength(elements);
    expect(fresh.doc.getText('t').length).toBe(0);
    a = fresh;
    b = connectClient(t.wsUrl, 'victim');
    await b.synced;
  });
});

describe('a socket that does not answer the close', () => {
  it('is cut within about a second, so what is queued for it is released', async () => {
    const { createConnection } = await import('node:net');
    const { randomBytes } = await import('node:crypto');
    const t = await startTestServer();
    try {
      const port = t.server.port;
      const socket = createConnection({ port, host: '127.0.0.1' });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET /silent HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
      let received = '';
      await new Promise<void>((resolve) =>
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString('latin1');
          if (received.includes('\r\n\r\n')) resolve();
        }),
      );
      expect(received).toMatch(/^HTTP\/1\.1 101/);
      // A masked text frame "x": the server closes with 1003 and waits for an answer that never comes.
      const mask = randomBytes(4);
      socket.write(Buffer.from([0x81, 0x81, ...mask, 'x'.charCodeAt(0) ^ mask[0]!]));
      const started = Date.now();
      await new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const ms = Date.now() - started;
      expect(ms).toBeLessThan(2500);
      expect(ms).toBeGreaterThanOrEqual(900);
    } finally {
      await t.cleanup();
    }
  });
});
