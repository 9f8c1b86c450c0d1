import { encodeAwareness } from '@inkroom/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { type RawClient, rawClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** One awareness update with the given entries (client id, clock, state). */
function presence(entries: [client: number, clock: number, state: unknown][]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const [client, clock, state] of entries) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encodeAwareness(encoding.toUint8Array(encoder));
}

/** The awareness frames a bare socket received: each entry's client id and state. */
function received(client: RawClient): { client: number; state: { x?: number } | null }[][] {
  return client.frames
    .filter((frame) => frame[0] === 1)
    .map((frame) => {
      const decoder = decoding.createDecoder(frame);
      decoding.readVarUint(decoder);
      const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
      const count = decoding.readVarUint(update);
      return Array.from({ length: count }, () => {
        const client = decoding.readVarUint(update);
        decoding.readVarUint(update);
        return { client, state: JSON.parse(decoding.readVarString(update)) };
      });
    });
}

describe('presence floods are merged, never relayed one for one', () => {
  let t: TestServer;
  afterEach(() => t.cleanup());

  it('5,000 presence updates a second from one socket, for 2 s, for two client ids: about 30 a second relayed, the latest of each arrives', async () => {
    t = await startTestServer({ awarenessPerSecond: 30 });
    const flooder = rawClient(t.wsUrl, 'flood');
    const watcher = rawClient(t.wsUrl, 'flood');
    await Promise.all([flooder.opened, watcher.opened]);
    const started = performance.now();
    let clock = 0;
    // 10 messages every 2 ms, alternating between the socket's two client ids.
    while (performance.now() - started < 2000) {
      for (let i = 0; i < 10; i++) {
        clock++;
        flooder.ws.send(presence([[100 + (clock % 2), clock, { x: clock }]]));
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const seconds = (performance.now() - started) / 1000;
    const last = clock;
    const latest = (id: number) =>
      received(watcher)
        .flat()
        .filter((entry) => entry.client === id)
        .at(-1)?.state?.x;
    await waitFor(
      () => latest(100 + (last % 2)) === last && latest(100 + ((last - 1) % 2)) === last - 1,
      'the latest state of both ids',
    );
    const relayed = received(watcher).length;
    expect(clock / seconds).toBeGreaterThan(2000);
    // The bucket's burst (twice the rate), then the rate, plus the last merged one.
    expect(relayed).toBeLessThanOrEqual(60 + 30 * seconds + 2);
    expect(relayed).toBeGreaterThan(30);
    expect(flooder.ws.readyState).toBe(flooder.ws.OPEN);
  });

  it('a room relays at most its total a second, however many sockets speak', async () => {
    t = await startTestServer({ awarenessPerSecond: 1000, roomAwarenessPerSecond: 50 });
    const speakers = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const socket = rawClient(t.wsUrl, 'crowd');
        await socket.opened;
        return socket;
      }),
    );
    const watcher = rawClient(t.wsUrl, 'crowd');
    await watcher.opened;
    const started = performance.now();
    let clock = 0;
    while (performance.now() - started < 1000) {
      clock++;
      speakers.forEach((socket, i) => {
        socket.ws.send(presence([[200 + i, clock, { x: clock }]]));
      });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const seconds = (performance.now() - started) / 1000;
    const last = clock;
    await waitFor(
      () =>
        speakers.every((_, i) =>
          received(watcher)
            .flat()
            .some((entry) => entry.client === 200 + i && entry.state?.x === last),
        ),
      "everyone's latest state",
    );
    const relayed = received(watcher).length;
    expect(clock * speakers.length).toBeGreaterThan(1000);
    expect(relayed).toBeLessThanOrEqual(50 + 50 * seconds + 2);
    for (const socket of [...speakers, watcher]) socket.ws.close();
  });
});
