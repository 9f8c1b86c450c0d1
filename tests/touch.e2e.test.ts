// Fingers and a pen on the board, driven through Chromium's DevTools input (real touch and pen
// pointer events): a finger draws; two fingers pinch-zoom and a two-finger tap undoes; a long press
// opens the context menu on what is under the finger; once a pen is seen, a palm resting on the
// screen while the pen draws adds nothing and moves nothing, and a finger pans; the setting in the
// shortcut list lets fingers draw again. Another page sees exactly the pen's stroke.

import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boardElements,
  boardView,
  launchBrowser,
  onBoard,
  openSyncedPage,
  waitOnPage,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

type P = { x: number; y: number };

/** Where the board's stage is on the page (touch and pen points are page points). */
async function stageAt(page: Page): Promise<P> {
  return onBoard(page, (board) => {
    const rect = board.shadowRoot!.querySelector('.stage')!.getBoundingClientRect();
    return { x: rect.left, y: rect.top };
  });
}

class Fingers {
  constructor(
    private readonly cdp: CDPSession,
    private readonly origin: P,
  ) {}

  /** A fingertip is 16 px across; a palm resting on the glass, 60. */
  radius = 8;

  private points(points: P[]) {
    return points.map((p, id) => ({
      x: this.origin.x + p.x,
      y: this.origin.y + p.y,
      id,
      radiusX: this.radius,
      radiusY: this.radius,
    }));
  }

  async down(...points: P[]): Promise<void> {
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: this.points(points) });
  }

  async move(...points: P[]): Promise<void> {
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: this.points(points) });
  }

  async up(): Promise<void> {
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }

  /** The browser takes the touches back (as a tablet does with a palm). */
  async cancel(): Promise<void> {
    await this.cdp.send('Input.dispatchTouchEvent', { type: 'touchCancel', touchPoints: [] });
  }

  /** A pen hovering over the glass, not touching it. */
  async hover(p: P): Promise<void> {
    await this.cdp.send('Input.dispatchMouseEvent', {
      type: 'mouseMoved',
      x: this.origin.x + p.x,
      y: this.origin.y + p.y,
      pointerType: 'pen',
    });
  }

  /** A pen touching down at `from`, through `path`, and lifting. */
  async pen(path: P[], between?: () => Promise<void>): Promise<void> {
    const at = (p: P) => ({ x: this.origin.x + p.x, y: this.origin.y + p.y, pointerType: 'pen' as const });
    await this.cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...at(path[0]!) });
    await this.cdp.send('Input.dispatchMouseEvent', {
      type: 'mousePressed',
      button: 'left',
      buttons: 1,
      clickCount: 1,
      force: 0.6,
      ...at(path[0]!),
    });
    for (const p of path.slice(1)) {
      await this.cdp.send('Input.dispatchMouseEvent', {
        type: 'mouseMoved',
        button: 'left',
        buttons: 1,
        force: 0.6,
        ...at(p),
      });
      await between?.();
    }
    await this.cdp.send('Input.dispatchMouseEvent', {
      type: 'mouseReleased',
      button: 'left',
      buttons: 0,
      clickCount: 1,
      ...at(path.at(-1)!),
    });
  }
}

const line = (from: P, to: P, steps: number): P[] =>
  Array.from({ length: steps + 1 }, (_, i) => ({
    x: from.x + ((to.x - from.x) * i) / steps,
    y: from.y + ((to.y - from.y) * i) / steps,
  }));

describe('touch and pen on the board', () => {
  let t: TestServer;
  let browser: Browser;
  let tablet: Page;
  let other: Page;
  let fingers: Fingers;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    tablet = await openSyncedPage(browser, `${t.httpUrl}/r/tablet`, { name: 'Tab', hasTouch: true });
    other = await openSyncedPage(browser, `${t.httpUrl}/r/tablet`, { name: 'Desk' });
    const cdp = await tablet.context().newCDPSession(tablet);
    // Touch input is per DevTools session: without it, Chromium takes the touches for a swipe.
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 5 });
    fingers = new Fingers(cdp, await stageAt(tablet));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('a finger draws; two fingers pinch-zoom without drawing; a two-finger tap undoes', async () => {
    await onBoard(tablet, (board) => (board as unknown as { setTool(id: string): void }).setTool('pen'));
    // Points stay clear of the style panel (left) and the toolbars (top, bottom).
    await fingers.down({ x: 400, y: 200 });
    for (const p of line({ x: 400, y: 200 }, { x: 650, y: 260 }, 12).slice(1)) await fingers.move(p);
    await fingers.up();
    await waitOnPage(
      other,
      async () => (await boardElements(other)).length === 1,
      'the finger stroke at Desk',
    );

    const before = await boardView(tablet);
    await fingers.down({ x: 600, y: 300 }, { x: 660, y: 300 });
    for (let i = 1; i <= 10; i++)
      await fingers.move({ x: 600 - i * 10, y: 300 }, { x: 660 + i * 10, y: 300 });
    await fingers.up();
    const after = await boardView(tablet);
    // The fingers went from 60 px apart to 260: the board zoomed in about 4.3 times.
    expect(after.zoom / before.zoom).toBeGreaterThan(3.5);
    expect(after.zoom / before.zoom).toBeLessThan(5);
    expect(await boardElements(tablet)).toHaveLength(1);

    await fingers.down({ x: 500, y: 300 }, { x: 560, y: 310 });
    await fingers.up();
    await waitOnPage(
      other,
      async () => (await boardElements(other)).length === 0,
      'the stroke undone at Desk',
    );
    await onBoard(tablet, (board) => (board as unknown as { zoomToFit(): void }).zoomToFit());
  });

  it('a long press opens the context menu for what is under the finger', async () => {
    // A rectangle in the middle of the view, from the keyboard; then nothing selected.
    await onBoard(tablet, (board) => board.focus());
    await tablet.keyboard.press('r');
    await tablet.keyboard.press('Enter');
    await tablet.keyboard.press('Escape');
    const view = await boardView(tablet);
    await fingers.down({ x: view.width / 2, y: view.height / 2 });
    await waitOnPage(
      tablet,
      async () =>
        (await onBoard(tablet, (board) => board.shadowRoot!.querySelector('.context-menu'))) !== null,
      'the menu, while the finger rests',
    );
    await fingers.up();
    const items = await onBoard(tablet, (board) =>
      [...board.shadowRoot!.querySelectorAll('.context-menu [role="menuitem"]')].map((item) =>
        item.textContent?.trim(),
      ),
    );
    expect(items).toEqual(
      expect.arrayContaining(['Undo', 'Duplicate', 'Delete', 'Bring forward', 'Zoom to fit']),
    );
    expect(
      await onBoard(tablet, (board) => (board as unknown as { selection: Set<string> }).selection.size),
    ).toBe(1);
    // The menu has the focus; the arrow keys move through it.
    expect(await onBoard(tablet, (board) => board.shadowRoot!.activeElement?.getAttribute('role'))).toBe(
      'menuitem',
    );
    await onBoard(tablet, (board) =>
      board.shadowRoot!.querySelector<HTMLElement>('.context-menu [data-menu="menu.delete"]')!.click(),
    );
    await waitOnPage(
      other,
      async () => (await boardElements(other)).length === 0,
      'the rectangle deleted at Desk',
    );
    expect(await onBoard(tablet, (board) => board.shadowRoot!.querySelector('.context-menu'))).toBeNull();
  });

  it('once a pen is seen, a palm resting on the screen while it draws adds nothing and moves nothing', async () => {
    await onBoard(tablet, (board) => (board as unknown as { setTool(id: string): void }).setTool('pen'));
    const before = await boardView(tablet);
    // The palm lands first, then the pen draws a line while the palm shifts a little.
    await fingers.down({ x: 350, y: 500 });
    let shift = 0;
    await fingers.pen(line({ x: 400, y: 150 }, { x: 800, y: 250 }, 20), async () => {
      shift += 1;
      await fingers.move({ x: 350 + shift, y: 500 + shift });
    });
    await fingers.up();
    await waitOnPage(other, async () => (await boardElements(other)).length === 1, 'the pen stroke at Desk');
    const [stroke] = await boardElements(other);
    expect(stroke?.kind).toBe('stroke');
    const after = await boardView(tablet);
    expect({ x: after.x, y: after.y, zoom: after.zoom }).toEqual({
      x: before.x,
      y: before.y,
      zoom: before.zoom,
    });
    // Where the pen went: from (400, 150) to (800, 250) of the view as it was.
    const start = { x: before.x + 400 / before.zoom, y: before.y + 150 / before.zoom };
    expect(Math.abs((stroke?.x ?? 0) - start.x)).toBeLessThan(20 / before.zoom);

    // A finger alone now pans the board, and draws nothing.
    await fingers.down({ x: 600, y: 400 });
    for (const p of line({ x: 600, y: 400 }, { x: 500, y: 350 }, 10).slice(1)) await fingers.move(p);
    await fingers.up();
    const panned = await boardView(tablet);
    expect((panned.x - after.x) * after.zoom).toBeCloseTo(100, 0);
    expect((panned.y - after.y) * after.zoom).toBeCloseTo(50, 0);
    expect(await boardElements(tablet)).toHaveLength(1);
  });

  it('a palm between strokes, a hovering pen, a palm the browser cancels and a hand after the pen lifts change nothing', async () => {
    const start = await boardView(tablet);
    // A broad palm lands between strokes and slides: it neither pans nor draws.
    fingers.radius = 30;
    await fingers.down({ x: 500, y: 450 });
    for (const p of line({ x: 500, y: 450 }, { x: 420, y: 400 }, 8).slice(1)) await fingers.move(p);
    await fingers.up();
    fingers.radius = 8;
    expect(await boardView(tablet)).toEqual(start);

    // A finger pans while the pen hovers elsewhere: the view follows the finger alone.
    await fingers.down({ x: 600, y: 400 });
    for (const [i, p] of line({ x: 600, y: 400 }, { x: 560, y: 380 }, 8).slice(1).entries()) {
      await fingers.move(p);
      await fingers.hover({ x: 800 - i * 30, y: 150 + i * 20 });
    }
    await fingers.up();
    const panned = await boardView(tablet);
    expect((panned.x - start.x) * start.zoom).toBeCloseTo(40, 0);
    expect((panned.y - start.y) * start.zoom).toBeCloseTo(20, 0);

    // A palm lands while the pen draws, and the browser cancels it: the stroke is whole.
    let step = 0;
    await fingers.pen(line({ x: 400, y: 300 }, { x: 700, y: 320 }, 16), async () => {
      step += 1;
      if (step === 4) await fingers.down({ x: 350, y: 500 });
      if (step === 8) await fingers.cancel();
    });
    await waitOnPage(
      other,
      async () => (await boardElements(other)).length === 2,
      'the second pen stroke at Desk',
    );
    // Two touches that come and go just after the pen lifts are the hand, not an undo.
    await fingers.down({ x: 450, y: 450 }, { x: 520, y: 470 });
    await fingers.up();
    await tablet.waitForTimeout(300);
    expect(await boardElements(other)).toHaveLength(2);
    expect(await boardElements(tablet)).toHaveLength(2);
  });

  it('the setting in the shortcut list lets fingers draw again', async () => {
    await onBoard(tablet, (board) => board.focus());
    await tablet.keyboard.press('?');
    await onBoard(tablet, (board) =>
      board.shadowRoot!.querySelector<HTMLInputElement>('[data-setting="palm-rejection"]')!.click(),
    );
    expect(await onBoard(tablet, (board) => board.getAttribute('palm-rejection'))).toBe('off');
    await tablet.keyboard.press('Escape');
    await onBoard(tablet, (board) => (board as unknown as { setTool(id: string): void }).setTool('pen'));
    // A new page remembers the choice made on this device.
    expect(await tablet.evaluate(() => localStorage.getItem('inkroom.palmRejection'))).toBe('off');
    await fingers.down({ x: 400, y: 500 });
    for (const p of line({ x: 400, y: 500 }, { x: 700, y: 520 }, 10).slice(1)) await fingers.move(p);
    await fingers.up();
    await waitOnPage(
      other,
      async () => (await boardElements(other)).length === 3,
      'the finger stroke at Desk',
    );
  });
});
