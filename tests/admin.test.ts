import { createHash } from 'node:crypto';
import { addElement, CloseCode, listElements } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const ADMIN = 'admin-suite-token-0123456789abcdef';

describe('the admin API', () => {
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const t of servers.splice(0)) await t.cleanup();
  });

  async function start(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
    const t = await startTestServer({ adminToken: ADMIN, ...options });
    servers.push(t);
    return t;
  }

  function admin(t: TestServer, path: string, init: RequestInit = {}, token = ADMIN) {
    return fetch(`${t.server.adminUrl}/api/admin/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    });
  }

  /** A board with `count` sticky notes in `room`, written through a stock client. */
  async function board(t: TestServer, room: string, count: number): Promise<Client> {
    const client = connectClient(t.wsUrl, room);
    clients.push(client);
    await client.synced;
    for (let i = 0; i < count; i++)
      addElement(client.doc, { kind: 'sticky', text: `${room} #${i}`, x: i * 10 });
    await waitFor(() => t.server.core.stats().connections > 0, 'connected');
    await expectStored(t, room, count);
    return client;
  }

  async function stored(t: TestServer, room: string): Promise<string[]> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.server.core.readRoom(room))!);
    return listElements(doc)
      .map((e) => `${e.id}:${'text' in e ? e.text : ''}`)
      .sort();
  }

  async function expectStored(t: TestServer, room: string, count: number) {
    for (let tries = 0; (await stored(t, room)).length !== count; tries++) {
      if (tries > 200) throw new Error(`${room} never held ${count} elements`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('refuses a missing or wrong admin token (401), and is off without one (404)', async () => {
    const t = await start();
    expect((await fetch(`${t.httpUrl}/api/admin/rooms`)).status).toBe(401);
    expect((await admin(t, 'rooms', {}, `${ADMIN}x`)).status).toBe(401);
    expect((await admin(t, 'rooms')).status).toBe(200);
    const off = await startTestServer();
    servers.push(off);
    expect((await fetch(`${off.httpUrl}/api/admin/rooms`)).status).toBe(404);
  });

  it('lists rooms page by page and by prefix, with size, time and connections', async () => {
    const t = await start();
    for (const room of ['team/a', 'team/b', 'team/c', 'other']) await board(t, room, 1);
    const first = await (await admin(t, 'rooms?limit=2')).json();
    expect(first.rooms.map((r: { name: string }) => r.name)).toEqual(['other', 'team/a']);
    expect(first.rooms[0]).toMatchObject({ connections: 1 });
    expect(first.rooms[0].bytes).toBeGreaterThan(0);
    expect(first.rooms[0].updatedAt).toBeGreaterThan(Date.now() - 60_000);
    const second = await (await admin(t, `rooms?limit=2&cursor=${first.cursor}`)).json();
    expect(second.rooms.map((r: { name: string }) => r.name)).toEqual(['team/b', 'team/c']);
    expect(second.cursor).toBeNull();
    const team = await (await admin(t, `rooms?prefix=${encodeURIComponent('team/')}`)).json();
    expect(team.rooms).toHaveLength(3);
    const info = await (await admin(t, `rooms/${encodeURIComponent('team/a')}`)).json();
    expect(info).toMatchObject({ name: 'team/a', connections: 1, deletedAt: null });
    const conns = await (await admin(t, `rooms/other/connections`)).json();
    expect(conns.connections).toEqual([
      expect.objectContaining({ scope: 'write', openedAt: expect.any(Number) }),
    ]);
    expect((await admin(t, 'rooms/nothing-here')).status).toBe(404);
    expect((await admin(t, 'rooms?limit=0')).status).toBe(400);
  });

  it("lists a room's versions and exports one, as an update or a board file", async () => {
    const t = await start();
    const client = await board(t, 'versioned', 3);
    const named = await fetch(`${t.httpUrl}/api/rooms/versioned/versions`, {
      method: 'POST',
      body: '{"name":"three notes"}',
    });
    expect(named.status).toBe(201);
    addElement(client.doc, { kind: 'sticky', text: 'a fourth', x: 99 });
    await expectStored(t, 'versioned', 4);
    const { versions } = (await (await admin(t, 'rooms/versioned/versions')).json()) as {
      versions: { id: number; name: string | null }[];
    };
    const version = versions.find((v) => v.name === 'three notes')!;
    const json = await (await admin(t, `rooms/versioned/versions/${version.id}/export?format=json`)).json();
    expect(json).toMatchObject({ type: 'inkroom-board' });
    expect(json.elements).toHaveLength(3);
    const update = new Uint8Array(
      await (await admin(t, `rooms/versioned/versions/${version.id}/export`)).arrayBuffer(),
    );
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    expect(listElements(doc)).toHaveLength(3);
    expect((await admin(t, 'rooms/versioned/versions/99/export')).status).toBe(404);
    expect((await admin(t, 'rooms/versioned/versions', {}, 'wrong')).status).toBe(401);
  });

  it("kicks a room's sockets (4409)", async () => {
    const t = await start();
    const client = await board(t, 'kicked', 1);
    const closed = new Promise<number>((resolve) =>
      client.provider.once('closed', (event: { code: number }) => resolve(event.code)),
    );
    expect(await (await admin(t, 'rooms/kicked/kick', { method: 'POST' })).json()).toEqual({ closed: 1 });
    expect(await closed).toBe(CloseCode.Kicked);
  });

  it('export, delete, import: the same content; a deleted room refuses a stale offline board', async () => {
    const t = await start();
    const client = await board(t, 'precious', 5);
    const before = await stored(t, 'precious');
    const exported = new Uint8Array(await (await admin(t, 'rooms/precious/export?format=yjs')).arrayBuffer());
    const json = await (await admin(t, 'rooms/precious/export?format=json')).json();
    expect(json).toMatchObject({ type: 'inkroom-board' });
    expect(json.elements).toHaveLength(5);
    // The stale board: a copy of the doc, as an offline board keeps in IndexedDB.
    const stale = new Y.Doc();
    Y.applyUpdate(stale, Y.encodeStateAsUpdate(client.doc));
    const closed = new Promise<number>((resolve) =>
      client.provider.once('closed', (event: { code: number }) => resolve(event.code)),
    );
    expect((await admin(t, 'rooms/precious', { method: 'DELETE' })).status).toBe(200);
    expect(await closed).toBe(CloseCode.RoomDeleted);
    const info = await (await admin(t, 'rooms/precious')).json();
    expect(info.deletedAt).toBeGreaterThan(0);
    expect(info.bytes).toBe(0);
    expect((await admin(t, 'rooms/precious/export')).status).toBe(410);
    expect((await fetch(`${t.httpUrl}/api/rooms/precious.svg`)).status).toBe(410);
    const comeback = connectClient(t.wsUrl, 'precious', { doc: stale });
    clients.push(comeback);
    const refused = await new Promise<number>((resolve) =>
      comeback.provider.once('closed', (event: { code: number }) => resolve(event.code)),
    );
    expect(refused).toBe(CloseCode.RoomDeleted);
    expect(await t.server.core.readRoom('precious').catch((e: Error) => e.name)).toBe('RoomDeletedError');
    // A deleted room takes no import: it comes back only by undelete (empty), then the import.
    expect(
      (await admin(t, 'rooms/precious/import?format=yjs', { method: 'POST', body: exported })).status,
    ).toBe(410);
    expect((await admin(t, 'rooms/precious/undelete', { method: 'POST' })).status).toBe(200);
    expect(await stored(t, 'precious')).toEqual([]);
    // Undeleted, the room opens again, empty, and a copy from before the deletion still cannot refill it.
    const stillStale = new Y.Doc();
    Y.applyUpdate(stillStale, Y.encodeStateAsUpdate(stale));
    const afterUndelete = connectClient(t.wsUrl, 'precious', { doc: stillStale });
    clients.push(afterUndelete);
    const refusedAgain = await new Promise<number>((resolve) =>
      afterUndelete.provider.once('closed', (event: { code: number }) => resolve(event.code)),
    );
    expect(refusedAgain).toBe(CloseCode.RoomDeleted);
    expect(await stored(t, 'precious')).toEqual([]);
    const fresh = connectClient(t.wsUrl, 'precious');
    clients.push(fresh);
    await fresh.synced;
    addElement(fresh.doc, { kind: 'text', text: 'a new start' });
    await expectStored(t, 'precious', 1);
    fresh.destroy();
    const imported = await admin(t, 'rooms/precious/import?format=yjs', { method: 'POST', body: exported });
    expect(imported.status).toBe(200);
    const afterImport = await stored(t, 'precious');
    expect(afterImport).toHaveLength(before.length + 1);
    expect(afterImport).toEqual(expect.arrayContaining(before));
    // And a board file imports into another room with the same elements and ids.
    const copy = await admin(t, 'rooms/copy/import?format=json', {
      method: 'POST',
      body: JSON.stringify(json),
    });
    expect(copy.status).toBe(200);
    expect(await stored(t, 'copy')).toEqual(before);
    // A backup carries the tombstone, and a restore brings no deleted room back.
    await admin(t, 'rooms/copy', { method: 'DELETE' });
    const backup = await (await admin(t, 'backup')).text();
    expect(backup).toContain('"type":"deleted","name":"copy"');
    const restored = await (await admin(t, 'restore', { method: 'POST', body: backup })).json();
    expect(restored.skippedDeleted).toEqual([]);
    expect((await admin(t, 'rooms/copy')).status).toBe(200);
    expect((await (await admin(t, 'rooms/copy')).json()).deletedAt).toBeGreaterThan(0);
    const bad = await admin(t, 'rooms/copy/import?format=json', { method: 'POST', body: '{"type":"nope"}' });
    expect(bad.status).toBe(400);
  });

  it('backup, wipe, restore: every room and link comes back; a cut backup is refused', async () => {
    const t = await start({ auth: 'links' });
    const rooms = ['r1', 'r2', 'team/r3', 'r 4'];
    const made = await (
      await fetch(`${t.httpUrl}/api/rooms`, { method: 'POST', body: '{"room":"linked"}' })
    ).json();
    const token = (
      await (
        await fetch(`${t.httpUrl}/api/rooms/linked/session`, {
          method: 'POST',
          body: JSON.stringify({ key: made.link.secret }),
        })
      ).json()
    ).token as string;
    const expected = new Map<string, string[]>();
    for (const [i, room] of rooms.entries()) {
      const minted = await (
        await admin(t, 'tokens', { method: 'POST', body: JSON.stringify({ room, scope: 'write' }) })
      ).json();
      const client = connectClient(t.wsUrl, room, { params: { token: minted.token } });
      clients.push(client);
      await client.synced;
      for (let n = 0; n <= i; n++) addElement(client.doc, { kind: 'sticky', text: `${room}:${n}` });
      await expectStored(t, room, i + 1);
      expected.set(room, await stored(t, room));
    }
    // An image in one room goes with the backup too.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const hash = createHash('sha256').update(png).digest('hex');
    const r1 = await (
      await admin(t, 'tokens', { method: 'POST', body: JSON.stringify({ room: 'r1', scope: 'write' }) })
    ).json();
    const image = (server: TestServer, init: RequestInit = {}) =>
      fetch(`${server.httpUrl}/api/rooms/r1/assets/${hash}`, {
        ...init,
        headers: { authorization: `Bearer ${r1.token}` },
      });
    expect((await image(t, { method: 'PUT', body: png })).status).toBe(201);
    const backup = await (await admin(t, 'backup')).text();
    const lines = backup.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'inkroom-backup', version: 1 });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', rooms: 4 });
    for (const c of clients.splice(0)) c.destroy();
    // A new server on an empty data folder, with the same signing key (links stay valid).
    const fresh = await start({ auth: 'links', authSecret: t.server.authority ? await keyOf(t) : undefined });
    const cut = lines.slice(0, -2).join('\n');
    expect((await admin(fresh, 'restore', { method: 'POST', body: cut })).status).toBe(400);
    const restored = await admin(fresh, 'restore', { method: 'POST', body: backup });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ rooms: 4 });
    for (const room of rooms) expect(await stored(fresh, room)).toEqual(expected.get(room));
    const served = await image(fresh);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
    // A backup whose image is not what its hash says is refused.
    const forged = backup.replace(
      /"data":"[^"]+"/,
      `"data":"${Buffer.from('not an image').toString('base64')}"`,
    );
    expect((await admin(fresh, 'restore', { method: 'POST', body: forged })).status).toBe(400);
    // The link works on the new server: its holder gets a token, and the token opens the room.
    const again = await fetch(`${fresh.httpUrl}/api/rooms/linked/session`, {
      method: 'POST',
      body: JSON.stringify({ key: made.link.secret }),
    });
    expect(again.status).toBe(200);
    expect(token.length).toBeGreaterThan(0);
    expect((await admin(fresh, 'restore', { method: 'POST', body: 'garbage' })).status).toBe(400);
  });

  it('serves the admin API and /metrics on --admin-port only, when given', async () => {
    const t = await start({ adminPort: 0, adminHost: '127.0.0.1' });
    expect(t.server.adminUrl).not.toBe(t.httpUrl);
    expect(
      (await fetch(`${t.httpUrl}/api/admin/rooms`, { headers: { authorization: `Bearer ${ADMIN}` } })).status,
    ).toBe(404);
    expect((await fetch(`${t.httpUrl}/metrics`)).status).toBe(404);
    expect((await admin(t, 'rooms')).status).toBe(200);
    expect((await fetch(`${t.server.adminUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${t.httpUrl}/healthz`)).status).toBe(200);
  });
});

/** The links-mode signing key the server keeps in its data folder. */
async function keyOf(t: TestServer): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return (await readFile(`${t.dataDir}/auth-secret`, 'utf8')).trim();
}
