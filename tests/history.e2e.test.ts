// The History panel, tried as a user would: erase half the board, open History, pick the
// version from before, see what restoring it would bring back, restore it while another page
// keeps drawing, and undo it. Two pages of the app in headless Chromium.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listElements } from '@inkroom/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ARTIFACTS, dragOn, launchBrowser, onBoard, openSyncedPage, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface Described {
  count: number;
  kinds: string[];
}

const describeBoard = (page: Page) =>
  onBoard(page, (board) => (board as unknown as { describeBoard(): Described }).describeBoard());

const kinds = async (page: Page) => (await describeBoard(page)).kinds.slice().sort().join(',');

describe('the History panel', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const room = `history-${Date.now()}`;

  /** How many elements the room's latest version holds (-1 before the first). */
  async function latestVersionHolds(): Promise<number> {
    const { versions } = (await (await fetch(`${t.httpUrl}/api/rooms/${room}/versions`)).json()) as {
      versions: { id: number }[];
    };
    const latest = versions.at(-1);
    if (!latest) return -1;
    const update = new Uint8Array(
      await (await fetch(`${t.httpUrl}/api/rooms/${room}/versions/${latest.id}.yjs`)).arrayBuffer(),
    );
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    return listElements(doc).length;
  }

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST, versionAfterMs: 300 });
    browser = await launchBrowser();
    a = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`, { name: 'Ada' });
    b = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`, { name: 'Grace' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('restores the version from before an erase while another page keeps drawing, as one undo step', async () => {
    await a.keyboard.press('r');
    for (const x of [300, 420, 540, 660]) await dragOn(a, [x, 200], [x + 80, 280]);
    await waitOnPage(b, async () => (await describeBoard(b)).count === 4, 'four boxes at Grace');
    await waitOnPage(a, async () => (await latestVersionHolds()) === 4, 'a version of the four boxes');

    // Half the board is erased.
    await a.keyboard.press('v');
    await a.mouse.click(340, 240);
    await a.keyboard.down('Shift');
    await a.mouse.click(460, 240);
    await a.keyboard.up('Shift');
    await a.keyboard.press('Delete');
    await waitOnPage(b, async () => (await describeBoard(b)).count === 2, 'the erase at Grace');
    await waitOnPage(a, async () => (await latestVersionHolds()) === 2, 'a version of the erase');

    // History: the version from before the erase shows what a restore brings back.
    const board = a.locator('inkroom-board');
    await board.getByRole('button', { name: 'History: versions of this board' }).click();
    const items = board.locator('.versions ol button');
    await waitOnPage(a, async () => (await items.count()) >= 2, 'the versions listed');
    expect(await items.first().textContent()).toContain('Ada');
    // Newest first: the version before the erase is the second.
    await items.nth(1).click();
    const caption = board.locator('.version-preview figcaption');
    await waitOnPage(
      a,
      async () => /brings back 2/.test((await caption.textContent().catch(() => '')) ?? ''),
      'the diff of the version',
    );
    await a.screenshot({ path: join(ARTIFACTS, 'history-a.png') });

    // Grace draws on while Ada restores.
    await b.keyboard.press('p');
    const drawing = (async () => {
      for (let i = 0; i < 5; i++) await dragOn(b, [300 + i * 90, 450], [350 + i * 90, 520], 6);
    })();
    await board.getByRole('button', { name: 'Bring back what was lost' }).click();
    await drawing;
    const want = 'rectangle,rectangle,rectangle,rectangle,stroke,stroke,stroke,stroke,stroke';
    for (const page of [a, b])
      await waitOnPage(page, async () => (await kinds(page)) === want, 'the boxes back and every stroke');
    expect(await board.locator('.versions-message').textContent()).toContain('Restored');
    await b.screenshot({ path: join(ARTIFACTS, 'history-b.png') });

    // One undo step takes the restore back, everywhere; Grace's strokes stay.
    await a.mouse.click(500, 650);
    await a.keyboard.press('Control+z');
    const undone = 'rectangle,rectangle,stroke,stroke,stroke,stroke,stroke';
    for (const page of [a, b])
      await waitOnPage(page, async () => (await kinds(page)) === undone, 'the restore undone');
  });

  it('saves a named version from the panel, and plays the versions as a timelapse', async () => {
    const board = a.locator('inkroom-board');
    await board.getByRole('textbox', { name: 'Name of the version to save' }).fill('After the review');
    await board.getByRole('button', { name: 'Save', exact: true }).click();
    await waitOnPage(
      a,
      async () => (await board.locator('.version-name').allTextContents()).includes('After the review'),
      'the named version listed',
    );
    const listed = await board.locator('.versions ol button').count();
    await board.getByRole('button', { name: 'Play the versions as a timelapse' }).click();
    // It steps from the oldest version to the newest, then stops.
    await waitOnPage(
      a,
      async () =>
        (await board.locator('.versions ol button').first().getAttribute('aria-pressed')) === 'true',
      'the timelapse at the newest',
      5000 + listed * 1000,
    );
    await waitOnPage(
      a,
      async () =>
        (await board.getByRole('button', { name: 'Play the versions as a timelapse' }).count()) === 1,
      'the timelapse ended',
    );
  });
});
