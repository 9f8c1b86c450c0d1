// Presenting to others: following a person's view, a call to follow (spotlight) that each page
// may decline, and the laser pointer's trail, carried by presence and never kept in the board.
// Two pages of the app in headless Chromium, driven with the mouse and keyboard.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  boardView,
  launchBrowser,
  onBoard,
  openSyncedPage,
  viewCentre,
  waitOnPage,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface Described {
  count: number;
  peers: {
    id: number;
    name: string;
    view: { x: number; y: number; width: number; height: number } | null;
    spotlight: boolean;
    laser: number;
  }[];
}

const describeBoard = (page: Page) =>
  onBoard(page, (board) => (board as unknown as { describeBoard(): Described }).describeBoard());

const view = boardView;

const centre = viewCentre;

const following = (page: Page) =>
  onBoard(
    page,
    (board) => (board as unknown as { following: { name: string } | null }).following?.name ?? null,
  );

/** B's view shows A's: the same centre (within a screen pixel or two) and all of A's view. */
async function showsViewOf(b: Page, a: Page): Promise<boolean> {
  const [va, vb] = await Promise.all([view(a), view(b)]);
  const [ca, cb] = [centre(va), centre(vb)];
  const fit = Math.min(vb.width / (va.width / va.zoom), vb.height / (va.height / va.zoom));
  return Math.hypot(ca.x - cb.x, ca.y - cb.y) * vb.zoom < 2 && Math.abs(vb.zoom / fit - 1) < 0.01;
}

describe('following, spotlight and the laser pointer', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const room = `present-${Date.now()}`;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    // Pages of different sizes: the follower fits the leader's whole view into its own.
    a = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`, { name: 'Ada', width: 1100, height: 700 });
    b = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`, { name: 'Grace', width: 900, height: 800 });
    for (const [page, other] of [
      [a, 'Grace'],
      [b, 'Ada'],
    ] as const)
      await waitOnPage(
        page,
        async () => (await describeBoard(page)).peers.some((p) => p.name === other && p.view),
        `${other} seen with a view`,
      );
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('the laser pointer (K) leaves a trail the other page sees fade, and nothing in the board', async () => {
    await a.keyboard.press('k');
    await a.mouse.move(300, 300);
    await a.mouse.down();
    await a.mouse.move(700, 420, { steps: 25 });
    // Seen in B while A still points: trail points from A's presence, painted red on B's overlay.
    await waitOnPage(
      b,
      async () => ((await describeBoard(b)).peers.find((p) => p.name === 'Ada')?.laser ?? 0) > 5,
      'the laser trail in B',
    );
    const red = await b.evaluate(() => {
      const overlay = document
        .querySelector('inkroom-app')
        ?.shadowRoot?.querySelector('inkroom-board')
        ?.shadowRoot?.querySelector<HTMLCanvasElement>('canvas.overlay');
      const data = overlay?.getContext('2d')?.getImageData(0, 0, overlay.width, overlay.height).data;
      let count = 0;
      if (data)
        for (let i = 0; i < data.length; i += 4)
          if (data[i]! > 200 && data[i + 1]! < 120 && data[i + 3]! > 100) count++;
      return count;
    });
    expect(red).toBeGreaterThan(50);
    await b.screenshot({ path: join(ARTIFACTS, 'laser-b.png') });
    await a.mouse.up();
    // It fades within about a second, and neither page's board holds anything.
    await waitOnPage(
      b,
      async () => (await describeBoard(b)).peers.find((p) => p.name === 'Ada')?.laser === 0,
      'the trail faded in B',
    );
    expect((await describeBoard(a)).count).toBe(0);
    expect((await describeBoard(b)).count).toBe(0);
    const stored = await fetch(`${t.httpUrl}/api/rooms/${room}.svg`).then((r) => r.text());
    expect(stored).not.toContain('data-id');
    await a.keyboard.press('v');
  });

  it('a click on a person follows their view as it moves; a pan of your own stops following', async () => {
    const people = b.locator('inkroom-app').locator('.people button');
    await people.filter({ hasText: 'A' }).click();
    await waitOnPage(b, async () => (await following(b)) === 'Ada', 'B follows Ada');
    expect(await b.locator('inkroom-board').locator('.follow-banner').textContent()).toContain(
      'Following Ada',
    );
    await waitOnPage(b, () => showsViewOf(b, a), 'B shows what A sees');
    // A moves: zooms in twice and pans; B eases after.
    const zoomIn = a.locator('inkroom-board').getByRole('button', { name: 'Zoom in' });
    await zoomIn.click();
    await zoomIn.click();
    await a.mouse.move(500, 400);
    await a.mouse.wheel(400, -250);
    await waitOnPage(b, () => showsViewOf(b, a), 'B shows what A sees after A moved');
    expect((await view(b)).zoom).toBeGreaterThan(1);
    await b.screenshot({ path: join(ARTIFACTS, 'follow-b.png') });
    // B pans by itself: no longer following; A's next move leaves B where it is.
    await b.mouse.move(400, 400);
    await b.mouse.wheel(-200, 0);
    await waitOnPage(b, async () => (await following(b)) === null, 'B stopped following');
    expect(await b.locator('inkroom-board').locator('.follow-banner').count()).toBe(0);
    const left = await view(b);
    await a.mouse.wheel(-600, 300);
    await a.waitForTimeout(400);
    expect(await view(b)).toEqual(left);
  });

  it('spotlight: everyone follows the caller once per call; a page that stops or declines is not pulled back', async () => {
    await a.locator('inkroom-app').getByRole('button', { name: 'Spotlight me' }).click();
    await waitOnPage(b, async () => (await following(b)) === 'Ada', 'B follows Ada at her call');
    expect(await b.locator('inkroom-board').locator('.follow-banner').textContent()).toContain(
      'Ada asks everyone to follow',
    );
    await waitOnPage(b, () => showsViewOf(b, a), 'B shows what A sees');
    expect(await a.locator('inkroom-board').locator('.follow-banner').textContent()).toContain(
      'asked to follow you',
    );
    // B declines this call; A moving on does not pull B back.
    await b.locator('inkroom-board').getByRole('button', { name: 'Stop following' }).click();
    expect(await following(b)).toBeNull();
    const declined = await view(b);
    await a.mouse.move(500, 400);
    await a.mouse.wheel(300, 300);
    await a.waitForTimeout(400);
    expect(await view(b)).toEqual(declined);
    // A calls again: B follows again.
    await a.locator('inkroom-app').getByRole('button', { name: 'Stop spotlight' }).click();
    await waitOnPage(
      b,
      async () => (await describeBoard(b)).peers.find((p) => p.name === 'Ada')?.spotlight === false,
      'the call ended',
    );
    await a.locator('inkroom-app').getByRole('button', { name: 'Spotlight me' }).click();
    await waitOnPage(b, async () => (await following(b)) === 'Ada', 'B follows the new call');
    await waitOnPage(b, () => showsViewOf(b, a), 'B shows what A sees again');
    // The call ends: B stops following.
    await a.locator('inkroom-board').getByRole('button', { name: 'Stop', exact: true }).click();
    await waitOnPage(b, async () => (await following(b)) === null, 'B let go when the call ended');
    // A page that declines every call (ignore-spotlight) stays where it is.
    await onBoard(b, (board) => {
      (board as unknown as { ignoreSpotlight: boolean }).ignoreSpotlight = true;
    });
    const still = await view(b);
    await a.locator('inkroom-app').getByRole('button', { name: 'Spotlight me' }).click();
    await waitOnPage(
      b,
      async () => (await describeBoard(b)).peers.find((p) => p.name === 'Ada')?.spotlight === true,
      'the call reached B',
    );
    await a.mouse.wheel(-300, 100);
    await b.waitForTimeout(400);
    expect(await following(b)).toBeNull();
    expect(await view(b)).toEqual(still);
  });
});
