import {
  CloseCode,
  encodeAuthToken,
  encodeAwareness,
  encodeSyncStep2,
  encodeUpdate,
  INKROOM_PROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
} from '@inkroom/shared';
import { createToken } from '@inkroom/sync-server';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { type Client, connectClient, rawClient, waitFor } from './helpers/clients.js';
import { type LogCapture, startTestServer, type TestServer } from './helpers/server.js';

const SECRET = 'an-hs256-secret-for-the-attack-suite-0123456789';
const OLD_SECRET = 'the-previous-key-still-verifying-its-tokens-98765';
const ADMIN = 'admin-token-of-the-attack-suite-abcdef';
const now = () => Math.floor(Date.now() / 1000);

/** Complete claims (10 minutes, iat now, a jti) overridden by `more`; an `undefined` leaves one out. */
function claims(more: Record<string, unknown>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    iat: now(),
    exp: now() + 600,
    jti: `forged-${Math.random()}`,
    ...more,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** A token with any claims, signed HS256 with `secret` (for the cases createToken refuses to make). */
function forge(more: Record<string, unknown>, secret = SECRET, kid = 'current'): Promise<string> {
  return new SignJWT(claims(more))
    .setProtectedHeader({ alg: 'HS256', kid })
    .sign(new TextEncoder().encode(secret));
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access control: tokens', () => {
  let t: TestServer;
  let owner: Client;
  let publicKeyPem: string;
  let privateKey: CryptoKey;
  const secrets: string[] = [SECRET, OLD_SECRET, ADMIN];
  const earlierLogs: LogCapture[] = [];

  /** The server's key file, as an application would sign with it (the first secret signs). */
  let keyFile = '';
  const write = (room: string, ttl: number | string = '1h', more: { sub?: string; name?: string } = {}) =>
    createToken({ secret: keyFile, room, scope: 'write', ttl, ...more }).then((c) => c.token);
  const read = (room: string, ttl: number | string = '1h', more: { sub?: string } = {}) =>
    createToken({ secret: keyFile, room, scope: 'read', ttl, ...more }).then((c) => c.token);

  /** What the server holds of a room's `test` map (the attacks target it). */
  async function stored(room: string): Promise<Record<string, unknown>> {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.server.core.readRoom(room))!);
    return doc.getMap('test').toJSON();
  }

  /** An update that would set `test.key` in a room, from a doc of its own. */
  function attackUpdate(key: string): Uint8Array {
    const doc = new Y.Doc();
    doc.getMap('test').set(key, 'attacker was here');
    return Y.encodeStateAsUpdate(doc);
  }

  /** A raw socket that tries to write as soon as it opens; resolves with its close code. */
  async function attempt(path: string): Promise<{ code: number }> {
    const socket = rawClient(t.wsUrl, path);
    await socket.opened;
    socket.ws.send(encodeUpdate(attackUpdate('refused')));
    const { code } = await socket.closed;
    return { code };
  }

  beforeAll(async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    privateKey = pair.privateKey;
    publicKeyPem = await exportSPKI(pair.publicKey);
    keyFile = JSON.stringify({
      keys: [
        { kid: 'current', secret: SECRET },
        { kid: 'previous', secret: OLD_SECRET },
        { kid: 'app', alg: 'EdDSA', publicKey: publicKeyPem },
      ],
    });
    secrets.push(keyFile);
    t = await startTestServer({
      auth: 'tokens',
      authSecret: keyFile,
      adminToken: ADMIN,
      clockSkewSeconds: 2,
      maxTokenTtlSeconds: 24 * 3600,
    });
    const token = await write('vault');
    secrets.push(token);
    owner = connectClient(t.wsUrl, 'vault', { params: { token } });
    await owner.synced;
    owner.doc.getMap('test').set('seed', 'kept');
    for (let tries = 0; (await stored('vault')).seed !== 'kept'; tries++) {
      if (tries > 200) throw new Error('the seed never reached the server');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });

  afterAll(async () => {
    owner.destroy();
    await t.cleanup();
  });

  const W = { room: 'vault', scope: 'write' };
  /** Each forged token is complete but for the one flaw the case names; the reason is the server's log. */
  const refusals: [string, () => Promise<string | null>, number, RegExp][] = [
    ['no token', async () => null, CloseCode.Unauthorized, /^no token$/],
    ['a forged signature', () => forge(W, 'x'.repeat(40)), 4401, /signature does not verify/],
    [
      'alg: none',
      async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims(W))}.`,
      4401,
      /malformed|not allowed|invalid/,
    ],
    [
      'algorithm confusion (HS256 keyed with the EdDSA public key)',
      () => forge(W, publicKeyPem, 'app'),
      4401,
      /algorithm does not match its key/,
    ],
    ['an unknown kid', () => forge(W, SECRET, 'nope'), 4401, /unknown key/],
    ['an expired token', () => forge({ ...W, exp: now() - 5, iat: now() - 60 }), 4401, /expired/],
    ['a token not yet valid (nbf)', () => forge({ ...W, nbf: now() + 300 }), 4401, /not yet valid/],
    [
      'a token issued in the future (iat)',
      () => forge({ ...W, exp: now() + 900, iat: now() + 300 }),
      4401,
      /not yet valid/,
    ],
    ['a token without exp', () => forge({ ...W, exp: undefined }), 4401, /"exp"/],
    ['a token without iat (its lifetime unbounded)', () => forge({ ...W, iat: undefined }), 4401, /"iat"/],
    ['a token without jti (not revocable alone)', () => forge({ ...W, jti: undefined }), 4401, /"jti"/],
    [
      'a token living longer than --max-token-ttl',
      () => forge({ ...W, exp: now() + 30 * 86_400 }),
      4401,
      /longer than this server allows/,
    ],
    ['a token without a scope', () => forge({ room: 'vault' }), 4401, /"scope"/],
    ['a token with a made-up scope', () => forge({ ...W, scope: 'admin' }), 4401, /"scope"/],
    ['a token for another room', () => write('other-room'), CloseCode.Forbidden, /another room/],
    [
      'a prefix pattern escaped (team/* for vault)',
      () => write('team/*'),
      CloseCode.Forbidden,
      /another room/,
    ],
    ['an oversized token', async () => `${await write('vault')}${'A'.repeat(5000)}`, 4401, /too long/],
    ['garbage', async () => 'not.a.token', 4401, /malformed|invalid/],
  ];

  for (const [name, make, code, reason] of refusals) {
    it(`refuses ${name} with ${code}, and the room is unchanged`, async () => {
      const token = await make();
      if (token) secrets.push(token);
      const path = token === null ? 'vault' : `vault?token=${encodeURIComponent(token)}`;
      expect((await attempt(path)).code).toBe(code);
      const denied = t.logs.lines.filter((line) => line.msg === 'auth.denied').at(-1);
      expect(denied?.reason).toMatch(reason);
      expect(await stored('vault')).toEqual({ seed: 'kept' });
    });
  }

  it('a stock provider refused with 4401 stops retrying instead of hammering the server', async () => {
    const client = connectClient(t.wsUrl, 'vault', { params: { token: 'bogus' } });
    const closed = new Promise<{ code: number }>((resolve) => client.provider.once('closed', resolve));
    expect((await closed).code).toBe(4401);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(client.provider.ws).toBeNull();
    expect(client.provider.shouldConnect).toBe(false);
    client.destroy();
  });

  it('prefix patterns: team/* opens team/plan but neither team nor team2', async () => {
    const token = await write('team/*');
    secrets.push(token);
    const inTeam = connectClient(t.wsUrl, 'team/plan', { params: { token } });
    await inTeam.synced;
    inTeam.destroy();
    for (const room of ['team2', 'team', 'team2/plan']) {
      expect((await attempt(`${encodeURIComponent(room)}?token=${token}`)).code).toBe(4403);
    }
  });

  it('keys rotate by kid; public keys verify application-signed EdDSA tokens', async () => {
    const old = await forge({ room: 'vault', scope: 'read' }, OLD_SECRET, 'previous');
    const signed = await new SignJWT({ room: 'vault', scope: 'read' })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'app' })
      .setIssuedAt()
      .setJti('app-signed')
      .setExpirationTime('10m')
      .sign(privateKey);
    for (const token of [old, signed]) {
      secrets.push(token);
      const client = connectClient(t.wsUrl, 'vault', { params: { token } });
      await client.synced;
      expect(client.doc.getMap('test').get('seed')).toBe('kept');
      client.destroy();
    }
  });

  it('takes the token from a Sec-WebSocket-Protocol entry and answers with the inkroom protocol', async () => {
    const token = await read('vault');
    secrets.push(token);
    const ws = new WebSocket(`${t.wsUrl}/vault`, [INKROOM_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`]);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    expect(ws.protocol).toBe(INKROOM_PROTOCOL);
    const frames: Uint8Array[] = [];
    ws.on('message', (data) => frames.push(new Uint8Array(data as Buffer)));
    await waitFor(() => frames.length > 0, 'the server greets a token holder');
    ws.close();
  });

  it('a read-scope socket receives the board, but every update it sends is dropped', async () => {
    const token = await read('vault');
    secrets.push(token);
    const viewer = connectClient(t.wsUrl, 'vault', { params: { token } });
    await viewer.synced;
    expect(viewer.doc.getMap('test').get('seed')).toBe('kept');
    const dropped = t.server.core.stats().readOnlyUpdatesDropped;
    // Through the provider (an update), and raw: sync step 2 and update frames.
    viewer.doc.getMap('test').set('viewer', 'edit');
    const raw = rawClient(t.wsUrl, `vault?token=${token}`);
    await raw.opened;
    raw.ws.send(encodeSyncStep2(attackUpdate('step2')));
    raw.ws.send(encodeUpdate(attackUpdate('update')));
    await waitFor(() => t.server.core.stats().readOnlyUpdatesDropped >= dropped + 3, 'updates dropped');
    expect(await stored('vault')).toEqual({ seed: 'kept' });
    // Dropped, not refused: the viewer stays, and still sees the owner's edits.
    owner.doc.getMap('test').set('live', 'yes');
    await waitFor(() => viewer.doc.getMap('test').get('live') === 'yes', 'owner edit reaches the viewer');
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    owner.doc.getMap('test').delete('live');
    await expect.poll(() => stored('vault')).toEqual({ seed: 'kept' });
    viewer.destroy();
    raw.ws.close();
  });

  it('a read-scope socket cannot speak for another client id, nor publish a stroke in progress', async () => {
    const token = await read('vault', '1h');
    secrets.push(token);
    const viewer = connectClient(t.wsUrl, 'vault', { params: { token } });
    await viewer.synced;
    owner.awareness.setLocalState({ user: { name: 'Owner', color: '#000' } });
    await waitFor(() => viewer.awareness.getStates().has(owner.doc.clientID), 'owner presence');
    viewer.awareness.setLocalState({
      user: { name: 'Viewer', color: '#111' },
      cursor: { x: 1, y: 2 },
      live: { id: 'x' },
    });
    await waitFor(() => owner.awareness.getStates().has(viewer.doc.clientID), 'viewer presence');
    // Viewers appear in the people list, without the stroke field.
    expect(owner.awareness.getStates().get(viewer.doc.clientID)).toEqual({
      user: { name: 'Viewer', color: '#111' },
      cursor: { x: 1, y: 2 },
    });
    // Now forge the owner's presence from a raw read socket.
    const fake = new awarenessProtocol.Awareness(new Y.Doc());
    fake.clientID = owner.doc.clientID;
    (fake as unknown as { doc: Y.Doc }).doc.clientID = owner.doc.clientID;
    fake.setLocalState({ user: { name: 'Impostor', color: '#f00' } });
    const forged = awarenessProtocol.encodeAwarenessUpdate(fake, [owner.doc.clientID]);
    const raw = rawClient(t.wsUrl, `vault?token=${token}`);
    await raw.opened;
    raw.ws.send(encodeAwareness(forged));
    // A second id of its own closes it (4413): a viewer speaks for one client id only.
    const second = new awarenessProtocol.Awareness(new Y.Doc());
    second.setLocalState({ user: { name: 'one' } });
    const third = new awarenessProtocol.Awareness(new Y.Doc());
    third.setLocalState({ user: { name: 'two' } });
    raw.ws.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(second, [second.clientID])));
    raw.ws.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(third, [third.clientID])));
    expect((await raw.closed).code).toBe(CloseCode.AwarenessRejected);
    expect(
      (viewer.awareness.getStates().get(owner.doc.clientID) as { user: { name: string } }).user.name,
    ).toBe('Owner');
    for (const a of [fake, second, third]) a.destroy();
    viewer.destroy();
  });

  it("a token's name is the person's name, whatever their presence says", async () => {
    const token = await write('vault', '1h', { name: 'Ada Lovelace' });
    secrets.push(token);
    const named = connectClient(t.wsUrl, 'vault', { params: { token } });
    await named.synced;
    named.awareness.setLocalState({ user: { name: 'Someone Else', color: '#123456' } });
    await waitFor(
      () =>
        (owner.awareness.getStates().get(named.doc.clientID) as { user?: { name: string } } | undefined)?.user
          ?.name === 'Ada Lovelace',
      'the token name shown',
    );
    named.destroy();
  });

  it('revoking a token by jti closes its socket within a second (4403) and it cannot come back', async () => {
    const created = await createToken({ secret: keyFile, room: 'vault', scope: 'write', ttl: '1h' });
    secrets.push(created.token);
    const client = connectClient(t.wsUrl, 'vault', { params: { token: created.token } });
    await client.synced;
    const closed = new Promise<{ code: number }>((resolve) => client.provider.once('closed', resolve));
    const started = Date.now();
    const res = await fetch(`${t.httpUrl}/api/admin/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jti: created.jti }),
    });
    expect(res.status).toBe(200);
    expect((await closed).code).toBe(4403);
    expect(Date.now() - started).toBeLessThan(1000);
    client.destroy();
    expect((await attempt(`vault?token=${created.token}`)).code).toBe(4403);
    expect(await stored('vault')).toEqual({ seed: 'kept' });
  });

  it('revoking a person by sub closes all their sockets, and their older tokens stay refused after a restart', async () => {
    const tokens = [
      await write('vault', '1h', { sub: 'mallory' }),
      await read('vault', '1h', { sub: 'mallory' }),
    ];
    secrets.push(...tokens);
    const clients = tokens.map((token) => connectClient(t.wsUrl, 'vault', { params: { token } }));
    await Promise.all(clients.map((c) => c.synced));
    const codes = clients.map(
      (c) =>
        new Promise<number>((resolve) => c.provider.once('closed', (e: { code: number }) => resolve(e.code))),
    );
    const res = await fetch(`${t.httpUrl}/api/admin/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ sub: 'mallory' }),
    });
    expect(await res.json()).toMatchObject({ closed: 2 });
    expect(await Promise.all(codes)).toEqual([4403, 4403]);
    for (const c of clients) c.destroy();
    owner.destroy();
    earlierLogs.push(t.logs);
    t = await t.restart();
    expect((await attempt(`vault?token=${tokens[0]}`)).code).toBe(4403);
    // A token issued after the revocation and the clock skew (2 s here) works again.
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const fresh = await write('vault', '1h', { sub: 'mallory' });
    secrets.push(fresh);
    owner = connectClient(t.wsUrl, 'vault', { params: { token: fresh } });
    await owner.synced;
    expect(owner.doc.getMap('test').get('seed')).toBe('kept');
  });

  it('closes a socket when its token expires (4401, within a second of exp)', async () => {
    const { token, expiresAt } = await createToken({ secret: keyFile, room: 'vault', scope: 'read', ttl: 2 });
    secrets.push(token);
    const client = connectClient(t.wsUrl, 'vault', { params: { token } });
    await client.synced;
    const closed = await new Promise<{ code: number }>((resolve) => client.provider.once('closed', resolve));
    expect(closed.code).toBe(4401);
    expect(Math.abs(Date.now() - expiresAt)).toBeLessThan(1000);
    client.destroy();
  });

  it('a token renewed in-band keeps the socket open past the first expiry', async () => {
    const first = await createToken({ secret: keyFile, room: 'vault', scope: 'read', ttl: 2 });
    const raw = rawClient(t.wsUrl, `vault?token=${first.token}`);
    await raw.opened;
    const renewed = await read('vault', '1h');
    secrets.push(first.token, renewed);
    raw.ws.send(encodeAuthToken(renewed));
    await new Promise((resolve) => setTimeout(resolve, first.expiresAt - Date.now() + 1200));
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    // Renewing with a token for another room is refused like a connection would be.
    raw.ws.send(encodeAuthToken(await read('elsewhere')));
    expect((await raw.closed).code).toBe(4403);
  });

  it('previews need a token that opens the room', async () => {
    expect((await fetch(`${t.httpUrl}/api/rooms/vault.svg`)).status).toBe(401);
    expect((await fetch(`${t.httpUrl}/api/rooms/vault.svg?token=garbage`)).status).toBe(401);
    const other = await read('other');
    expect((await fetch(`${t.httpUrl}/api/rooms/vault.svg?token=${other}`)).status).toBe(403);
    const token = await read('vault');
    secrets.push(other, token);
    expect((await fetch(`${t.httpUrl}/api/rooms/vault.svg?token=${token}`)).status).toBe(200);
    const bearer = await fetch(`${t.httpUrl}/api/rooms/vault.svg`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(bearer.status).toBe(200);
  });

  it('the admin API refuses a missing or wrong admin token (401) and mints tokens with the right one', async () => {
    const body = JSON.stringify({ room: 'vault', scope: 'read', ttl: '5m', sub: 'kiosk' });
    expect((await fetch(`${t.httpUrl}/api/admin/tokens`, { method: 'POST', body })).status).toBe(401);
    const wrong = { authorization: `Bearer ${ADMIN}x` };
    expect(
      (await fetch(`${t.httpUrl}/api/admin/tokens`, { method: 'POST', body, headers: wrong })).status,
    ).toBe(401);
    const res = await fetch(`${t.httpUrl}/api/admin/tokens`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    secrets.push(token);
    const client = connectClient(t.wsUrl, 'vault', { params: { token } });
    await client.synced;
    client.destroy();
    const admin = { authorization: `Bearer ${ADMIN}` };
    for (const bad of [
      { room: 'vault' },
      { room: 'x'.repeat(300), scope: 'read' },
      { room: 'vault', scope: 'read', sub: 5 },
    ]) {
      const res = await fetch(`${t.httpUrl}/api/admin/tokens`, {
        method: 'POST',
        body: JSON.stringify(bad),
        headers: admin,
      });
      expect(res.status).toBe(400);
    }
    for (const bad of [{ jti: 'a', sub: 'b' }, {}, { jti: 5 }]) {
      const res = await fetch(`${t.httpUrl}/api/admin/revoke`, {
        method: 'POST',
        body: JSON.stringify(bad),
        headers: admin,
      });
      expect(res.status).toBe(400);
    }
    const tooLong = JSON.stringify({ room: 'vault', scope: 'read', ttl: '30d' });
    const refused = await fetch(`${t.httpUrl}/api/admin/tokens`, {
      method: 'POST',
      body: tooLong,
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(refused.status).toBe(400);
  });

  it('never writes a token or a secret to the log', () => {
    const lines = [...earlierLogs, t.logs].flatMap((logs) => logs.lines);
    const text = lines.map((line) => JSON.stringify(line)).join('\n');
    expect(lines.some((line) => line.msg === 'auth.denied')).toBe(true);
    for (const secret of secrets) expect(text.includes(secret)).toBe(false);
  });
});
