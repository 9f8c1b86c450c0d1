import { rm } from 'node:fs/promises';
import { addElement, type ElementId, encodeUpdate, listElements } from '@inkroom/shared';
import { LevelRoomStore } from '@inkroom/sync-server';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { runCli } from './helpers/cli.js';
import { type Client, connectClient, rawClient, waitFor } from './helpers/clients.js';
import { makeDataDir, startTestServer, type TestServer } from './helpers/server.js';

async function health(t: TestServer): Promise<{ rooms: number; connections: number }> {
  return (await fetch(`${t.httpUrl}/healthz`)).json() as Promise<{ rooms: number; connections: number }>;
}

describe('persistence in LevelDB', () => {
  let t: TestServer | null = null;
  const clients: Client[] = [];
  const client = (room: string) => {
    const c = connectClient(t!.wsUrl, room);
    clients.push(c);
    return c;
  };
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await t?.cleanup();
    t = null;
  });

  it('keeps a board across a server restart', async () => {
    t = await startTestServer();
    const a = client('kept');
    await a.synced;
    for (let i = 0; i < 20; i++) addElement(a.doc, { kind: 'text', text: `line ${i}`, y: i * 30 });
    const witness = client('kept');
    await waitFor(() => listElements(witness.doc).length === 20, 'witness has all 20');
    const before = listElements(witness.doc);
    for (const c of clients.splice(0)) c.destroy();
    t = await t.restart();
    const reader = client('kept');
    await reader.synced;
    expect(listElements(reader.doc)).toEqual(before);
  });

  it('answers from a large stored board read off the event loop: a returning client gets what it lacks, and its offline edits are kept', async () => {
    t = await startTestServer();
    const a = client('large-stored');
    await a.synced;
    const words = 'lorem ipsum '.repeat(30);
    a.doc.transact(() => {
      for (let i = 0; i < 2500; i++) addElement(a.doc, { kind: 'text', text: `${i} ${words}`, y: i * 30 });
    });
    const returning = new Y.Doc();
    const b = connectClient(t.wsUrl, 'large-stored', { doc: returning });
    await waitFor(() => listElements(returning).length === 2500, 'b has the board', 10_000);
    b.destroy();
    // While b is away: a adds to the board, b edits its copy offline.
    addElement(a.doc, { kind: 'sticky', text: 'added while b was away' });
    addElement(returning, { kind: 'sticky', text: 'written offline' });
    const witness = client('large-stored');
    await waitFor(
      () => listElements(witness.doc).length === 2501,
      'the sticky added while b was away',
      10_000,
    );
    for (const c of clients.splice(0)) c.destroy();
    t = await t.restart();
    expect(Y.encodeStateAsUpdate(returning).length).toBeGreaterThan(512 * 1024);
    // b's state vector is not empty: it is answered with a diff, and the server's own sync step 1
    // (from the stored bytes' state vector) asks it for the offline sticky.
    const back = client('large-stored');
    const rejoined = connectClient(t.wsUrl, 'large-stored', { doc: returning });
    clients.push(rejoined);
    await rejoined.synced;
    const stickies = (doc: Y.Doc) =>
      listElements(doc)
        .flatMap((e) => (e.kind === 'sticky' ? [e.text] : []))
        .sort();
    await waitFor(() => stickies(returning).length === 2, 'b has the sticky added while away', 10_000);
    await waitFor(() => stickies(back.doc).length === 2, 'the offline sticky reached the room', 10_000);
    expect(stickies(back.doc)).toEqual(['added while b was away', 'written offline']);
    expect(listElements(back.doc)).toHaveLength(2502);
  });

  it('unloads a room after its last client leaves, then reloads it intact', async () => {
    t = await startTestServer();
    const a = client('unload-me');
    await a.synced;
    addElement(a.doc, { kind: 'sticky', text: 'still here' });
    const b = client('unload-me');
    await waitFor(() => listElements(b.doc).length === 1, 'b has the sticky');
    expect(await health(t)).toMatchObject({ rooms: 1, connections: 2 });
    for (const c of clients.splice(0)) c.destroy();
    await waitFor(() => t!.server.core.stats().rooms === 0, 'the room to leave memory');
    expect(await health(t)).toMatchObject({ rooms: 0, connections: 0 });
    const c = client('unload-me');
    await c.synced;
    expect(listElements(c.doc).map((e) => e.kind === 'sticky' && e.text)).toEqual(['still here']);
  });

  it('keeps what a socket sent even when it closes before its room has loaded', async () => {
    t = await startTestServer();
    // One-shot clients: connect, send one update, close at once. Each lands while the room is
    // loading or while the previous one's room is unloading.
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 30; i++) source.getArray('a').push([i]);
    for (const update of updates) {
      const r = rawClient(t.wsUrl, 'one-shot');
      await r.opened;
      r.ws.send(encodeUpdate(update));
      r.ws.close(1000);
      await r.closed;
    }
    await waitFor(() => t!.server.core.stats().rooms === 0, 'the room to unload');
    const reader = client('one-shot');
    await reader.synced;
    expect(reader.doc.getArray('a').toArray()).toEqual(source.getArray('a').toArray());
  });

  it('compacts the update log while the room stays open', async () => {
    t = await startTestServer({ compactAfterUpdates: 20, compactOnUnloadAfterUpdates: 1000 });
    const a = client('busy');
    const b = client('busy');
    await Promise.all([a.synced, b.synced]);
    for (let i = 0; i < 100; i++) {
      addElement(a.doc, { kind: 'ellipse', x: i });
      // One update per event-loop turn, so the server cannot merge them into one write.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await waitFor(() => listElements(b.doc).length === 100, 'b has all 100');
    await waitFor(() => t!.logs.lines.some((l) => l.msg === 'room.compact'), 'a compaction');
    // LevelDB admits one process at a time: stop the server to read the log. Compaction on
    // unload is off here, so a short tail proves the compaction happened while the room was open.
    for (const c of clients.splice(0)) c.destroy();
    await t.stop();
    const store = await LevelRoomStore.open(t.dataDir);
    const stored = await store.load('busy' as never);
    await store.close();
    // A snapshot plus a short tail, not one record per update.
    expect(stored.tailCount).toBeLessThan(20);
    expect(stored.updates.length).toBe(stored.tailCount + 1);
    t = await t.restart();
    const reader = client('busy');
    await reader.synced;
    expect(listElements(reader.doc)).toHaveLength(100);
  });

  it('keeps everything another client received when the server is killed with SIGKILL', async () => {
    const dataDir = await makeDataDir();
    try {
      const server = runCli(['--host', '127.0.0.1', '--port', '0', '--data', dataDir]);
      const wsUrl = (await server.url).replace('http', 'ws');
      const writer = connectClient(wsUrl, 'crash');
      const observer = connectClient(wsUrl, 'crash');
      await Promise.all([writer.synced, observer.synced]);
      // Stream strokes as fast as the event loop allows, right up to the kill.
      let streaming = true;
      let written = 0;
      const stream = (async () => {
        while (streaming) {
          for (let i = 0; i < 5; i++) addElement(writer.doc, { kind: 'stroke', x: written++ });
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await waitFor(() => listElements(observer.doc).length > 300, 'the observer to receive 300 strokes');
      server.child.kill('SIGKILL');
      const seen = new Set(listElements(observer.doc).map((element) => element.id));
      streaming = false;
      await stream;
      expect((await server.exited).signal).toBe('SIGKILL');
      writer.destroy();
      observer.destroy();

      const restarted = runCli(['--host', '127.0.0.1', '--port', '0', '--data', dataDir]);
      const fresh = connectClient((await restarted.url).replace('http', 'ws'), 'crash');
      await fresh.synced;
      const stored = new Set(listElements(fresh.doc).map((element) => element.id));
      const lost = [...seen].filter((id) => !stored.has(id as ElementId));
      fresh.destroy();
      restarted.child.kill('SIGTERM');
      await restarted.exited;
      expect(lost).toEqual([]);
      expect(seen.size).toBeGreaterThan(300);
      expect(written).toBeGreaterThanOrEqual(seen.size);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
