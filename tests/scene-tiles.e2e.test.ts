// The board draws its committed scene from raster tiles (render/SceneTiles.ts): these check, on
// the pixels of the scene canvas in headless Chromium, that what it shows stays true to the doc
// as other people change it, on a board large enough that tiles are painted over many frames.
import { fileURLToPath } from 'node:url';
import {
  addElement,
  createBoardDoc,
  deleteElements,
  keysBetween,
  parseRoomId,
  pointsFrom,
  setElementField,
} from '@inkroom/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { launchBrowser, onBoard, openSyncedPage, waitOnPage } from './helpers/browser.js';
import { type Client, connectClient } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

/** Waits until the board holds `count` elements and shows everything in view painted. */
async function settled(page: Page, count: number): Promise<void> {
  await waitOnPage(
    page,
    async () => {
      const stats = await onBoard(page, (board) =>
        (board as unknown as { renderStats(): { elements: number; complete: boolean } }).renderStats(),
      );
      return stats.elements === count && stats.complete;
    },
    `${count} elements painted`,
    20_000,
  );
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Inked pixels of the scene canvas over a box of the board (board units). */
function inkIn(page: Page, area: Box): Promise<number> {
  return page.evaluate((a) => {
    const board = document
      .querySelector('inkroom-app')!
      .shadowRoot!.querySelector('inkroom-board') as HTMLElement & {
      viewport: { toScreen(p: { x: number; y: number }): { x: number; y: number } };
    };
    const canvas = board.shadowRoot!.querySelector('canvas.scene') as HTMLCanvasElement;
    const dpr = window.devicePixelRatio || 1;
    const from = board.viewport.toScreen({ x: a.x, y: a.y });
    const to = board.viewport.toScreen({ x: a.x + a.width, y: a.y + a.height });
    const width = Math.max(1, Math.round((to.x - from.x) * dpr));
    const height = Math.max(1, Math.round((to.y - from.y) * dpr));
    const data = canvas.getContext('2d')!.getImageData(from.x * dpr, from.y * dpr, width, height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 32) count++;
    return count;
  }, area);
}

describe('the tiled scene', () => {
  let t: TestServer;
  let browser: Browser;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await browser?.close();
    await t?.cleanup();
  });

  it("shows what others change on a large board: a moved box leaves nothing behind, a deleted arrow's label goes, a new stroke appears", async () => {
    const other = connectClient(t.wsUrl, 'tiles');
    clients.push(other);
    await other.synced;
    // 3,000 strokes around the area watched, so that tiles take many frames to paint.
    for (let i = 0; i < 3000; i++)
      addElement(other.doc, {
        kind: 'stroke',
        x: (i * 37) % 3000,
        y: ((i * 91) % 2000) + 1500,
        strokeWidth: 4,
        points: pointsFrom([
          [0, 0],
          [40, 20],
          [80, 0],
        ]),
      });
    const box = addElement(other.doc, {
      kind: 'rectangle',
      x: 400,
      y: 200,
      width: 300,
      height: 300,
      fill: '#1971c2',
    });
    // A short arrow with a label much wider than it: the label reaches past its box, and (at 40 %,
    // tiles of 256 px are 640 board units) into a tile the arrow does not reach.
    const arrow = addElement(other.doc, {
      kind: 'arrow',
      x: 2000,
      y: 400,
      text: 'a label that is far wider than its short arrow',
      points: pointsFrom([
        [0, 0],
        [30, 0],
      ]),
    });
    const page = await openSyncedPage(browser, `${t.httpUrl}/r/tiles`, { width: 1280, height: 800 });
    await onBoard(page, (board) =>
      (
        board as unknown as { viewport: { centerOn(p: { x: number; y: number }, z: number): void } }
      ).viewport.centerOn({ x: 1500, y: 1100 }, 0.4),
    );
    await settled(page, 3002);
    const at = (area: Box) => inkIn(page, area);
    const oldPlace = { x: 420, y: 220, width: 260, height: 260 };
    const newPlace = { x: 420, y: 820, width: 260, height: 260 };
    // Left of the arrow, in the tile before its own, where only its label is drawn.
    const labelOnly = { x: 1895, y: 385, width: 20, height: 30 };
    expect(await at(oldPlace)).toBeGreaterThan(1000);
    expect(await at(newPlace)).toBe(0);
    expect(await at(labelOnly)).toBeGreaterThan(0);

    setElementField(other.doc, box, 'y', 800);
    deleteElements(other.doc, [arrow]);
    await waitOnPage(
      page,
      async () => (await at(oldPlace)) === 0,
      'the old place of the box cleared',
      10_000,
    );
    await settled(page, 3001);
    expect(await at(newPlace)).toBeGreaterThan(1000);
    expect(await at(labelOnly)).toBe(0);

    addElement(other.doc, {
      kind: 'stroke',
      x: 1000,
      y: 300,
      strokeWidth: 8,
      points: pointsFrom([
        [0, 0],
        [200, 0],
      ]),
    });
    await waitOnPage(
      page,
      async () => (await at({ x: 1050, y: 290, width: 100, height: 20 })) > 0,
      'the new stroke on screen',
    );
    await page.context().close();
  });

  it('a big board arriving in pieces is painted as it arrives, its status counting what has come, and ends as it is painted afresh', async () => {
    // 8,000 strokes stacked in the order they were drawn (each piece lands in front of the last),
    // a third of them half transparent: painted twice, those would show darker.
    const source = createBoardDoc();
    const colors = ['#1e1e1e', '#e03131', '#1971c2', '#2f9e44'];
    const order = keysBetween(null, null, 8000);
    source.transact(() => {
      for (let i = 0; i < 8000; i++)
        addElement(source, {
          kind: 'stroke',
          z: order[i]!,
          x: (i * 53) % 2400,
          y: (i * 97) % 1500,
          strokeWidth: 3 + (i % 4),
          strokeColor: colors[i % 4]!,
          opacity: i % 3 === 0 ? 0.5 : 1,
          points: pointsFrom([
            [0, 0],
            [30, 10],
            [60, 0],
            [90, 15],
          ]),
        });
    });
    await t.server.core.importUpdate(parseRoomId('arriving')!, Y.encodeStateAsUpdate(source));
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${t.httpUrl}/r/arriving`);
    const seen: { elements: number; complete: boolean; status: string }[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const state = await onBoard(page, (board) => {
        const stats = (
          board as unknown as { renderStats(): { elements: number; complete: boolean } }
        ).renderStats();
        const status = board.shadowRoot!.querySelector('.status')?.textContent ?? '';
        return {
          elements: stats.elements,
          complete: stats.complete,
          status: status.replace(/\s+/g, ' ').trim(),
        };
      }).catch(() => null);
      if (state) seen.push(state);
      if (state?.elements === 8000 && state.complete && state.status === 'Live') break;
    }
    const arriving = seen.filter((state) => state.elements > 0 && state.elements < 8000);
    expect(arriving.length).toBeGreaterThan(0);
    expect(arriving.some((state) => /^Syncing… [\d,]+ elements$/.test(state.status))).toBe(true);
    expect(seen.at(-1)).toEqual({ elements: 8000, complete: true, status: 'Live' });

    // What was painted piece by piece is what a fresh paint of the view shows.
    const { inked, differing } = await onBoard(page, (board) => {
      const canvas = board.shadowRoot!.querySelector('canvas.scene') as HTMLCanvasElement;
      const pixels = () => canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const progressive = pixels();
      const renderer = (
        board as unknown as {
          sessions: { current: { renderer: { invalidateScene(): void; flush(): void } } };
        }
      ).sessions.current.renderer;
      renderer.invalidateScene();
      renderer.flush();
      const fresh = pixels();
      let inked = 0;
      let differing = 0;
      for (let i = 3; i < fresh.length; i += 4) {
        if (fresh[i]! > 32) inked++;
        if (Math.abs(fresh[i]! - progressive[i]!) > 8) differing++;
      }
      return { inked, differing };
    });
    expect(inked).toBeGreaterThan(50_000);
    expect(differing).toBe(0);
    await context.close();
  }, 60_000);

  it('takes a new pixel density without a resize (a window moved to another screen): canvases at the new density, the view painted at it', async () => {
    const other = connectClient(t.wsUrl, 'density');
    clients.push(other);
    await other.synced;
    for (let i = 0; i < 50; i++)
      addElement(other.doc, {
        kind: 'stroke',
        x: (i % 10) * 90,
        y: Math.floor(i / 10) * 90,
        strokeWidth: 4,
        points: pointsFrom([
          [0, 0],
          [40, 30],
          [80, 0],
        ]),
      });
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${t.httpUrl}/r/density`);
    await settled(page, 50);
    const density = () =>
      onBoard(page, (board) => {
        const canvas = board.shadowRoot!.querySelector('canvas.scene') as HTMLCanvasElement;
        return { ratio: window.devicePixelRatio, width: canvas.width, css: canvas.clientWidth };
      });
    const before = await density();
    expect(before.ratio).toBe(1);
    expect(before.width).toBe(before.css);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', {
      width: 1000,
      height: 700,
      deviceScaleFactor: 2,
      mobile: false,
    });
    // Headless Chromium announces an emulated density neither by its media query nor by a resize:
    // the pointer passing over the board brings the frame that finds it.
    await page.mouse.move(300, 300);
    await page.mouse.move(320, 310);
    await waitOnPage(
      page,
      async () => {
        const now = await density();
        return now.ratio === 2 && now.width === now.css * 2;
      },
      'the scene canvas at twice the pixels',
    );
    expect((await density()).css).toBe(before.css);
    await settled(page, 50);
    await context.close();
  });
});
