// Align, group and lock as a person uses them, with a second page watching the room.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  boardElements,
  launchBrowser,
  onBoard,
  openSyncedPage,
  waitOnPage,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

const elements = boardElements;
const selectedCount = (page: Page) =>
  onBoard(page, (board) => (board as unknown as { selection: Set<string> }).selection.size);
/** Clicks one of the style panel's arrange buttons (align, distribute, group, lock...). */
const press = (page: Page, action: string) =>
  page.evaluate(
    (name) =>
      (
        document
          .querySelector('inkroom-app')!
          .shadowRoot!.querySelector('inkroom-board')!
          .shadowRoot!.querySelector(`[data-action="${name}"]`) as HTMLButtonElement
      ).click(),
    action,
  );

describe('align, group and lock', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const room = `arrange-${Date.now()}`;

  const openPage = () => openSyncedPage(browser, `${t.httpUrl}/r/${room}`);

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    a = await openPage();
    b = await openPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('aligns a row of sticky notes, groups them, and locks the group', async () => {
    // Three notes at different heights.
    for (const [x, y] of [
      [350, 220],
      [600, 300],
      [850, 260],
    ] as const) {
      await a.keyboard.press('n');
      await a.mouse.click(x, y);
      await a.keyboard.type('Note');
      await a.keyboard.press('Escape');
    }
    await waitOnPage(b, async () => (await elements(b)).length === 3, 'three notes in page B');

    await a.keyboard.press('v');
    await a.keyboard.press('Control+a');
    await press(a, 'align-top');
    await waitOnPage(
      b,
      async () => new Set((await elements(b)).map((e) => e.y)).size === 1,
      'aligned tops in page B',
    );
    await press(a, 'distribute-horizontal');

    await press(a, 'group');
    // A click on empty board, then on one note, picks the whole group.
    await a.mouse.click(600, 600);
    expect(await selectedCount(a)).toBe(0);
    await a.mouse.click(360, 240);
    expect(await selectedCount(a)).toBe(3);
    // Dragging it moves all three, in both pages.
    const before = await elements(b);
    await a.mouse.move(360, 240);
    await a.mouse.down();
    await a.mouse.move(400, 300, { steps: 5 });
    await a.mouse.up();
    await waitOnPage(
      b,
      async () => (await elements(b)).every((e) => e.y === before.find((o) => o.id === e.id)!.y + 60),
      'the group moved in page B',
    );
    // A double-click enters the group: the next level (here the note itself) is picked.
    await a.mouse.dblclick(400, 300);
    expect(await selectedCount(a)).toBe(1);

    // Locked (the whole group picked again first): a click no longer picks it, a drag moves
    // nothing, Delete deletes nothing.
    await a.mouse.click(600, 600);
    await a.mouse.click(400, 300);
    expect(await selectedCount(a)).toBe(3);
    await a.keyboard.press('Control+Shift+L');
    await a.mouse.click(600, 600);
    await a.mouse.click(400, 300);
    expect(await selectedCount(a)).toBe(0);
    const locked = await elements(a);
    await a.mouse.move(400, 300);
    await a.mouse.down();
    await a.mouse.move(450, 350, { steps: 5 });
    await a.mouse.up();
    await a.keyboard.press('Control+a');
    await a.keyboard.press('Delete');
    await a.waitForTimeout(300);
    expect(await elements(a)).toEqual(locked);
    await a.screenshot({ path: join(ARTIFACTS, 'arrange-locked.png') });
    // Unlocked again (everything selected is locked), it can go.
    await a.keyboard.press('Control+Shift+L');
    await a.keyboard.press('Delete');
    await waitOnPage(b, async () => (await elements(b)).length === 0, 'the notes deleted in page B');
  });
});
