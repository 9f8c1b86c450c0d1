import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addElement, createBoardDoc, pointsFrom } from '@inkroom/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

describe('the HTTP side: embed script, example page, room previews', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
  });
  afterAll(() => t?.cleanup());

  it('serves /inkroom-board.js to any origin, cached with background revalidation', async () => {
    const response = await fetch(`${t.httpUrl}/inkroom-board.js`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(/max-age=300, stale-while-revalidate=\d+/);
    const script = await response.text();
    expect(script).toContain('customElements.define(`inkroom-board`');
    expect(script).toMatch(/export\s*\{[^}]*as InkroomBoard/);
  });

  it('serves hashed app assets as immutable, and the example page with two boards', async () => {
    const index = readFileSync(join(APP_DIST, 'index.html'), 'utf8');
    const asset = index.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    expect((await fetch(`${t.httpUrl}${asset}`)).headers.get('cache-control')).toContain('immutable');
    const example = await (await fetch(`${t.httpUrl}/embed-example.html`)).text();
    expect(example.match(/<inkroom-board /g)).toHaveLength(2);
    expect(example).toContain('<script type="module" src="/inkroom-board.js"></script>');
  });

  it('draws a room as SVG, live or loaded from storage', async () => {
    const room = 'preview room/1';
    const client = connectClient(t.wsUrl, room, { doc: createBoardDoc() });
    await client.synced;
    const ids = [
      addElement(client.doc, {
        kind: 'stroke',
        points: pointsFrom([
          [0, 0],
          [50, 20],
          [90, 5],
        ]),
        z: 'a1',
      }),
      addElement(client.doc, {
        kind: 'sticky',
        x: 100,
        y: 40,
        width: 120,
        height: 120,
        text: 'ship it',
        z: 'a2',
      }),
    ];
    const url = `${t.httpUrl}/api/rooms/${encodeURIComponent(room)}.svg`;
    const read = async () => (await fetch(url)).text();
    let live = '';
    for (let i = 0; i < 100 && (live.match(/<g data-id/g) ?? []).length < 2; i++) {
      live = await read();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect([...live.matchAll(/<g data-id="([^"]+)"/g)].map((m) => m[1])).toEqual(ids);
    expect(live).toContain('>ship it</tspan>');
    expect(live).toMatch(/<rect [^>]*fill="#ffffff"/);
    client.destroy();
    await waitFor(() => t.server.core.stats().rooms === 0, 'the room unloaded');
    const stored = await read();
    expect(stored).toBe(live);
    // Reading a preview does not keep the room in memory.
    await waitFor(() => t.server.core.stats().rooms === 0, 'the room unloaded after the preview');
    const transparent = await (await fetch(`${url}?background=transparent&padding=0`)).text();
    expect(transparent).not.toMatch(/<rect /);
  });

  it('answers an empty room with an empty drawing, and bad requests with 400 or 405', async () => {
    const empty = await fetch(`${t.httpUrl}/api/rooms/nobody-here.svg`);
    expect(empty.status).toBe(200);
    expect(await empty.text()).not.toContain('<g ');
    const head = await fetch(`${t.httpUrl}/api/rooms/nobody-here.svg`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const cases: [string, RequestInit, number, RegExp][] = [
      [`/api/rooms/${'x'.repeat(600)}.svg`, {}, 400, /room name/],
      ['/api/rooms/%E0%A4%A.svg', {}, 400, /percent-encoding/],
      ['/api/rooms/a.svg?background=red', {}, 400, /background/],
      ['/api/rooms/a.svg?padding=-1', {}, 400, /padding/],
      ['/api/rooms/a.svg?padding=1.5', {}, 400, /whole number/],
      ['/api/rooms/a.svg', { method: 'POST' }, 405, /method/],
    ];
    for (const [path, init, status, message] of cases) {
      const response = await fetch(`${t.httpUrl}${path}`, init);
      expect(response.status, path).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
  });

  it('answers a preview asked for again by its ETag, and HEAD without drawing', async () => {
    const url = `${t.httpUrl}/api/rooms/${encodeURIComponent('preview room/1')}.svg`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await fetch(url, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.headers.get('etag')).toBe(etag);
    // Other options, other drawing.
    expect((await fetch(`${url}?padding=0`)).headers.get('etag')).not.toBe(etag);
    // A change in the room changes the ETag.
    const client = connectClient(t.wsUrl, 'preview room/1', { doc: createBoardDoc() });
    await client.synced;
    addElement(client.doc, { kind: 'ellipse', width: 30, height: 30 });
    let changed = etag;
    for (let i = 0; i < 100 && changed === etag; i++) {
      changed = (await fetch(url, { method: 'HEAD' })).headers.get('etag');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(changed).not.toBe(etag);
    client.destroy();
  });

  it('refuses to draw a board over 20,000 elements', async () => {
    const client = connectClient(t.wsUrl, 'huge', { doc: createBoardDoc() });
    await client.synced;
    client.doc.transact(() => {
      for (let i = 0; i < 20_001; i++)
        addElement(client.doc, { kind: 'rectangle', x: i, width: 5, height: 5 });
    });
    let response: Response | null = null;
    for (let i = 0; i < 200 && response?.status !== 413; i++) {
      response = await fetch(`${t.httpUrl}/api/rooms/huge.svg`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(response?.status).toBe(413);
    expect(((await response!.json()) as { error: string }).error).toMatch(/20001 elements/);
    client.destroy();
  });
});
