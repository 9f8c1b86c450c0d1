import { CloseCode, encodeAwareness } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type Client, connectClient, type RawClient, rawClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

/** An awareness message for a fresh client id holding `state`. */
function awarenessFrame(
  state: Record<string, unknown>,
  clientID?: number,
): { frame: Uint8Array; id: number } {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(state);
  const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
  awareness.destroy();
  return { frame, id: doc.clientID };
}

describe('awareness (presence)', () => {
  let t: TestServer;
  const clients: Client[] = [];
  const raws: RawClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const r of raws.splice(0)) r.ws.terminate();
    await t.cleanup();
  });
  const client = (room: string) => {
    const c = connectClient(t.wsUrl, room);
    clients.push(c);
    return c;
  };
  const raw = (room: string, options = {}) => {
    const r = rawClient(t.wsUrl, room, options);
    raws.push(r);
    return r;
  };

  it('reaches the other clients and is removed when a socket drops', async () => {
    t = await startTestServer();
    const a = client('presence');
    const b = client('presence');
    await Promise.all([a.synced, b.synced]);
    a.awareness.setLocalStateField('user', { name: 'Ada', color: '#e03131' });
    await new Promise((r) => setTimeout(r, 300));
    console.error(JSON.stringify(t.logs.lines), [...b.awareness.getStates().entries()]);
    await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ada', 'Ada at b');
    // Cut the socket without the provider's goodbye: the server must clean up by itself.
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as { terminate(): void }).terminate();
    await waitFor(() => !b.awareness.getStates().has(a.doc.clientID), 'Ada removed at b');
  });

  it('sends current states to a late joiner and answers query-awareness', async () => {
    t = await startTestServer();
    const a = client('presence-2');
    await a.synced;
    a.awareness.setLocalStateField('user', { name: 'Grace' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const b = client('presence-2');
    await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Grace', 'Grace at b');
    const r = raw('presence-2');
    await r.opened;
    await waitFor(() => r.frames.length >= 2, 'handshake frames');
    const before = r.frames.length;
    r.ws.send(new Uint8Array([3]));
    await waitFor(() => r.frames.length > before && r.frames.at(-1)![0] === 1, 'awareness answer');
  });

  it('drops a socket that stops answering pings, and its presence with it', async () => {
    t = await startTestServer({ pingIntervalMs: 100 });
    const watcher = client('heartbeat');
    await watcher.synced;
    const silent = raw('heartbeat', { autoPong: false });
    await silent.opened;
    const { frame, id } = awarenessFrame({ user: { name: 'Ghost' } });
    silent.ws.send(frame);
    await waitFor(() => watcher.awareness.getStates().has(id), 'ghost visible');
    const closed = await silent.closed;
    expect(closed.code).toBe(1006);
    await waitFor(() => !watcher.awareness.getStates().has(id), 'ghost removed');
    // The stock client answers pings and stays.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watcher.provider.wsconnected).toBe(true);
  });

  it('ignores one socket speaking for another’s client id', async () => {
    t = await startTestServer();
    const a = client('spoof');
    const b = client('spoof');
    await Promise.all([a.synced, b.synced]);
    a.awareness.setLocalStateField('user', { name: 'Ada' });
    await waitFor(() => b.awareness.getStates().has(a.doc.clientID), 'Ada at b');
    const intruder = raw('spoof');
    await intruder.opened;
    // A state with a higher clock and null content would erase Ada for everyone.
    const forged = awarenessFrame({ user: { name: 'Mallory' } }, a.doc.clientID);
    intruder.ws.send(forged.frame);
    // Its own presence still works, so the forged entry was read and dropped, not the socket.
    const own = awarenessFrame({ user: { name: 'Mallory' } });
    intruder.ws.send(own.frame);
    await waitFor(() => b.awareness.getStates().has(own.id), 'the intruder’s own state');
    expect(b.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Ada');
    expect(a.awareness.getStates().get(a.doc.clientID)?.user?.name).toBe('Ada');
  });

  it('bounds how many client ids one socket may speak for', async () => {
    t = await startTestServer({ maxAwarenessClientsPerConnection: 3 });
    const watcher = client('many-ids');
    await watcher.synced;
    const r = raw('many-ids');
    await r.opened;
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { frame, id } = awarenessFrame({ n: i });
      ids.push(id);
      r.ws.send(frame);
    }
    expect((await r.closed).code).toBe(CloseCode.AwarenessRejected);
    await waitFor(() => ids.every((id) => !watcher.awareness.getStates().has(id)), 'all its states removed');
  });

  it('bounds the size of presence', async () => {
    t = await startTestServer({ maxAwarenessBytes: 4096 });
    const watcher = client('big-presence');
    await watcher.synced;
    const r = raw('big-presence');
    await r.opened;
    const { frame, id } = awarenessFrame({ blob: 'x'.repeat(10_000) });
    r.ws.send(frame);
    expect((await r.closed).code).toBe(CloseCode.AwarenessRejected);
    expect(watcher.awareness.getStates().has(id)).toBe(false);
    expect(t.logs.find((l) => l.code === CloseCode.AwarenessRejected)).toBeDefined();
  });
});
