// Copy and paste through the system clipboard, as a person does it: the keyboard shortcuts in one
// board, the paste in another room's board in another tab.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  boardElements,
  type ElementSummary,
  launchBrowser,
  onBoard,
  waitOnPage,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

const elements = boardElements;

describe('copy and paste between boards', () => {
  let t: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let a: Page;
  let b: Page;

  async function openRoom(room: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${t.httpUrl}/r/${room}`);
    await waitOnPage(
      page,
      async () => (await onBoard(page, (board) => board.status).catch(() => null)) === 'synced',
      room,
    );
    return page;
  }

  async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
    await page.mouse.move(from[0], from[1]);
    await page.mouse.down();
    await page.mouse.move(to[0], to[1], { steps: 6 });
    await page.mouse.up();
  }

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1000, height: 650 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.httpUrl });
    a = await openRoom(`copy-from-${Date.now()}`);
    b = await openRoom(`paste-to-${Date.now()}`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('Ctrl+C in one board and Ctrl+V in another room’s board pastes the elements with new ids, where the pointer is', async () => {
    await a.bringToFront();
    await a.keyboard.press('r');
    await drag(a, [400, 250], [500, 330]);
    await a.keyboard.press('n');
    await a.mouse.click(560, 250);
    await a.keyboard.type('Plan the launch');
    await a.keyboard.press('Escape');
    await a.keyboard.press('Control+a');
    await a.keyboard.press('Control+c');
    const copied = await elements(a);
    expect(copied).toHaveLength(2);

    await b.bringToFront();
    await b.mouse.move(300, 400);
    await b.keyboard.press('Control+v');
    await waitOnPage(b, async () => (await elements(b)).length === 2, 'the pasted elements');
    const pasted = await elements(b);
    expect(pasted.map((e) => e.kind).sort()).toEqual(['rectangle', 'sticky']);
    expect(pasted.find((e) => e.kind === 'sticky')?.text).toBe('Plan the launch');
    expect(pasted.some((e) => copied.some((c) => c.id === e.id))).toBe(false);
    // As they sat in the first board, relative to each other.
    const offset = (list: ElementSummary[]) => {
      const rect = list.find((e) => e.kind === 'rectangle')!;
      const note = list.find((e) => e.kind === 'sticky')!;
      return [Math.round(note.x - rect.x), Math.round(note.y - rect.y)];
    };
    expect(offset(pasted)).toEqual(offset(copied));
    // Selected, with the select tool, ready to be moved.
    expect(await onBoard(b, (board) => (board as unknown as { tool: string }).tool)).toBe('select');
    await b.screenshot({ path: join(ARTIFACTS, 'clipboard-pasted.png') });

    // Undo takes the whole paste back, in one step.
    await b.keyboard.press('Control+z');
    await waitOnPage(b, async () => (await elements(b)).length === 0, 'the undone paste');
  });

  it('Ctrl+X cuts, plain text pastes as a text element, and Shift+Alt+C and Shift+Alt+S copy the selection as PNG and SVG', async () => {
    await a.bringToFront();
    await a.keyboard.press('Control+a');
    await a.keyboard.press('Control+x');
    await waitOnPage(a, async () => (await elements(a)).length === 0, 'the cut');
    await a.mouse.move(500, 300);
    await a.keyboard.press('Control+v');
    await waitOnPage(a, async () => (await elements(a)).length === 2, 'the cut elements pasted back');

    await a.evaluate(() => navigator.clipboard.writeText('A note from elsewhere'));
    await a.keyboard.press('Control+v');
    await waitOnPage(a, async () => (await elements(a)).some((e) => e.kind === 'text'), 'the pasted text');
    expect((await elements(a)).find((e) => e.kind === 'text')?.text).toBe('A note from elsewhere');

    await a.keyboard.press('Control+a');
    await a.keyboard.press('Shift+Alt+KeyC');
    await waitOnPage(
      a,
      () =>
        a.evaluate(async () => {
          const items = await navigator.clipboard.read();
          return items.some((item) => item.types.includes('image/png'));
        }),
      'a PNG on the clipboard',
    );
    const size = await a.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      const bitmap = await createImageBitmap(await item!.getType('image/png'));
      return { width: bitmap.width, height: bitmap.height };
    });
    expect(size.width).toBeGreaterThan(100);
    expect(size.height).toBeGreaterThan(50);
    // Shift+Alt+S: the same selection as SVG text.
    await a.keyboard.press('Shift+Alt+KeyS');
    await waitOnPage(
      a,
      () => a.evaluate(async () => (await navigator.clipboard.readText()).startsWith('<svg')),
      'an SVG on the clipboard',
    );
    const svg = await a.evaluate(() => navigator.clipboard.readText());
    expect(svg).toContain('data-kind=');
  });
});
