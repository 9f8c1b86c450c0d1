import { CloseCode, encodeAwareness, encodeUpdate } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type Client, connectClient, rawClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** One small update that sets `m.<key>`, from a doc of its own (each is independent). */
function update(key: string, doc = new Y.Doc()): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.getMap('m').set(key, key);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('rate and address limits', () => {
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const t of servers.splice(0)) await t.cleanup();
  });
  async function start(options: Parameters<typeof startTestServer>[0] = {}) {
    const t = await startTestServer(options);
    servers.push(t);
    return t;
  }
  function client(t: TestServer, room: string) {
    const c = connectClient(t.wsUrl, room);
    clients.push(c);
    return c;
  }
  it('a flood is held back and then closed (4429); a board at drawing speed beside it is unaffected', async () => {
    const t = await start({ updatesPerSecond: 50, maxBufferedBytes: 32 * 1024, maxMessageBytes: 64 * 1024 });
    const drawer = client(t, 'shared');
    const watcher = client(t, 'shared');
    await Promise.all([drawer.synced, watcher.synced]);
    const flood = rawClient(t.wsUrl, 'shared');
    await flood.opened;
    const doc = new Y.Doc();
    for (let i = 0; i < 3000 && flood.ws.readyState === flood.ws.OPEN; i++)
      flood.ws.send(encodeUpdate(update(`f${i}`, doc)));
    // Meanwhile, a stroke every 50 ms (20 a second) from a well-behaved board.
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const sent = performance.now();
      drawer.doc.getMap('strokes').set(`s${i}`, i);
      await waitFor(() => watcher.doc.getMap('strokes').get(`s${i}`) === i, `stroke ${i}`);
      latencies.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await flood.closed).code).toBe(CloseCode.RateExceeded);
    expect(drawer.provider.wsconnected && watcher.provider.wsconnected).toBe(true);
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(100);
    // What the flood got in before it was cut is a prefix of what it sent, in order: nothing jumped.
    const got = [...watcher.doc.getMap('m').keys()].map((key) => Number(key.slice(1))).sort((a, b) => a - b);
    expect(got).toEqual(got.map((_, i) => i));
  });

  it('updates over the rate wait rather than being lost, in order; presence over it merges', async () => {
    const t = await start({ updatesPerSecond: 100, awarenessPerSecond: 20 });
    const sender = rawClient(t.wsUrl, 'burst');
    const receiver = client(t, 'burst');
    await Promise.all([sender.opened, receiver.synced]);
    const doc = new Y.Doc();
    const started = performance.now();
    for (let i = 0; i < 400; i++) sender.ws.send(encodeUpdate(update(`u${i}`, doc)));
    await waitFor(() => receiver.doc.getMap('m').size === 400, 'all 400 updates', 10_000);
    // 200 went through at once (the burst), 200 more at 100 a second.
    expect(performance.now() - started).toBeGreaterThan(1500);
    const presence = new awarenessProtocol.Awareness(new Y.Doc());
    for (let i = 0; i < 100; i++) {
      presence.setLocalState({ cursor: { x: i, y: i } });
      sender.ws.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(presence, [presence.clientID])));
    }
    await waitFor(
      () =>
        (receiver.awareness.getStates().get(presence.clientID) as { cursor?: { x: number } })?.cursor?.x ===
        99,
      'the last cursor',
      5000,
    );
    expect(sender.ws.readyState).toBe(sender.ws.OPEN);
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/inkroom_throttled_messages_total\{kind="update"\} [1-9]/);
    expect(metrics).toMatch(/inkroom_throttled_messages_total\{kind="awareness"\} [1-9]/);
    presence.destroy();
    sender.ws.close();
  });

  it('a board at full drawing speed on a 144 Hz screen (144 updates and cursor moves a second): edits are never held back, presence is merged and its latest state arrives', async () => {
    const t = await start();
    const a = client(t, 'speed');
    const b = client(t, 'speed');
    await Promise.all([a.synced, b.synced]);
    const started = performance.now();
    for (let frame = 0; frame < 288; frame++) {
      a.doc.getMap('drag').set('x', frame);
      a.awareness.setLocalStateField('cursor', { x: frame, y: frame });
      // Frame by frame, on the clock: a slow timer must not bunch frames up into a burst either.
      const next = started + ((frame + 1) * 1000) / 144;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
    await waitFor(() => b.doc.getMap('drag').get('x') === 287, 'the last frame');
    await waitFor(
      () => (b.awareness.getStates().get(a.doc.clientID) as { cursor?: { x: number } })?.cursor?.x === 287,
      'the last cursor',
    );
    const metrics = await (await fetch(`${t.httpUrl}/metrics`)).text();
    expect(metrics).not.toMatch(/inkroom_throttled_messages_total\{kind="update"\} [1-9]/);
  });

  it('limits connections per address (4508), and new rooms per address a minute', async () => {
    const t = await start({ maxConnectionsPerIp: 3, newRoomsPerMinute: 2 });
    const open = [rawClient(t.wsUrl, 'room-a'), rawClient(t.wsUrl, 'room-a'), rawClient(t.wsUrl, 'room-b')];
    await Promise.all(open.map((c) => c.opened));
    await waitFor(() => t.server.core.stats().connections === 3, 'three connections');
    const fourth = rawClient(t.wsUrl, 'room-a');
    expect((await fourth.closed).code).toBe(CloseCode.TooManyFromAddress);
    open[0]!.ws.close();
    await open[0]!.closed;
    await waitFor(() => t.server.core.stats().connections === 2, 'one left');
    // room-a and room-b used the two new rooms this minute: a third is refused, an existing one opens.
    const third = rawClient(t.wsUrl, 'room-c');
    expect((await third.closed).code).toBe(CloseCode.TooManyFromAddress);
    const again = rawClient(t.wsUrl, 'room-a');
    await again.opened;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(again.ws.readyState).toBe(again.ws.OPEN);
    for (const c of [...open, again]) c.ws.close();
  });

  it('counts a new room once, however many sockets come for it at the same moment', async () => {
    const t = await start({ newRoomsPerMinute: 1 });
    const many = Array.from({ length: 20 }, () => rawClient(t.wsUrl, 'popular'));
    await Promise.all(many.map((c) => c.opened));
    await waitFor(() => t.server.core.stats().connections === 20, 'twenty sockets in the room');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(many.every((c) => c.ws.readyState === c.ws.OPEN)).toBe(true);
    for (const c of many) c.ws.close();
  });

  it('takes the address from X-Forwarded-For only with --trust-proxy', async () => {
    for (const trustProxy of [false, true]) {
      const t = await start({ maxConnectionsPerIp: 1, trustProxy });
      const first = rawClient(t.wsUrl, 'proxied', { headers: { 'x-forwarded-for': '203.0.113.1' } });
      await first.opened;
      await waitFor(() => t.server.core.stats().connections === 1, 'the first connection');
      // A client can prepend anything; the proxy's own entry is the last one.
      const second = rawClient(t.wsUrl, 'proxied', {
        headers: { 'x-forwarded-for': '203.0.113.1, 203.0.113.2' },
      });
      if (trustProxy) {
        await second.opened;
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(second.ws.readyState).toBe(second.ws.OPEN);
      } else {
        expect((await second.closed).code).toBe(CloseCode.TooManyFromAddress);
      }
      first.ws.close();
      second.ws.close();
    }
  });
});
