// A room's version history through the real server: versions recorded after activity and on
// demand, with the names of the people whose edits they hold; listed, drawn and read over HTTP;
// restored as a forward change while another client keeps editing; kept across a restart and a
// kill -9; and what a version of a 10,000-stroke board costs to keep.
import { rm } from 'node:fs/promises';
import { addElement, deleteElements, listElements, parseRoomId, pointsFrom } from '@inkroom/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { runCli } from './helpers/cli.js';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { makeDataDir, startTestServer, type TestServer } from './helpers/server.js';

interface Listed {
  id: number;
  time: number;
  name?: string;
  authors: string[];
  bytes: number;
}

async function listVersions(httpUrl: string, room: string): Promise<Listed[]> {
  const res = await fetch(`${httpUrl}/api/rooms/${room}/versions`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { versions: Listed[] }).versions;
}

async function versionDoc(httpUrl: string, room: string, id: number): Promise<Y.Doc> {
  const res = await fetch(`${httpUrl}/api/rooms/${room}/versions/${id}.yjs`);
  expect(res.status).toBe(200);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await res.arrayBuffer()));
  return doc;
}

const ids = (doc: Y.Doc) =>
  listElements(doc)
    .map((e) => e.id)
    .sort();

function stroke(doc: Y.Doc, i: number) {
  const points = pointsFrom(Array.from({ length: 50 }, (_, j) => [j * 3 + (i % 7), j * 2 + (i % 5), 0.5]));
  return addElement(doc, { kind: 'stroke', x: (i % 100) * 50, y: Math.floor(i / 100) * 50, points });
}

describe('version history', () => {
  let t: TestServer;
  const clients: Client[] = [];
  const client = (room: string, name: string) => {
    const c = connectClient(t.wsUrl, room);
    c.awareness.setLocalStateField('user', { name, color: '#e03131' });
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    t = await startTestServer({ versionAfterMs: 150, versionEveryMs: 60_000 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await t.cleanup();
  });

  it('records a version after each period of activity, with its authors, and one on demand, named', async () => {
    const ada = client('plans', 'Ada');
    const grace = client('plans', 'Grace');
    await Promise.all([ada.synced, grace.synced]);
    const first = [0, 1, 2].map((i) => stroke(ada.doc, i));
    await waitFor(() => listElements(grace.doc).length === 3, 'the strokes at Grace');
    let versions: Listed[] = [];
    for (let i = 0; i < 100 && versions.length < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      versions = await listVersions(t.httpUrl, 'plans');
    }
    expect(versions).toHaveLength(1);
    expect(versions[0]!.authors).toEqual(['Ada']);
    expect(versions[0]!.name).toBeUndefined();

    stroke(grace.doc, 3);
    deleteElements(grace.doc, [first[0]!]);
    for (let i = 0; i < 100 && versions.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      versions = await listVersions(t.httpUrl, 'plans');
    }
    expect(versions).toHaveLength(2);
    expect(versions[1]!.authors).toEqual(['Grace']);
    // The second version stores what changed, not the board again.
    expect(versions[1]!.bytes).toBeLessThan(versions[0]!.bytes);

    const named = await fetch(`${t.httpUrl}/api/rooms/plans/versions`, {
      method: 'POST',
      body: JSON.stringify({ name: 'Before the review' }),
    });
    expect(named.status).toBe(201);
    expect(((await named.json()) as { version: Listed }).version).toMatchObject({
      id: 3,
      name: 'Before the review',
    });

    // Each version reads as the board was: the first holds the three first strokes.
    expect(ids(await versionDoc(t.httpUrl, 'plans', 1))).toEqual([...first].sort());
    expect(ids(await versionDoc(t.httpUrl, 'plans', 3))).toEqual(ids(ada.doc));
    // And draws: one <g data-id> per element.
    const svg = await (await fetch(`${t.httpUrl}/api/rooms/plans/versions/1.svg`)).text();
    expect(svg.match(/data-id=/g)).toHaveLength(3);
    expect((await fetch(`${t.httpUrl}/api/rooms/plans/versions/9.svg`)).status).toBe(404);
    expect((await fetch(`${t.httpUrl}/api/rooms/plans/versions/9.yjs`)).status).toBe(404);
    const bad = await fetch(`${t.httpUrl}/api/rooms/plans/versions`, { method: 'POST', body: '{"name":""}' });
    expect(bad.status).toBe(400);
    // Anything else under /versions is answered, never left hanging.
    for (const [path, method] of [
      ['versions/abc.yjs', 'GET'],
      ['versions/1', 'GET'],
      ['versions/1.5.svg', 'GET'],
      ['versions/1/foo', 'GET'],
      ['versions/abc/restore', 'POST'],
      ['versions/1', 'DELETE'],
    ] as const) {
      const res = await fetch(`${t.httpUrl}/api/rooms/plans/${path}`, {
        method,
        signal: AbortSignal.timeout(3000),
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await fetch(`${t.httpUrl}/api/rooms/plans/versions/1.svg`, { method: 'DELETE' })).status).toBe(
      405,
    );
  });

  it('restores a version as a forward change that a page offline meanwhile merges with, never undoes', async () => {
    const ada = client('restore', 'Ada');
    const grace = client('restore', 'Grace');
    await Promise.all([ada.synced, grace.synced]);
    const kept = [0, 1, 2, 3].map((i) => stroke(ada.doc, i));
    await waitFor(() => listElements(grace.doc).length === 4, 'the strokes at Grace');
    const version = (
      (await (
        await fetch(`${t.httpUrl}/api/rooms/restore/versions`, {
          method: 'POST',
          body: '{"name":"All four"}',
        })
      ).json()) as { version: Listed }
    ).version;
    // Half the board is erased; Grace, offline, draws on.
    deleteElements(ada.doc, kept.slice(0, 2));
    await waitFor(() => listElements(grace.doc).length === 2, 'the erase at Grace');
    grace.provider.disconnect();
    const offline = [0, 1, 2].map((i) => stroke(grace.doc, 100 + i));
    const res = await fetch(`${t.httpUrl}/api/rooms/restore/versions/${version.id}/restore`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ restored: version.id, added: 2, removed: 0 });
    await waitFor(() => ids(ada.doc).join() === [...kept].sort().join(), 'the erased strokes back at Ada');
    // Grace comes back with her older state and her offline strokes: both stay, nothing is undone.
    grace.provider.connect();
    const want = [...kept, ...offline].sort().join();
    for (const c of [ada, grace])
      await waitFor(() => ids(c.doc).join() === want, 'everyone with the restored and offline strokes');
    // What the room held before the restore is a version too.
    const versions = await listVersions(t.httpUrl, 'restore');
    const before = versions.find((v) => v.id > version.id)!;
    expect(ids(await versionDoc(t.httpUrl, 'restore', before.id))).toEqual(kept.slice(2).sort());
    expect(
      (await fetch(`${t.httpUrl}/api/rooms/restore/versions/77/restore`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('keeps versions across a restart', async () => {
    const ada = client('kept', 'Ada');
    await ada.synced;
    stroke(ada.doc, 1);
    await fetch(`${t.httpUrl}/api/rooms/kept/versions`, { method: 'POST', body: '{"name":"one"}' });
    ada.destroy();
    clients.length = 0;
    t = await t.restart({ versionAfterMs: 150, versionEveryMs: 60_000 });
    const versions = await listVersions(t.httpUrl, 'kept');
    expect(versions.map((v) => v.name)).toEqual(['one']);
  });

  it('stores a version of a 10,000-stroke board once, and each later one as what changed', async () => {
    const room = parseRoomId('big-versions')!;
    const source = new Y.Doc();
    source.transact(() => {
      for (let i = 0; i < 10_000; i++) stroke(source, i);
    });
    await t.server.core.importUpdate(room, Y.encodeStateAsUpdate(source));
    await t.server.core.recordVersion(room, 'whole');
    const writer = client('big-versions', 'Ada');
    await writer.synced;
    for (let i = 0; i < 50; i++) stroke(writer.doc, 20_000 + i);
    deleteElements(
      writer.doc,
      listElements(writer.doc)
        .slice(0, 20)
        .map((e) => e.id),
    );
    // Once the server holds the edits, a version of them.
    for (let i = 0; i < 200; i++) {
      const held = new Y.Doc();
      Y.applyUpdate(held, (await t.server.core.readRoom('big-versions'))!);
      if (listElements(held).length === 10_030) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await t.server.core.recordVersion(room, 'after edits');
    const versions = await listVersions(t.httpUrl, 'big-versions');
    // The first version holds the board; every later one, together, what the edits changed.
    const [whole, ...later] = versions;
    const changed = later.reduce((sum, v) => sum + v.bytes, 0);
    const boardBytes = Y.encodeStateAsUpdate(source).length;
    process.stdout.write(
      `versions of a 10,000-stroke board (${boardBytes} bytes encoded): the first ${whole!.bytes} bytes; ${later.length} later ones, 50 strokes added and 20 deleted, ${changed} bytes (${later.map((v) => v.bytes).join(' + ')})\n`,
    );
    expect(whole!.bytes).toBeLessThan(boardBytes * 1.2);
    expect(whole!.bytes).toBeGreaterThan(boardBytes * 0.8);
    expect(changed).toBeLessThan(whole!.bytes / 50);
    expect(changed).toBeGreaterThan(50 * 100);
    expect(ids(await versionDoc(t.httpUrl, 'big-versions', versions.at(-1)!.id))).toHaveLength(10_030);
  }, 60_000);
});

describe('versions and kill -9', () => {
  it('a recorded version is there after the server is killed with SIGKILL', async () => {
    const dataDir = await makeDataDir();
    try {
      const server = runCli(['--host', '127.0.0.1', '--port', '0', '--data', dataDir]);
      const url = await server.url;
      const writer = connectClient(url.replace('http', 'ws'), 'crash-versions');
      await writer.synced;
      stroke(writer.doc, 1);
      stroke(writer.doc, 2);
      const res = await fetch(`${url}/api/rooms/crash-versions/versions`, {
        method: 'POST',
        body: '{"name":"kept"}',
      });
      expect(res.status).toBe(201);
      server.child.kill('SIGKILL');
      expect((await server.exited).signal).toBe('SIGKILL');
      writer.destroy();
      const restarted = runCli(['--host', '127.0.0.1', '--port', '0', '--data', dataDir]);
      const again = await restarted.url;
      const versions = (await (await fetch(`${again}/api/rooms/crash-versions/versions`)).json()) as {
        versions: Listed[];
      };
      expect(versions.versions.map((v) => v.name)).toEqual(['kept']);
      expect(ids(await versionDoc(again, 'crash-versions', versions.versions[0]!.id))).toHaveLength(2);
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
