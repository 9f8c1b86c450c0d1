// The board with the keyboard alone, in headless Chromium: Tab into the board, make a shape and a
// note at the centre of the view (Enter with their tool), type into the note, step through the
// elements with Tab, move one with the arrows, and delete it; another page sees each change.

import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardView, launchBrowser, onBoard, openSyncedPage, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface Described {
  elements: { id: string; kind: string; x: number; y: number; text?: string }[];
}

const describeBoard = (page: Page) =>
  onBoard(page, (board) => (board as unknown as { describeBoard(): Described }).describeBoard());

const selected = (page: Page) =>
  onBoard(page, (board) => [...(board as unknown as { selection: Set<string> }).selection]);

describe('the board with the keyboard alone', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    a = await openSyncedPage(browser, `${t.httpUrl}/r/keys`, { name: 'Ada' });
    b = await openSyncedPage(browser, `${t.httpUrl}/r/keys`, { name: 'Grace' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('makes, labels, selects, moves and deletes elements without a pointer', async () => {
    // Tab from the page reaches the board (after the header's controls).
    for (let i = 0; i < 30; i++) {
      await a.keyboard.press('Tab');
      if (
        await a.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName === 'INKROOM-BOARD')
      )
        break;
    }
    expect(await a.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe(
      'INKROOM-BOARD',
    );
    // R then Enter: a rectangle in the middle of the view, selected.
    await a.keyboard.press('r');
    await a.keyboard.press('Enter');
    // N then Escape (nothing selected) then Enter: a note, open for typing.
    await a.keyboard.press('Escape');
    await a.keyboard.press('n');
    await a.keyboard.press('Enter');
    await a.keyboard.type('Keyboard only');
    await a.keyboard.press('Escape');
    await waitOnPage(b, async () => (await describeBoard(b)).elements.length === 2, 'two elements at Grace');
    const made = (await describeBoard(b)).elements;
    expect(made.map((e) => e.kind).sort()).toEqual(['rectangle', 'sticky']);
    expect(made.find((e) => e.kind === 'sticky')?.text).toBe('Keyboard only');

    // V, Escape, Enter selects the first element; Tab steps to the next and back round.
    await a.keyboard.press('v');
    await a.keyboard.press('Escape');
    await a.keyboard.press('Enter');
    const first = await selected(a);
    expect(first).toHaveLength(1);
    await a.keyboard.press('Tab');
    const second = await selected(a);
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    await a.keyboard.press('Tab');
    expect(await selected(a)).toEqual(first);

    // Arrows move it: three pixels right, then ten down with Shift.
    const before = made.find((e) => e.id === first[0])!;
    for (let i = 0; i < 3; i++) await a.keyboard.press('ArrowRight');
    await a.keyboard.press('Shift+ArrowDown');
    await waitOnPage(
      b,
      async () => {
        const now = (await describeBoard(b)).elements.find((e) => e.id === first[0]);
        return now?.x === before.x + 3 && now.y === before.y + 10;
      },
      'the move at Grace',
    );
    // Delete removes it; Escape, then Tab leaves the board for the page.
    await a.keyboard.press('Delete');
    await waitOnPage(b, async () => (await describeBoard(b)).elements.length === 1, 'the delete at Grace');
    await a.keyboard.press('Escape');
    await a.keyboard.press('Tab');
    // The focus moved on, from the board's surface to the next control.
    const focused = await a.evaluate(() => {
      let at: Element | null = document.activeElement;
      while (at?.shadowRoot?.activeElement) at = at.shadowRoot.activeElement;
      return at?.tagName ?? null;
    });
    expect(focused).not.toBe('INKROOM-BOARD');
    expect(await selected(a)).toEqual([]);
  });

  it('opens the context menu with Shift+F10 and works it with the arrows and Enter', async () => {
    await onBoard(a, (board) => board.focus());
    await a.keyboard.press('v');
    await a.keyboard.press('Enter');
    expect(await selected(a)).toHaveLength(1);
    await a.keyboard.press('Shift+F10');
    const menuFocus = () =>
      onBoard(a, (board) => board.shadowRoot!.activeElement?.getAttribute('data-menu') ?? null);
    expect(await menuFocus()).toBe('menu.undo');
    // Undo, Redo, Edit text, Duplicate: three steps down.
    for (let i = 0; i < 3; i++) await a.keyboard.press('ArrowDown');
    expect(await menuFocus()).toBe('menu.duplicate');
    await a.keyboard.press('Enter');
    await waitOnPage(b, async () => (await describeBoard(b)).elements.length === 2, 'the copy at Grace');
    // The menu closed and gave the board its keys back.
    expect(await onBoard(a, (board) => board.shadowRoot!.querySelector('.context-menu'))).toBeNull();
    await a.keyboard.press('Shift+F10');
    await a.keyboard.press('Escape');
    expect(await onBoard(a, (board) => board.shadowRoot!.querySelector('.context-menu'))).toBeNull();
    expect(await a.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe(
      'INKROOM-BOARD',
    );
  });

  it('keeps the focus inside the shortcut list while it is open, and gives it back', async () => {
    await onBoard(a, (board) => board.focus());
    await a.keyboard.press('?');
    const focused = () =>
      onBoard(a, (board) => {
        const at = board.shadowRoot!.activeElement;
        return at?.getAttribute('data-setting') ?? at?.className ?? null;
      });
    expect(await focused()).toBe('help-close');
    await a.keyboard.press('Tab');
    expect(await focused()).toBe('palm-rejection');
    await a.keyboard.press('Tab');
    expect(await focused()).toBe('help-close');
    await a.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('palm-rejection');
    await a.keyboard.press('Escape');
    expect(await onBoard(a, (board) => board.shadowRoot!.querySelector('[role="dialog"]'))).toBeNull();
    expect(await a.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe(
      'INKROOM-BOARD',
    );
  });

  it('opens the same menu with the right button, on the element under the pointer', async () => {
    await onBoard(a, (board) => board.focus());
    await a.keyboard.press('Escape');
    // The last element in the list, pointed at on its left edge (an unfilled shape is hit on its outline).
    const target = (await describeBoard(a)).elements.at(-1)!;
    const view = await boardView(a);
    const stage = await onBoard(
      a,
      (board) => board.shadowRoot!.querySelector('.stage')!.getBoundingClientRect().top,
    );
    await a.mouse.click((target.x - view.x) * view.zoom, stage + (target.y + 10 - view.y) * view.zoom, {
      button: 'right',
    });
    expect(await selected(a)).toEqual([target.id]);
    await onBoard(a, (board) =>
      board.shadowRoot!.querySelector<HTMLElement>('.context-menu [data-menu="menu.delete"]')!.click(),
    );
    await waitOnPage(
      b,
      async () => (await describeBoard(b)).elements.length === 1,
      'the note deleted at Grace',
    );
  });
});
