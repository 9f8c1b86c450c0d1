// A board reopens where it was last looked at on this device (viewport/ViewMemory.ts), as
// Excalidraw and tldraw do: moved with real input in headless Chromium, then reloaded.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, onBoard, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface View {
  x: number;
  y: number;
  zoom: number;
}

function view(page: Page): Promise<View> {
  return onBoard(page, (board) => {
    const { x, y, zoom } = (board as unknown as { viewport: View }).viewport;
    return { x, y, zoom };
  });
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitOnPage(
    page,
    async () => (await onBoard(page, (board) => board.status).catch(() => null)) === 'synced',
    `${url} synced`,
  );
}

describe('the view of a board', () => {
  let t: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('is where it was left after a reload; another room, or a stored view that is not one, opens at the origin', async () => {
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await open(page, `${t.httpUrl}/r/here`);
    expect(await view(page)).toEqual({ x: 0, y: 0, zoom: 1 });
    // Zoomed out twice and panned, with the zoom bar and the wheel.
    const zoomOut = page.locator('inkroom-board').getByRole('button', { name: 'Zoom out' });
    await zoomOut.click();
    await zoomOut.click();
    await page.mouse.move(500, 400);
    await page.mouse.wheel(300, 200);
    const moved = await view(page);
    expect(moved.zoom).toBeLessThan(0.8);
    expect(moved.x).not.toBe(0);
    expect(moved.y).not.toBe(0);
    // Written once the view has been still for a moment.
    await page.waitForTimeout(700);
    await open(page, `${t.httpUrl}/r/here`);
    expect(await view(page)).toEqual(moved);

    await open(page, `${t.httpUrl}/r/elsewhere`);
    expect(await view(page)).toEqual({ x: 0, y: 0, zoom: 1 });

    const key = await page.evaluate(() =>
      Object.keys(localStorage).find((k) => k.startsWith('inkroom.view:') && k.endsWith('/here')),
    );
    expect(key).toBeDefined();
    await page.evaluate((k) => localStorage.setItem(k, '{"x":"far","y":0,"zoom":1}'), key!);
    await open(page, `${t.httpUrl}/r/here`);
    expect(await view(page)).toEqual({ x: 0, y: 0, zoom: 1 });
    await context.close();
  });
});
