// A stroke in progress as another person sees it: drawn with the same ink as the committed stroke,
// and never gone from their screen between pen-up and the moment the stroke arrives (which the
// server relays only once it is stored: here storage is slowed down to make that moment long).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LevelAuthStore, LevelRoomStore } from '@inkroom/sync-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, onBoard, waitOnPage } from './helpers/browser.js';
import { makeDataDir, startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));
/** How long each write to storage takes here. */
const STORE_DELAY_MS = 600;

interface Frame {
  /** Inked pixels in the watched area, on the overlay (strokes in progress) and the scene. */
  overlay: number;
  scene: number;
  /** Elements the board holds. */
  count: number;
}

/** Starts recording, every animation frame, how much ink the board shows around a point. */
function watchInk(page: Page, at: { x: number; y: number }, size: number): Promise<void> {
  return page.evaluate(
    ({ x, y, size }) => {
      const board = document
        .querySelector('inkroom-app')!
        .shadowRoot!.querySelector('inkroom-board')! as HTMLElement & { elementCount: number };
      const root = board.shadowRoot!;
      const inked = (canvas: HTMLCanvasElement) => {
        const dpr = window.devicePixelRatio || 1;
        const box = canvas.getBoundingClientRect();
        const data = canvas
          .getContext('2d')!
          .getImageData(
            (x - box.left - size / 2) * dpr,
            (y - box.top - size / 2) * dpr,
            size * dpr,
            size * dpr,
          ).data;
        let count = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 32) count++;
        return count;
      };
      const frames: Frame[] = [];
      (window as unknown as { inkFrames: Frame[] }).inkFrames = frames;
      const tick = () => {
        frames.push({
          overlay: inked(root.querySelector('canvas.overlay')!),
          scene: inked(root.querySelector('canvas.scene')!),
          count: board.elementCount,
        });
        if (frames.length < 2000) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    { ...at, size },
  );
}

describe('a stroke in progress, seen from another page', () => {
  let t: TestServer;
  let browser: Browser;
  const room = `live-${Date.now()}`;

  async function openPage(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 650 } });
    await context.addInitScript((n) => localStorage.setItem('inkroom.name', n), name);
    const page = await context.newPage();
    await page.goto(`${t.httpUrl}/r/${room}`);
    await waitOnPage(
      page,
      async () => (await onBoard(page, (board) => board.status).catch(() => null)) === 'synced',
      `${name} synced`,
    );
    return page;
  }

  beforeAll(async () => {
    const dataDir = await makeDataDir();
    const level = await LevelRoomStore.open(dataDir);
    // Every write takes a while, as on a busy disk: the stroke reaches others that much later.
    const store = new Proxy(level, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'append' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await new Promise((resolve) => setTimeout(resolve, STORE_DELAY_MS));
          return value.apply(target, args);
        };
      },
    });
    t = await startTestServer(
      { staticDir: APP_DIST, store, authStore: new LevelAuthStore(level.db) },
      dataDir,
    );
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('shows it with the committed ink, and keeps it on screen until the stroke arrives', async () => {
    const ada = await openPage('Ada');
    const grace = await openPage('Grace');
    await onBoard(ada, (board) => (board as unknown as { setTool(id: string): void }).setTool('pen'));
    const from = { x: 420, y: 330 };
    const middle = { x: 480, y: 350 };
    await watchInk(grace, middle, 40);

    await ada.mouse.move(from.x, from.y);
    await ada.mouse.down();
    for (let i = 1; i <= 24; i++) {
      await ada.mouse.move(from.x + i * 5, from.y + (i * 5) / 3);
      await ada.waitForTimeout(16);
    }
    await ada.mouse.up();
    const upAt = Date.now();
    await waitOnPage(
      grace,
      async () => (await onBoard(grace, (board) => board.elementCount)) === 1,
      'the stroke',
    );
    const arrivedAfter = Date.now() - upAt;
    await grace.waitForTimeout(300);
    await grace.screenshot({ path: join(ARTIFACTS, 'live-stroke-grace.png') });
    const frames = await grace.evaluate(() => (window as unknown as { inkFrames: Frame[] }).inkFrames);

    // Storage was slow, so the stroke took that long to come: the live one had to bridge it.
    expect(arrivedAfter).toBeGreaterThan(STORE_DELAY_MS - 100);
    const first = frames.findIndex((frame) => frame.overlay + frame.scene > 0);
    expect(first).toBeGreaterThanOrEqual(0);
    // From the first ink on, no frame without it: not at pen-up, not while the stroke is stored.
    const gaps = frames.slice(first).filter((frame) => frame.overlay + frame.scene === 0);
    expect(gaps).toHaveLength(0);
    // The same ink before and after: the last frame of the live stroke against the committed one.
    const lastLive = frames.filter((frame) => frame.count === 0).at(-1)!;
    const committed = frames.at(-1)!;
    expect(lastLive.overlay).toBeGreaterThan(0);
    expect(committed.scene).toBeGreaterThan(0);
    expect(committed.overlay).toBe(0);
    expect(lastLive.overlay / committed.scene).toBeGreaterThan(0.9);
    expect(lastLive.overlay / committed.scene).toBeLessThan(1.1);
  }, 60_000);
});
