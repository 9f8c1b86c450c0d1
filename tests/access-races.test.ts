import { encodeAwareness, encodeUpdate, type RoomId } from '@inkroom/shared';
import {
  type AuthStore,
  type InkroomServerOptions,
  LevelAuthStore,
  LevelRoomStore,
  type RoomStore,
} from '@inkroom/sync-server';
import * as encoding from 'lib0/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, rawClient, waitFor } from './helpers/clients.js';
import { makeDataDir, startTestServer, type TestServer } from './helpers/server.js';

const ADMIN = 'races-suite-admin-token-0123456789';

/** An update that sets `test.key`, from a doc of its own. */
function update(key: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('test').set(key, 'written');
  return Y.encodeStateAsUpdate(doc);
}

describe('access control under races and edge cases', () => {
  const servers: TestServer[] = [];
  const stores: RoomStore[] = [];
  afterEach(async () => {
    for (const t of servers.splice(0)) await t.cleanup();
    for (const store of stores.splice(0)) await store.close();
  });

  async function start(options: InkroomServerOptions, dataDir?: string): Promise<TestServer> {
    const t = await startTestServer({ auth: 'links', adminToken: ADMIN, ...options }, dataDir);
    servers.push(t);
    return t;
  }

  /** A server on a LevelDB the test holds, with hooks into the room and auth stores. */
  async function startWithStores(
    wrapRooms: (inner: LevelRoomStore) => RoomStore,
    wrapAuth: (inner: AuthStore) => AuthStore,
  ): Promise<TestServer> {
    const dir = await makeDataDir();
    const inner = await LevelRoomStore.open(dir);
    stores.push(inner);
    return start({ store: wrapRooms(inner), authStore: wrapAuth(new LevelAuthStore(inner.db)) }, dir);
  }

  async function api(t: TestServer, path: string, method = 'POST', body?: unknown, token = ADMIN) {
    const res = await fetch(`${t.httpUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  async function stored(t: TestServer, room: string): Promise<Record<string, unknown>> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.server.core.readRoom(room))!);
    return doc.getMap('test').toJSON();
  }

  /** A room with its owner link, and an edit link's id and token. */
  async function roomWithEditLink(t: TestServer, room: string) {
    expect((await api(t, '/api/rooms', 'POST', { room })).status).toBe(201);
    const edit = await api(t, `/api/rooms/${room}/links`, 'POST', { scope: 'write' });
    const secret = edit.body.secret as string;
    const grant = await api(t, `/api/rooms/${room}/session`, 'POST', { key: secret });
    return { linkId: edit.body.id as string, token: grant.body.token as string };
  }

  it('a named room that has content, or was created before, cannot be taken over', async () => {
    const dir = await makeDataDir();
    const open = await startTestServer({}, dir);
    const writer = connectClient(open.wsUrl, 'team-plan');
    await writer.synced;
    writer.doc.getMap('test').set('made', 'while open');
    await waitFor(() => open.server.core.stats().rooms === 1, 'room loaded');
    await new Promise((resolve) => setTimeout(resolve, 100));
    writer.destroy();
    await open.stop();
    const t = await start({}, dir);
    expect((await api(t, '/api/rooms', 'POST', { room: 'team-plan' })).status).toBe(409);
    // Claiming a new name is atomic: of four at once, one wins.
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => api(t, '/api/rooms', 'POST', { room: 'fresh' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    // Even with every link revoked, the name stays taken.
    const owner = results.find((r) => r.status === 201)!.body.link as { id: string };
    expect((await api(t, '/api/admin/revoke', 'POST', { link: owner.id })).status).toBe(200);
    expect((await api(t, '/api/rooms', 'POST', { room: 'fresh' })).status).toBe(409);
  });

  it('a link revoked while a socket is being authorized with it still keeps that socket out', async () => {
    let delayNext = false;
    const t = await startWithStores(
      (rooms) => rooms,
      (auth) =>
        Object.assign(Object.create(auth) as AuthStore, {
          // The read happens at once; its answer comes late, as a slow disk would give it.
          getLink: async (id: string) => {
            const link = await auth.getLink(id);
            if (delayNext) {
              delayNext = false;
              await new Promise((resolve) => setTimeout(resolve, 300));
            }
            return link;
          },
        }),
    );
    const { linkId, token } = await roomWithEditLink(t, 'raced');
    delayNext = true;
    const socket = rawClient(t.wsUrl, `raced?token=${token}`);
    await socket.opened;
    socket.ws.send(encodeUpdate(update('during-authorization')));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await api(t, '/api/admin/revoke', 'POST', { link: linkId })).status).toBe(200);
    expect((await socket.closed).code).toBe(4403);
    expect(await stored(t, 'raced')).toEqual({});
  });

  it('what a socket sent while its room loaded is dropped when its access is revoked meanwhile', async () => {
    let gate: Promise<void> = Promise.resolve();
    let open = () => {};
    const t = await startWithStores(
      (rooms) =>
        Object.assign(Object.create(rooms) as RoomStore, {
          load: async (room: RoomId) => {
            await gate;
            return rooms.load(room);
          },
        }),
      (auth) => auth,
    );
    const minted = await api(t, '/api/admin/tokens', 'POST', { room: 'slow', scope: 'write', ttl: '5m' });
    gate = new Promise((resolve) => {
      open = resolve;
    });
    const socket = rawClient(t.wsUrl, `slow?token=${minted.body.token as string}`);
    await socket.opened;
    socket.ws.send(encodeUpdate(update('sent-then-revoked')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await api(t, '/api/admin/revoke', 'POST', { jti: minted.body.jti })).body).toMatchObject({
      closed: 1,
    });
    expect((await socket.closed).code).toBe(4403);
    open();
    expect(await stored(t, 'slow')).toEqual({});
  });

  it('link tokens never outlive --max-token-ttl, even when it is shorter than their usual ten minutes', async () => {
    const t = await start({ maxTokenTtlSeconds: 300 });
    const { token } = await roomWithEditLink(t, 'short-ttl');
    const client = connectClient(t.wsUrl, 'short-ttl', { params: { token } });
    await client.synced;
    client.destroy();
  });

  it('refuses bad link and room requests, and rate-limits room creation per address', async () => {
    const t = await start({ newRoomsPerMinute: 3 });
    expect((await api(t, '/api/rooms', 'POST', { room: null })).status).toBe(400);
    expect((await api(t, '/api/rooms', 'POST', { room: 'limits' })).status).toBe(201);
    for (const expiresInSeconds of [1e306, -1, 0, 'soon']) {
      const res = await api(t, '/api/rooms/limits/links', 'POST', { scope: 'read', expiresInSeconds });
      expect(res.status).toBe(400);
    }
    const owner = (await api(t, '/api/rooms/limits/links', 'GET')).body.links as {
      id: string;
      owner: boolean;
    }[];
    const ownerId = owner.find((l) => l.owner)!.id;
    // The owner link is not revoked through the room's own API (the room would be left with none).
    expect((await api(t, `/api/rooms/limits/links/${ownerId}`, 'DELETE')).status).toBe(400);
    expect((await api(t, '/api/rooms', 'POST')).status).toBe(201);
    const limited = await api(t, '/api/rooms', 'POST');
    expect(limited.status).toBe(429);
  });

  it("a viewer's presence keeps only its presence fields, whatever shape it sends", async () => {
    const t = await start({});
    const { token: editToken } = await roomWithEditLink(t, 'shapes');
    const view = await api(t, '/api/rooms/shapes/links', 'POST', { scope: 'read' });
    const grant = await api(t, '/api/rooms/shapes/session', 'POST', { key: view.body.secret });
    const watcher = connectClient(t.wsUrl, 'shapes', { params: { token: editToken } });
    await watcher.synced;
    const raw = rawClient(t.wsUrl, `shapes?token=${grant.body.token as string}`);
    await raw.opened;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 424242);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, JSON.stringify([{ stroke: 'x'.repeat(100) }, 'anything']));
    raw.ws.send(encodeAwareness(encoding.toUint8Array(encoder)));
    await waitFor(() => watcher.awareness.getStates().has(424242), "the viewer's presence");
    expect(watcher.awareness.getStates().get(424242)).toEqual({});
    raw.ws.close();
    watcher.destroy();
  });
});
