import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface BoardState {
  count: number;
  ids: string[];
  status: string;
  room: string;
}

/**
 * The example page as a third party would host it: its own origin (another port), the script
 * from the Inkroom server by absolute URL. The boards name no `server`: they connect back to the
 * server their script came from.
 */
async function startOtherOrigin(inkroomUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const example = readFileSync(join(APP_DIST, 'embed-example.html'), 'utf8');
  const page = example.replace('src="/inkroom-board.js"', `src="${inkroomUrl}/inkroom-board.js"`);
  if (page === example) throw new Error('the example page no longer loads /inkroom-board.js');
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function boardState(page: Page, id: string): Promise<BoardState> {
  return page.evaluate((boardId) => {
    const board = document.getElementById(boardId) as HTMLElement & {
      describeBoard(): { count: number; elements: { id: string }[]; status: string };
      room: string;
    };
    const description = board.describeBoard();
    return {
      count: description.count,
      ids: description.elements.map((e) => e.id).sort(),
      status: description.status,
      room: board.room,
    };
  }, id);
}

async function waitForState(
  page: Page,
  id: string,
  check: (s: BoardState) => boolean,
  what: string,
  timeoutMs = 10_000,
) {
  await waitOnPage(page, async () => check(await boardState(page, id)), what, timeoutMs);
}

/** Draws a pen stroke right of the board's centre (away from its toolbars and style panel). */
async function drawStroke(page: Page, id: string, dx = 0): Promise<void> {
  await page.evaluate((boardId) => {
    (document.getElementById(boardId) as HTMLElement & { setTool(tool: string): void }).setTool('pen');
  }, id);
  const box = (await page.locator(`#${id}`).boundingBox())!;
  const x = box.x + box.width * 0.55 + dx;
  const y = box.y + box.height / 2 + 40;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 90, y + 40, { steps: 8 });
  await page.mouse.up();
}

/** Every board event the page heard, in order. */
async function recordEvents(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const events: { board: string; type: string; detail: unknown }[] = [];
    (window as unknown as { inkroomEvents: typeof events }).inkroomEvents = events;
    for (const type of ['inkroom-change', 'inkroom-status', 'inkroom-presence', 'inkroom-selection']) {
      document.addEventListener(type, (event) => {
        const target = event.target as HTMLElement;
        events.push({ board: target.id, type, detail: (event as CustomEvent).detail });
      });
    }
  });
}

function events(page: Page): Promise<{ board: string; type: string; detail: Record<string, unknown> }[]> {
  return page.evaluate(() => (window as unknown as { inkroomEvents: [] }).inkroomEvents) as never;
}

describe('the board embedded in a page of another origin', () => {
  let t: TestServer;
  let host: { url: string; close(): Promise<void> };
  let browser: Browser;
  const pages: Page[] = [];
  let one: Page;
  let two: Page;

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await recordEvents(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(host.url);
    for (const id of ['plan', 'dark'])
      await waitForState(page, id, (s) => s.status === 'synced', `board ${id} synced (${errors.join('; ')})`);
    pages.push(page);
    return page;
  }

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    host = await startOtherOrigin(t.httpUrl);
    browser = await launchBrowser();
    one = await openPage();
    two = await openPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await t?.cleanup();
  });

  it('connects both boards, each to its own room, and reports the status as events', async () => {
    expect(new URL(host.url).origin).not.toBe(new URL(t.httpUrl).origin);
    const statuses = (await events(one)).filter((e) => e.type === 'inkroom-status');
    for (const board of ['plan', 'dark']) {
      expect(statuses.filter((e) => e.board === board).map((e) => e.detail.status)).toEqual([
        'connecting',
        'connected',
        'synced',
      ]);
    }
    expect((await boardState(one, 'plan')).room).toBe('embed-demo-plan');
    expect((await boardState(one, 'dark')).room).toBe('embed-demo-sketch');
  });

  it('shows a stroke drawn in one page in the other page’s same board only, with change and presence events', async () => {
    await drawStroke(one, 'plan');
    await waitForState(two, 'plan', (s) => s.count === 1, 'the stroke in page two');
    expect((await boardState(two, 'dark')).count).toBe(0);
    const heard = await events(two);
    expect(heard.some((e) => e.type === 'inkroom-change' && e.board === 'plan')).toBe(true);
    expect(heard.some((e) => e.type === 'inkroom-change' && e.board === 'dark')).toBe(false);
    expect(
      heard.some((e) => e.type === 'inkroom-presence' && (e.detail.people as unknown[]).length > 0),
    ).toBe(true);
    await one.screenshot({ path: join(ARTIFACTS, 'embed-other-origin.png') });
  });

  it('folds the style panel into one button on a small board, so strokes can start where it was', async () => {
    const panel = () =>
      one.evaluate(() => {
        const root = document.getElementById('plan')!.shadowRoot!;
        const part = root.querySelector<HTMLElement>('[part="style-panel"]');
        return part ? { folded: part.classList.contains('panel-toggle'), height: part.offsetHeight } : null;
      });
    await one.evaluate(() =>
      (document.getElementById('plan') as HTMLElement & { setTool(t: string): void }).setTool('pen'),
    );
    const folded = await panel();
    expect(folded?.folded).toBe(true);
    expect(folded!.height).toBeLessThan(60);
    await one.evaluate(() =>
      document.getElementById('plan')!.shadowRoot!.querySelector<HTMLElement>('.panel-toggle')!.click(),
    );
    expect((await panel())?.folded).toBe(false);
    await one.screenshot({ path: join(ARTIFACTS, 'embed-panel-open.png') });
    // Drawing on the board folds it again; a stroke then starts where the open panel was.
    const box = (await one.locator('#plan').boundingBox())!;
    const before = (await boardState(one, 'plan')).count;
    const stroke = async (x: number, y: number) => {
      await one.mouse.move(box.x + x, box.y + y);
      await one.mouse.down();
      await one.mouse.move(box.x + x + 80, box.y + y + 30, { steps: 6 });
      await one.mouse.up();
    };
    await stroke(box.width - 200, 200);
    expect((await panel())?.folded).toBe(true);
    await stroke(120, 200);
    await waitForState(one, 'plan', (s) => s.count === before + 2, 'both strokes, one where the panel was');
    // The board as the next tests expect it.
    await one.evaluate(() => {
      const board = document.getElementById('plan') as HTMLElement & { undo(): void };
      board.undo();
      board.undo();
    });
    await waitForState(one, 'plan', (s) => s.count === before, 'the two strokes undone');
    await waitForState(two, 'plan', (s) => s.count === before, 'the two strokes undone in page two');
  });

  it('fires inkroom-selection when the selection changes', async () => {
    await one.evaluate(() => {
      const board = document.getElementById('plan') as HTMLElement & { setTool(id: string): void };
      board.setTool('select');
    });
    const box = (await one.locator('#plan').boundingBox())!;
    // A marquee around the stroke selects it.
    await one.mouse.move(box.x + box.width * 0.55 - 20, box.y + box.height / 2 + 10);
    await one.mouse.down();
    await one.mouse.move(box.x + box.width * 0.55 + 130, box.y + box.height / 2 + 110, { steps: 6 });
    await one.mouse.up();
    const selections = (await events(one)).filter((e) => e.type === 'inkroom-selection');
    expect(selections.at(-1)?.detail.ids).toEqual((await boardState(one, 'plan')).ids);
  });

  it('reconnects when the room attribute changes', async () => {
    const before = (await events(two)).length;
    await two.evaluate(() => document.getElementById('dark')!.setAttribute('room', 'embed-demo-plan'));
    await waitForState(
      two,
      'dark',
      (s) => s.status === 'synced' && s.count === 1,
      'board dark showing the plan room',
    );
    const after = (await events(two))
      .slice(before)
      .filter((e) => e.board === 'dark' && e.type === 'inkroom-status');
    expect(after.map((e) => e.detail.status)).toEqual(['connecting', 'connected', 'synced']);
    expect((await boardState(two, 'dark')).ids).toEqual((await boardState(two, 'plan')).ids);
    await two.evaluate(() => document.getElementById('dark')!.setAttribute('room', 'embed-demo-sketch'));
    await waitForState(
      two,
      'dark',
      (s) => s.status === 'synced' && s.count === 0,
      'board dark back in its room',
    );
  });

  it('reconnects when the server attribute changes, and shows no board for a server that is not a WebSocket URL', async () => {
    const good = t.wsUrl;
    await two.evaluate(() => document.getElementById('plan')!.setAttribute('server', 'not-a-server'));
    await waitForState(
      two,
      'plan',
      (s) => s.status === 'offline' && s.count === 0,
      'no board for a bad server',
    );
    await two.evaluate((url) => document.getElementById('plan')!.setAttribute('server', url), good);
    await waitForState(
      two,
      'plan',
      (s) => s.status === 'synced' && s.count === 1,
      'the board back on the server',
    );
  });

  it('exports SVG with the drawn elements, PNG at the requested size, and JSON that imports as new elements', async () => {
    const { ids } = await boardState(one, 'plan');
    const result = await one.evaluate(async () => {
      const board = document.getElementById('plan') as HTMLElement & {
        exportSVG(o?: object): string;
        exportPNG(o?: object): Promise<Blob>;
        exportJSON(): { elements: { id: string }[] };
        importJSON(file: unknown): string[];
      };
      const png = await board.exportPNG({ width: 400, height: 300, background: '#ffffff' });
      const header = new DataView(await png.arrayBuffer());
      const json = board.exportJSON();
      const imported = board.importJSON(JSON.stringify(json));
      return {
        svg: board.exportSVG(),
        png: { type: png.type, width: header.getUint32(16), height: header.getUint32(20) },
        jsonIds: json.elements.map((e) => e.id),
        imported,
      };
    });
    for (const id of ids) expect(result.svg).toContain(`data-id="${id}"`);
    expect(result.svg).toMatch(/<path d="M[^"]+" fill="#1e1e1e"\/>/);
    expect(result.png).toEqual({ type: 'image/png', width: 400, height: 300 });
    expect(result.jsonIds).toEqual(ids);
    expect(result.imported).toHaveLength(ids.length);
    expect(result.imported.some((id) => ids.includes(id))).toBe(false);
    await waitForState(two, 'plan', (s) => s.count === ids.length * 2, 'the imported copy in page two');
    // The import is one undo step of its own: undo takes it back and nothing drawn before it.
    await one.evaluate(() => (document.getElementById('plan') as HTMLElement & { undo(): void }).undo());
    await waitForState(two, 'plan', (s) => s.count === ids.length, 'the import undone in page two');
    expect((await boardState(two, 'plan')).ids).toEqual(ids);
    await one.evaluate(() => (document.getElementById('plan') as HTMLElement & { redo(): void }).redo());
    await waitForState(two, 'plan', (s) => s.count === ids.length * 2, 'the import redone in page two');
  });

  it('exports the schema accessors and the Yjs the board uses, to read board.doc from the page', async () => {
    // A string, not a function: the test runner would rewrite a dynamic import in a function's source.
    const read = await one.evaluate(`(async () => {
      const inkroom = await import('${t.httpUrl}/inkroom-board.js');
      const board = document.getElementById('plan');
      return { count: inkroom.listElements(board.doc).length, isDoc: board.doc instanceof inkroom.Y.Doc };
    })()`);
    expect(read).toEqual({ count: (await boardState(one, 'plan')).count, isDoc: true });
  });

  it('keeps ? # and % in room names, and says when the server refuses a room', async () => {
    await one.evaluate(() => document.getElementById('dark')!.setAttribute('room', 'notes?v=1#top 100%'));
    await waitForState(one, 'dark', (s) => s.status === 'synced', 'the odd room synced');
    await drawStroke(one, 'dark');
    const preview = `${t.httpUrl}/api/rooms/${encodeURIComponent('notes?v=1#top 100%')}.svg`;
    await waitOnPage(
      one,
      async () => (await (await fetch(preview)).text()).includes('<g data-id'),
      'the stroke in that room',
    );
    await one.evaluate(() => document.getElementById('dark')!.setAttribute('room', 'x'.repeat(300)));
    await waitForState(one, 'dark', (s) => s.status === 'offline', 'the long room refused');
    const refused = (await events(one))
      .filter((e) => e.type === 'inkroom-status' && e.board === 'dark')
      .at(-1);
    expect(refused?.detail).toMatchObject({ status: 'offline', reason: expect.stringMatching(/^4404/) });
    const badge = await one.evaluate(
      () => document.getElementById('dark')!.shadowRoot!.querySelector('.status')!.textContent,
    );
    expect(badge).toContain('Disconnected by the server (4404');
    await one.evaluate(() => document.getElementById('dark')!.setAttribute('room', 'embed-demo-sketch'));
    await waitForState(one, 'dark', (s) => s.status === 'synced', 'back in its room');
  });

  it('serves /api/rooms/<room>.svg drawn as the board draws it', async () => {
    const { ids } = await boardState(one, 'plan');
    const boardSvg = await one.evaluate(() =>
      (document.getElementById('plan') as HTMLElement & { exportSVG(): string }).exportSVG(),
    );
    const response = await fetch(`${t.httpUrl}/api/rooms/embed-demo-plan.svg?background=transparent`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    const served = await response.text();
    const groups = (svg: string) =>
      [...svg.matchAll(/<g data-id="([^"]+)"[^>]*>(.*?)<\/g>/g)].map((m) => [m[1], m[2]]);
    expect(
      groups(served)
        .map((g) => g[0])
        .sort(),
    ).toEqual(ids);
    // Same elements, same geometry, same frame.
    expect(groups(served)).toEqual(groups(boardSvg));
    expect(served.match(/viewBox="[^"]+"/)?.[0]).toBe(boardSvg.match(/viewBox="[^"]+"/)?.[0]);
    expect((await fetch(`${t.httpUrl}/api/rooms/embed-demo-plan.svg?background=red`)).status).toBe(400);
  });

  it('keeps edits made in two pages while the server is down, and merges them when it is back', async () => {
    const port = t.server.port;
    const before = (await boardState(one, 'plan')).count;
    await t.stop();
    for (const page of [one, two]) await waitForState(page, 'plan', (s) => s.status === 'offline', 'offline');
    await drawStroke(one, 'plan', -20);
    await drawStroke(two, 'plan', 100);
    expect((await boardState(one, 'plan')).count).toBe(before + 1);
    expect((await boardState(two, 'plan')).count).toBe(before + 1);
    await one.screenshot({ path: join(ARTIFACTS, 'embed-offline.png') });
    // A reload while the server is down shows the board from this device's copy, including a
    // stroke drawn the instant before the reload (before IndexedDB could commit it).
    await drawStroke(one, 'plan', 40);
    await one.reload();
    await waitForState(
      one,
      'plan',
      (s) => s.count === before + 2 && s.status === 'offline',
      'the board from IndexedDB after a reload, offline',
    );
    t = await t.restart({ port, staticDir: APP_DIST });
    for (const page of [one, two])
      await waitForState(
        page,
        'plan',
        (s) => s.status === 'synced' && s.count === before + 3,
        'all three offline strokes',
        20_000,
      );
    expect((await boardState(one, 'plan')).ids).toEqual((await boardState(two, 'plan')).ids);
    const served = await (await fetch(`${t.httpUrl}/api/rooms/embed-demo-plan.svg`)).text();
    expect(served.match(/<g data-id=/g)).toHaveLength(before + 3);
  }, 60_000);
});
