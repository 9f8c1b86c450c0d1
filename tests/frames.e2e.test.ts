// Frames and presenting, tried as a user would in two pages of the app: three frames drawn with
// the frame tool (F) take in what is inside them and carry it when moved; presented from the
// frames panel, the other page follows from frame to frame with the laser pointer showing; the
// server draws one frame on its own.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  boardView,
  dragOn,
  launchBrowser,
  onBoard,
  openSyncedPage,
  viewCentre,
  waitOnPage,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface Described {
  elements: { id: string; kind: string; x: number; y: number; frame: string | null; text?: string }[];
  peers: { name: string; laser: number }[];
}

const describeBoard = (page: Page) =>
  onBoard(page, (board) => (board as unknown as { describeBoard(): Described }).describeBoard());

const view = boardView;

const centre = viewCentre;

/** The page's view is centred on the element's box, within a few board units. */
async function centredOn(
  page: Page,
  box: { x: number; y: number; width: number; height: number },
): Promise<boolean> {
  const c = centre(await view(page));
  return Math.hypot(c.x - (box.x + box.width / 2), c.y - (box.y + box.height / 2)) < 4;
}

describe('frames and presenting', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const room = `frames-${Date.now()}`;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    a = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`, { name: 'Ada' });
    b = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`, { name: 'Grace', width: 900, height: 650 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('three frames take in what is inside them, carry it when moved, and present to a follower', async () => {
    // A box first; then three frames, the first drawn around it.
    await a.keyboard.press('r');
    await dragOn(a, [340, 200], [400, 260]);
    await a.keyboard.press('f');
    await dragOn(a, [300, 150], [500, 300]);
    await a.keyboard.press('f');
    await dragOn(a, [550, 150], [750, 300]);
    await a.keyboard.press('f');
    await dragOn(a, [800, 150], [1000, 300]);
    // A note made inside the second frame joins it as it is made.
    await a.keyboard.press('n');
    await a.mouse.click(600, 200);
    await a.keyboard.type('Step two');
    await a.keyboard.press('Escape');
    await waitOnPage(b, async () => (await describeBoard(b)).elements.length === 5, 'five elements at Grace');
    let elements = (await describeBoard(b)).elements;
    const frames = elements.filter((e) => e.kind === 'frame').sort((p, q) => p.x - q.x);
    const box = elements.find((e) => e.kind === 'rectangle')!;
    const note = elements.find((e) => e.kind === 'sticky')!;
    expect(frames).toHaveLength(3);
    expect(box.frame).toBe(frames[0]!.id);
    expect(note.frame).toBe(frames[1]!.id);

    // Dragging the first frame (a click inside it picks it) carries its box along, for everyone.
    await a.keyboard.press('v');
    // Alt: without snapping, so the move is exactly 100.
    await a.keyboard.down('Alt');
    await dragOn(a, [460, 280], [460, 380], 10);
    await a.keyboard.up('Alt');
    await waitOnPage(
      b,
      async () => (await describeBoard(b)).elements.find((e) => e.id === box.id)!.y === box.y + 100,
      'the box carried down at Grace',
    );
    elements = (await describeBoard(b)).elements;
    expect(elements.find((e) => e.id === frames[0]!.id)!.y).toBe(frames[0]!.y + 100);

    // The server draws one frame with what belongs to it, and nothing else.
    const svg = await (await fetch(`${t.httpUrl}/api/rooms/${room}/frames/${frames[1]!.id}.svg`)).text();
    expect(svg.match(/data-id="[^"]+"/g)?.sort()).toEqual(
      [`data-id="${frames[1]!.id}"`, `data-id="${note.id}"`].sort(),
    );
    expect((await fetch(`${t.httpUrl}/api/rooms/${room}/frames/nosuchframe.svg`)).status).toBe(404);
    // The whole board's export shows each frame's name above it; one frame's export does not.
    const whole = (await a.evaluate(
      `document.querySelector('inkroom-app').shadowRoot.querySelector('inkroom-board').exportSVG()`,
    )) as string;
    for (const name of ['Frame 1', 'Frame 2', 'Frame 3']) expect(whole).toContain(`>${name}</tspan>`);
    // As does the board's export.
    const exported = (await a.evaluate(
      `document.querySelector('inkroom-app').shadowRoot.querySelector('inkroom-board').exportSVG({ frame: ${JSON.stringify(frames[1]!.id)} })`,
    )) as string;
    expect(exported.match(/data-id=/g)).toHaveLength(2);
    expect(exported).not.toContain('Frame 2');
    await a.screenshot({ path: join(ARTIFACTS, 'frames-a.png') });

    // Present: Ada's view fits the first frame; Grace, asked to follow, shows it too.
    const boardA = a.locator('inkroom-board');
    await boardA.getByRole('button', { name: 'Frames and presenting' }).click();
    await boardA.getByRole('button', { name: /^Present/ }).click();
    // Each frame is 200 × 150 board units (drawn at 100 %); the first where it was moved to.
    const size = { width: 200, height: 150 };
    const moved = elements.find((e) => e.id === frames[0]!.id)!;
    const first = { x: moved.x, y: moved.y, ...size };
    await waitOnPage(a, () => centredOn(a, first), 'Ada on the first frame');
    await waitOnPage(b, () => centredOn(b, first), 'Grace following to the first frame');
    expect(await boardA.locator('.toolbar').count()).toBe(0);
    expect(await boardA.locator('.present-bar').textContent()).toContain('1 / 3');

    // The arrow key steps on; Grace follows to the second frame.
    await a.keyboard.press('ArrowRight');
    const second = { x: frames[1]!.x, y: frames[1]!.y, ...size };
    await waitOnPage(a, () => centredOn(a, second), 'Ada on the second frame');
    await waitOnPage(b, () => centredOn(b, second), 'Grace following to the second frame');
    // The laser pointer shows on Grace's page while Ada presents.
    await a.keyboard.press('k');
    const vA = await view(a);
    const screen = (p: { x: number; y: number }) =>
      [(p.x - vA.x) * vA.zoom, (p.y - vA.y) * vA.zoom] as [number, number];
    await a.mouse.move(...screen({ x: 580, y: 180 }));
    await a.mouse.down();
    await a.mouse.move(...screen({ x: 720, y: 270 }), { steps: 20 });
    await waitOnPage(
      b,
      async () => ((await describeBoard(b)).peers.find((p) => p.name === 'Ada')?.laser ?? 0) > 5,
      'the laser at Grace',
    );
    await b.screenshot({ path: join(ARTIFACTS, 'present-b.png') });
    await a.mouse.up();
    await a.screenshot({ path: join(ARTIFACTS, 'present-a.png') });
    await a.keyboard.press('ArrowRight');
    const third = { x: frames[2]!.x, y: frames[2]!.y, ...size };
    await waitOnPage(b, () => centredOn(b, third), 'Grace following to the third frame');
    // Escape ends it: the chrome is back and Grace is no longer asked to follow.
    await a.keyboard.press('Escape');
    await waitOnPage(a, async () => (await boardA.locator('.toolbar').count()) === 1, 'the chrome back');
    await waitOnPage(
      b,
      async () =>
        (await onBoard(b, (board) => (board as unknown as { following: unknown }).following)) === null,
      'Grace let go',
    );
  }, 60_000);
});
