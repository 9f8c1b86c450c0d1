// Images of a board, over HTTP: stored once under their SHA-256, served with immutable caching,
// refused when they are not what they claim, too large, or sent without write access.
import { createHash } from 'node:crypto';
import { createToken } from '@inkroom/sync-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
const SECRET = 'assets-test-secret-0123456789abcdef0123456789';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('board images over HTTP', () => {
  let t: TestServer;
  let open: TestServer;

  const put = (server: TestServer, room: string, bytes: Uint8Array, token?: string, hash = sha256(bytes)) =>
    fetch(`${server.httpUrl}/api/rooms/${room}/assets/${hash}`, {
      method: 'PUT',
      body: Buffer.from(bytes),
      headers: { 'content-type': 'image/png', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  beforeAll(async () => {
    open = await startTestServer({ maxImageBytes: 1024, maxRoomImageBytes: 1500 });
    t = await startTestServer({ auth: 'tokens', authSecret: SECRET });
  });
  afterAll(async () => {
    await open?.cleanup();
    await t?.cleanup();
  });

  it('stores an image under its hash and serves it back, immutable, with the sniffed type', async () => {
    const stored = await put(open, 'pics', PNG);
    expect(stored.status).toBe(201);
    expect(await stored.json()).toEqual({ hash: sha256(PNG), type: 'image/png', bytes: PNG.length });
    const served = await fetch(`${open.httpUrl}/api/rooms/pics/assets/${sha256(PNG)}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    // Sent again, by this room or another: stored once, still fine.
    expect((await put(open, 'pics', PNG)).status).toBe(201);
    // Whatever type the sender claims, a GIF is served as a GIF.
    expect((await put(open, 'pics', GIF)).status).toBe(201);
    const gif = await fetch(`${open.httpUrl}/api/rooms/pics/assets/${sha256(GIF)}`, { method: 'HEAD' });
    expect(gif.headers.get('content-type')).toBe('image/gif');
    // A browser on another origin may upload: the preflight answers.
    const preflight = await fetch(`${open.httpUrl}/api/rooms/pics/assets/${sha256(PNG)}`, {
      method: 'OPTIONS',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('refuses what is not an image it takes, a wrong hash, a missing one, and what passes the limits', async () => {
    const svg = await put(open, 'pics', SVG);
    expect(svg.status).toBe(415);
    expect((await svg.json()).error).toMatch(/SVG is refused/);
    expect((await put(open, 'pics', PNG, undefined, sha256(GIF))).status).toBe(400);
    expect((await put(open, 'pics', PNG, undefined, 'not-a-hash')).status).toBe(400);
    expect((await fetch(`${open.httpUrl}/api/rooms/pics/assets/${'0'.repeat(64)}`)).status).toBe(404);
    // 1,024 bytes an image at most.
    const big = Buffer.concat([PNG, Buffer.alloc(1100)]);
    const tooBig = await put(open, 'pics', big);
    expect(tooBig.status).toBe(413);
    // 1,500 bytes a room: three images of 600 do not fit, the first two do.
    const images = [1, 2, 3].map((n) => Buffer.concat([PNG, Buffer.alloc(600 - PNG.length, n)]));
    expect((await put(open, 'full', images[0]!)).status).toBe(201);
    expect((await put(open, 'full', images[1]!)).status).toBe(201);
    const over = await put(open, 'full', images[2]!);
    expect(over.status).toBe(413);
    expect((await over.json()).error).toMatch(/room's images/);
    const refusals = open.logs.lines
      .filter((line) => line.msg === 'asset.refused')
      .map((line) => line.status);
    expect(refusals).toEqual(expect.arrayContaining([415, 400, 413]));
  });

  it('with access control on: writing needs write access, reading any access to the room', async () => {
    const write = (await createToken({ secret: SECRET, room: 'vault', scope: 'write', ttl: '1h' })).token;
    const read = (await createToken({ secret: SECRET, room: 'vault', scope: 'read', ttl: '1h' })).token;
    const other = (await createToken({ secret: SECRET, room: 'elsewhere', scope: 'write', ttl: '1h' })).token;
    expect((await put(t, 'vault', PNG)).status).toBe(401);
    expect((await put(t, 'vault', PNG, read)).status).toBe(403);
    expect((await put(t, 'vault', PNG, other)).status).toBe(403);
    expect((await put(t, 'vault', PNG, write)).status).toBe(201);
    const url = `${t.httpUrl}/api/rooms/vault/assets/${sha256(PNG)}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${read}` } })).status).toBe(200);
    // No token reaches the log.
    for (const token of [write, read, other]) expect(JSON.stringify(t.logs.lines)).not.toContain(token);
  });
});
