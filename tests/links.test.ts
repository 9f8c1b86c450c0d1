import { CloseCode, peekTokenClaims } from '@inkroom/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

interface Link {
  id: string;
  room: string;
  scope: 'read' | 'write';
  owner: boolean;
  label: string;
  expiresAt: number | null;
  secret: string;
}

interface Grant {
  token: string;
  scope: 'read' | 'write';
  owner: boolean;
  expiresAt: number;
}

const ADMIN = 'links-suite-admin-token-0123456789';

describe('access control: share links', () => {
  let t: TestServer;
  let room: string;
  let ownerLink: Link;
  let ownerToken: string;
  const secrets: string[] = [ADMIN];

  async function api(
    path: string,
    options: { method?: string; body?: unknown; token?: string } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${t.httpUrl}${path}`, {
      method: options.method ?? 'GET',
      headers: {
        'content-type': 'application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  async function exchange(secret: string): Promise<Grant> {
    const res = await api(`/api/rooms/${encodeURIComponent(room)}/session`, {
      method: 'POST',
      body: { key: secret },
    });
    expect(res.status).toBe(200);
    const grant = res.body as unknown as Grant;
    secrets.push(grant.token);
    return grant;
  }

  async function stored(): Promise<Record<string, unknown>> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.server.core.readRoom(room))!);
    return doc.getMap('test').toJSON();
  }

  function closedWith(client: Client): Promise<number> {
    return new Promise((resolve) =>
      client.provider.on(
        'connection-close',
        (event: { code: number } | null) => event && resolve(event.code),
      ),
    );
  }

  beforeAll(async () => {
    t = await startTestServer({ auth: 'links', adminToken: ADMIN });
    const created = await api('/api/rooms', { method: 'POST' });
    expect(created.status).toBe(201);
    room = created.body.room as string;
    ownerLink = created.body.link as Link;
    secrets.push(ownerLink.secret);
    expect(ownerLink).toMatchObject({ room, owner: true, scope: 'write' });
    ownerToken = (await exchange(ownerLink.secret)).token;
  });

  afterAll(async () => {
    await t.cleanup();
  });

  it('says which mode it runs in, for the app', async () => {
    expect((await api('/api/auth')).body).toEqual({ mode: 'links', createRooms: 'anyone' });
  });

  it('an owner link opens the room for writing and manages its links', async () => {
    const owner = connectClient(t.wsUrl, room, { params: { token: ownerToken } });
    await owner.synced;
    owner.doc.getMap('test').set('seed', 'kept');
    await expect.poll(stored).toEqual({ seed: 'kept' });
    owner.destroy();
    const listed = await api(`/api/rooms/${room}/links`, { token: ownerToken });
    expect(listed.status).toBe(200);
    expect((listed.body.links as Link[]).map((l) => l.id)).toEqual([ownerLink.id]);
  });

  it('view and edit links: the viewer (a stock client) changes nothing, the editor does', async () => {
    const view = (await api(`/api/rooms/${room}/links`, {
      method: 'POST',
      token: ownerToken,
      body: { scope: 'read', label: 'For the client' },
    })) as { status: number; body: unknown };
    expect(view.status).toBe(201);
    const edit = await api(`/api/rooms/${room}/links`, {
      method: 'POST',
      token: ownerToken,
      body: { scope: 'write' },
    });
    const viewLink = view.body as Link;
    const editLink = edit.body as unknown as Link;
    secrets.push(viewLink.secret, editLink.secret);
    const viewGrant = await exchange(viewLink.secret);
    expect(viewGrant).toMatchObject({ scope: 'read', owner: false });
    expect(peekTokenClaims(viewGrant.token)).toMatchObject({ room, scope: 'read' });
    const viewer = connectClient(t.wsUrl, room, { params: { token: viewGrant.token } });
    const editor = connectClient(t.wsUrl, room, {
      params: { token: (await exchange(editLink.secret)).token },
    });
    await Promise.all([viewer.synced, editor.synced]);
    viewer.doc.getMap('test').set('viewer', 'tried');
    editor.doc.getMap('test').set('editor', 'did');
    await waitFor(
      () => viewer.doc.getMap('test').get('editor') === 'did',
      "the editor's change reaches the viewer",
    );
    await expect.poll(stored).toEqual({ seed: 'kept', editor: 'did' });
    // Neither may manage links.
    expect((await api(`/api/rooms/${room}/links`, { token: viewGrant.token })).status).toBe(403);
    viewer.destroy();
    editor.destroy();
  });

  it('revoking a link closes its sockets within a second (4403); it opens nothing afterwards', async () => {
    const edit = (
      await api(`/api/rooms/${room}/links`, { method: 'POST', token: ownerToken, body: { scope: 'write' } })
    ).body as unknown as Link;
    secrets.push(edit.secret);
    const grant = await exchange(edit.secret);
    const editor = connectClient(t.wsUrl, room, { params: { token: grant.token } });
    await editor.synced;
    const code = closedWith(editor);
    const started = Date.now();
    expect(
      (await api(`/api/rooms/${room}/links/${edit.id}`, { method: 'DELETE', token: ownerToken })).status,
    ).toBe(204);
    expect(await code).toBe(CloseCode.Forbidden);
    expect(Date.now() - started).toBeLessThan(1000);
    editor.destroy();
    const again = await api(`/api/rooms/${room}/session`, { method: 'POST', body: { key: edit.secret } });
    expect(again.status).toBe(403);
    const replay = connectClient(t.wsUrl, room, { params: { token: grant.token } });
    expect(await closedWith(replay)).toBe(CloseCode.Forbidden);
    replay.destroy();
  });

  it('lowering a link from edit to view reconnects its sockets (4511) with read scope', async () => {
    const edit = (
      await api(`/api/rooms/${room}/links`, { method: 'POST', token: ownerToken, body: { scope: 'write' } })
    ).body as unknown as Link;
    secrets.push(edit.secret);
    const editor = connectClient(t.wsUrl, room, { params: { token: (await exchange(edit.secret)).token } });
    await editor.synced;
    const code = closedWith(editor);
    const lowered = await api(`/api/rooms/${room}/links/${edit.id}`, {
      method: 'PATCH',
      token: ownerToken,
      body: { scope: 'read' },
    });
    expect(lowered.body).toMatchObject({ scope: 'read' });
    expect(await code).toBe(CloseCode.PermissionsChanged);
    // The stock provider reconnects by itself (45xx), with the same token, now read-only.
    await waitFor(() => editor.provider.synced, 'reconnected', 5000);
    const before = t.server.core.stats().readOnlyUpdatesDropped;
    editor.doc.getMap('test').set('after-lowering', 'x');
    await waitFor(() => t.server.core.stats().readOnlyUpdatesDropped > before, 'the write dropped');
    expect(await stored()).toEqual({ seed: 'kept', editor: 'did' });
    expect((await exchange(edit.secret)).scope).toBe('read');
    editor.destroy();
  });

  it('bad link requests get clear statuses', async () => {
    const r = encodeURIComponent(room);
    expect(
      (await api(`/api/rooms/${r}/session`, { method: 'POST', body: { key: `${ownerLink.id}.forged` } }))
        .status,
    ).toBe(403);
    expect(
      (await api(`/api/rooms/other/session`, { method: 'POST', body: { key: ownerLink.secret } })).status,
    ).toBe(403);
    expect((await api(`/api/rooms/${r}/session`, { method: 'POST', body: {} })).status).toBe(400);
    expect((await api(`/api/rooms/${r}/links`, { method: 'POST', body: { scope: 'read' } })).status).toBe(
      403,
    );
    expect(
      (await api(`/api/rooms/${r}/links`, { method: 'POST', token: ownerToken, body: { scope: 'owner' } }))
        .status,
    ).toBe(400);
    const res = await fetch(`${t.httpUrl}/api/rooms/${r}/session`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
    // The admin token manages any room's links too.
    expect((await api(`/api/rooms/${r}/links`, { token: ADMIN })).status).toBe(200);
    // A named room that exists already cannot be taken over.
    expect((await api('/api/rooms', { method: 'POST', body: { room } })).status).toBe(409);
  });

  it('a link with an expiry stops opening the room when it expires', async () => {
    const short = (await api(`/api/rooms/${room}/links`, {
      method: 'POST',
      token: ownerToken,
      body: { scope: 'read', expiresInSeconds: 4 },
    })) as { body: unknown };
    const link = short.body as Link;
    secrets.push(link.secret);
    const grant = await exchange(link.secret);
    // Its token lives no longer than the link.
    expect(grant.expiresAt).toBeLessThanOrEqual((link.expiresAt as number) + 1000);
    const viewer = connectClient(t.wsUrl, room, { params: { token: grant.token } });
    // Listened for from the start: on a loaded machine the expiry may come soon after the sync.
    const closed = closedWith(viewer);
    let synced = false;
    void viewer.synced.then(() => {
      synced = true;
    });
    expect(await closed).toBe(CloseCode.Unauthorized);
    expect(synced).toBe(true);
    viewer.destroy();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, (link.expiresAt as number) - Date.now() + 50)),
    );
    const late = await api(`/api/rooms/${room}/session`, { method: 'POST', body: { key: link.secret } });
    expect(late.status).toBe(403);
  });

  it('keeps links across a restart, stored by hash only', async () => {
    t = await t.restart();
    const grant = await exchange(ownerLink.secret);
    expect(grant.owner).toBe(true);
    const { readdir, readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    // The secret itself is nowhere in the database files.
    for (const file of await readdir(t.dataDir)) {
      if (file === 'auth-secret') continue;
      const bytes = await readFile(join(t.dataDir, file)).catch(() => null);
      if (bytes) expect(bytes.includes(ownerLink.secret)).toBe(false);
    }
  });

  it('never writes a link secret or a token to the log', () => {
    const text = t.logs.lines.map((line) => JSON.stringify(line)).join('\n');
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });
});

describe('access control: who creates rooms', () => {
  it('with --create-rooms admin, only the admin token creates rooms', async () => {
    const t = await startTestServer({ auth: 'links', adminToken: ADMIN, createRooms: 'admin' });
    try {
      expect((await fetch(`${t.httpUrl}/api/rooms`, { method: 'POST' })).status).toBe(401);
      const res = await fetch(`${t.httpUrl}/api/rooms`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ room: 'planning' }),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ room: 'planning', link: { owner: true } });
    } finally {
      await t.cleanup();
    }
  });

  it('with --auth off there are no links, and every room is open', async () => {
    const t = await startTestServer();
    try {
      expect((await fetch(`${t.httpUrl}/api/rooms`, { method: 'POST' })).status).toBe(404);
      expect(await (await fetch(`${t.httpUrl}/api/auth`)).json()).toMatchObject({ mode: 'off' });
      // No admin token configured: the admin API is off, and says so.
      const admin = await fetch(`${t.httpUrl}/api/admin/revoke`, { method: 'POST', body: '{"sub":"x"}' });
      expect(admin.status).toBe(404);
      expect(await admin.json()).toMatchObject({ error: expect.stringMatching(/admin API is off/) });
    } finally {
      await t.cleanup();
    }
  });
});
