// What a screen reader gets from the board, read from Chromium's own accessibility tree: the board
// is a named whiteboard application; another page's additions are said in a polite live region
// ("Ana added a sticky note: Plan the launch", once she has stopped typing); an out-of-sight list
// names every element; the selection is said as Tab moves it; and all of it in French with lang="fr".

import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityTree, findAll, textOf } from './helpers/ax-tree.js';
import { launchBrowser, onBoard, openSyncedPage, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

/** The last sentence the board's live region was given, through Chromium's accessibility tree. */
async function spoken(page: Page): Promise<string> {
  const tree = await accessibilityTree(page);
  const [log] = findAll(tree, (node) => node.role === 'log');
  const last = log?.children.at(-1);
  return last ? textOf(last) : '';
}

async function waitToHear(page: Page, expected: RegExp, what: string): Promise<string> {
  let last = '';
  await waitOnPage(
    page,
    async () => {
      last = await spoken(page);
      return expected.test(last);
    },
    `${what} (last said: "${last}")`,
    15_000,
  );
  return last;
}

/** The board's element list, as Chromium names its items. */
async function listedElements(page: Page): Promise<string[]> {
  const [list] = findAll(await accessibilityTree(page), (node) => node.role === 'list');
  return list ? findAll(list, (node) => node.role === 'button').map((node) => node.name) : [];
}

/** Starts keeping every sentence the board's live region is given, in the page. */
async function recordSpeech(page: Page): Promise<void> {
  await onBoard(page, (board) => {
    const log = board.shadowRoot!.querySelector('[data-announcer]')!;
    const said: Element[] = [];
    (window as unknown as { said: Element[] }).said = said;
    new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes) if (node instanceof Element) said.push(node);
    }).observe(log, { childList: true });
  });
}

/** Every sentence the live region was given since recordSpeech. */
const allSaid = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { said: Element[] }).said.map((e) => e.textContent?.trim() ?? ''),
  );

async function focusBoard(page: Page): Promise<void> {
  await onBoard(page, (board) => board.focus());
}

describe('the board through a screen reader', () => {
  let t: TestServer;
  let browser: Browser;
  let ana: Page;
  let ben: Page;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    ana = await openSyncedPage(browser, `${t.httpUrl}/r/heard`, { name: 'Ana' });
    ben = await openSyncedPage(browser, `${t.httpUrl}/r/heard`, { name: 'Ben' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('is a named whiteboard that says how to use it', async () => {
    const tree = await accessibilityTree(ben);
    const [board] = findAll(tree, (node) => node.role === 'application');
    expect(board?.name).toBe('Room heard');
    expect(board?.properties.roledescription).toBe('whiteboard');
    expect(board?.description).toMatch(/Tab and arrow keys move through the elements/);
    // It is what has the keys, and only it: the list, the toolbars and the panels are outside it,
    // where a screen reader's browse mode reaches them.
    expect(board?.properties.focused).toBe(true);
    expect(board?.children.filter((node) => node.role !== 'StaticText')).toEqual([]);
    // Every control on the page has a name.
    const unnamed = findAll(
      tree,
      (node) => ['button', 'textbox', 'slider', 'combobox'].includes(node.role) && !node.name,
    );
    expect(unnamed).toEqual([]);
    await recordSpeech(ben);
    await recordSpeech(ana);
  });

  it("says another page's new note with its text, once, and lists it", async () => {
    await focusBoard(ana);
    await ana.keyboard.press('n');
    await ana.keyboard.press('Enter');
    await ana.keyboard.type('Plan the launch', { delay: 30 });
    await ana.keyboard.press('Escape');
    await waitToHear(ben, /Ana added a sticky note: Plan the launch/, 'Ben hears the note');
    // Said once, when she had stopped typing: never a half-typed note.
    expect((await allSaid(ben)).filter((sentence) => /sticky note/.test(sentence))).toEqual([
      'Ana added a sticky note: Plan the launch',
    ]);
    await waitOnPage(
      ben,
      async () =>
        (await listedElements(ben)).some((name) => name === 'Sticky note “Plan the launch”, by Ana'),
      'the note in the element list',
    );
    // The page that made it hears nothing of its own edit.
    expect((await allSaid(ana)).filter((sentence) => /added/.test(sentence))).toEqual([]);
  });

  it('groups a burst of changes by person and kind', async () => {
    await focusBoard(ana);
    await ana.keyboard.press('Escape');
    for (const key of ['r', 'r', 'o']) {
      await ana.keyboard.press(key);
      await ana.keyboard.press('Enter');
      await ana.keyboard.press('Escape');
    }
    await waitToHear(ben, /Ana added 2 rectangles and an ellipse/, 'Ben hears one grouped sentence');
    expect((await allSaid(ben)).filter((sentence) => /rectangle|ellipse/.test(sentence))).toEqual([
      'Ana added 2 rectangles and an ellipse',
    ]);
  });

  it('says the selection as Tab steps through the elements', async () => {
    await focusBoard(ben);
    await ben.keyboard.press('v');
    await ben.keyboard.press('Escape');
    await ben.keyboard.press('Enter');
    const first = await waitToHear(ben, /^Selected: .+, 1 of 4$/, 'the first element said');
    await ben.keyboard.press('Tab');
    const second = await waitToHear(ben, /^Selected: .+, 2 of 4$/, 'the second element said');
    expect(second).not.toBe(first);
  });

  it('says removals with who made them, and speaks French with lang="fr"', async () => {
    await onBoard(ben, (board) => board.setAttribute('lang', 'fr'));
    await waitOnPage(
      ben,
      async () =>
        (await accessibilityTree(ben)).children.length > 0 && (await listedElements(ben)).length === 4,
      'the list still there',
    );
    const tree = await accessibilityTree(ben);
    const [board] = findAll(tree, (node) => node.role === 'application');
    expect(board?.name).toBe('Salle heard');
    expect(board?.properties.roledescription).toBe('tableau blanc');
    expect(findAll(tree, (node) => node.role === 'toolbar')[0]?.name).toBe('Outils');
    // Ana selects everything and deletes it.
    await focusBoard(ana);
    await ana.keyboard.press('Control+a');
    await ana.keyboard.press('Delete');
    await waitToHear(
      ben,
      /^Ana a supprimé 4 éléments|^Ana a supprimé .*une note/,
      'Ben hears the removal in French',
    );
    await waitOnPage(ben, async () => (await listedElements(ben)).length === 0, 'the list emptied');
  });
});
