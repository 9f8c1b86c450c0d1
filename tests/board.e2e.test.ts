import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, onBoard, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface BoardSnapshot {
  count: number;
  kinds: string[];
  elements: { id: string; kind: string; x: number; y: number; text?: string; author: string }[];
  status: string;
  peers: { name: string; cursor: { x: number; y: number } | null }[];
}

function snapshot(page: Page): Promise<BoardSnapshot> {
  return onBoard(page, (board) => (board as unknown as { describeBoard(): BoardSnapshot }).describeBoard());
}

describe('the board in two browser pages', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const room = `e2e-${Date.now()}`;

  async function openPage(name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    await context.addInitScript((n) => localStorage.setItem('inkroom.name', n), name);
    const page = await context.newPage();
    await page.goto(`${t.httpUrl}/r/${room}`);
    await waitOnPage(
      page,
      async () => (await snapshot(page).catch(() => null))?.status === 'synced',
      `${name} synced`,
    );
    return page;
  }

  async function drag(page: Page, from: [number, number], to: [number, number], steps = 8): Promise<void> {
    await page.mouse.move(from[0], from[1]);
    await page.mouse.down();
    await page.mouse.move(to[0], to[1], { steps });
    await page.mouse.up();
  }

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
    a = await openPage('Ada');
    b = await openPage('Grace');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('a stroke, a rectangle, a text and a sticky note drawn in one page appear in the other', async () => {
    await a.keyboard.press('p');
    await drag(a, [300, 300], [420, 360]);
    await a.keyboard.press('r');
    await drag(a, [500, 250], [650, 350]);
    await a.keyboard.press('t');
    await a.mouse.click(300, 500);
    await a.keyboard.type('Hello Inkroom');
    await a.keyboard.press('Escape');
    await a.keyboard.press('n');
    await a.mouse.click(800, 450);
    await a.keyboard.type('Ship it');
    await a.keyboard.press('Escape');
    await waitOnPage(b, async () => (await snapshot(b)).count === 4, 'four elements in page B');
    const seen = await snapshot(b);
    expect(seen.kinds.sort()).toEqual(['rectangle', 'sticky', 'stroke', 'text']);
    expect(seen.elements.find((e) => e.kind === 'text')?.text).toBe('Hello Inkroom');
    expect(seen.elements.find((e) => e.kind === 'sticky')?.text).toBe('Ship it');
    expect(seen.elements.every((e) => e.author === 'Ada')).toBe(true);
    await a.screenshot({ path: join(ARTIFACTS, 'board-a.png') });
    await b.screenshot({ path: join(ARTIFACTS, 'board-b.png') });
  });

  it('shows each person’s cursor and name to the other', async () => {
    await a.mouse.move(600, 500);
    await waitOnPage(
      b,
      async () => (await snapshot(b)).peers.some((p) => p.name === 'Ada' && p.cursor !== null),
      'Ada’s cursor in page B',
    );
    await b.screenshot({ path: join(ARTIFACTS, 'board-b-cursor.png') });
  });

  it('undo in one page removes only that page’s own work', async () => {
    await b.keyboard.press('o');
    await drag(b, [400, 160], [470, 220]);
    await waitOnPage(a, async () => (await snapshot(a)).count === 5, 'Grace’s ellipse in page A');
    await a.keyboard.press('p');
    await drag(a, [700, 150], [760, 180]);
    await waitOnPage(b, async () => (await snapshot(b)).count === 6, 'Ada’s second stroke in page B');
    await a.keyboard.press('Control+z');
    await waitOnPage(b, async () => (await snapshot(b)).count === 5, 'the undo in page B');
    const after = await snapshot(b);
    expect(after.kinds.filter((k) => k === 'ellipse')).toHaveLength(1);
    expect(after.kinds.filter((k) => k === 'stroke')).toHaveLength(1);
  });

  it('moving an element in one page moves it in the other', async () => {
    const before = (await snapshot(b)).elements.find((e) => e.kind === 'rectangle')!;
    await a.keyboard.press('v');
    await drag(a, [500, 300], [560, 340]);
    await waitOnPage(
      b,
      async () => (await snapshot(b)).elements.find((e) => e.kind === 'rectangle')!.x !== before.x,
      'the moved rectangle in page B',
    );
    const moved = (await snapshot(b)).elements.find((e) => e.kind === 'rectangle')!;
    expect(moved.x - before.x).toBeCloseTo(60, 0);
    expect(moved.y - before.y).toBeCloseTo(40, 0);
  });

  it('shows the style panel only for what has a style, and restyles a hollow shape picked from inside', async () => {
    const panelShown = () =>
      onBoard(a, (board) => board.shadowRoot!.querySelector('[part="style-panel"]') !== null);
    await a.keyboard.press('v');
    await a.mouse.click(1000, 600);
    expect(await panelShown()).toBe(false);
    await a.keyboard.press('e');
    expect(await panelShown()).toBe(false);
    await a.keyboard.press('p');
    expect(await panelShown()).toBe(true);
    // The rectangle (moved to 560,290 - 710,390 on screen) has no fill: a click inside picks it.
    await a.keyboard.press('v');
    await a.mouse.click(635, 340);
    expect(await panelShown()).toBe(true);
    const rectangle = (await snapshot(a)).elements.find((e) => e.kind === 'rectangle')!;
    await onBoard(a, (board) =>
      (board.shadowRoot!.querySelector('[data-fill="#a5d8ff"]') as HTMLButtonElement).click(),
    );
    const fillIn = (page: Page) =>
      onBoard(page, (board) =>
        (board as unknown as { exportJSON(): { elements: { id: string; fill?: string }[] } })
          .exportJSON()
          .elements.map((e) => `${e.id}:${e.fill ?? ''}`),
      );
    await waitOnPage(
      b,
      async () => (await fillIn(b)).includes(`${rectangle.id}:#a5d8ff`),
      'the new fill in page B',
    );
    await a.screenshot({ path: join(ARTIFACTS, 'board-restyled.png') });
    // Restyling is one undo step.
    await a.keyboard.press('Control+z');
    await waitOnPage(
      b,
      async () => !(await fillIn(b)).includes(`${rectangle.id}:#a5d8ff`),
      'the undone fill',
    );
    await a.mouse.click(1000, 600);
  });

  it('lists the shortcuts on ?, closes the list on Escape, and M picks the highlighter', async () => {
    await a.mouse.click(1000, 620);
    await a.keyboard.press('Shift+Slash');
    const listed = await onBoard(a, (board) => {
      const dialog = board.shadowRoot!.querySelector('[role="dialog"]');
      return dialog ? [...dialog.querySelectorAll('dd')].map((dd) => dd.textContent?.trim()) : null;
    });
    expect(listed).toContain('Highlighter');
    expect(listed).toContain('Group, ungroup');
    await a.keyboard.press('Escape');
    expect(await onBoard(a, (board) => board.shadowRoot!.querySelector('[role="dialog"]'))).toBeNull();
    await a.keyboard.press('m');
    expect(await onBoard(a, (board) => (board as unknown as { tool: string }).tool)).toBe('highlighter');
    // Every tool button, and the image button, shows an icon, named for screen readers by its title.
    const buttons = await onBoard(a, (board) =>
      [...board.shadowRoot!.querySelectorAll('.toolbar button')].map((b) => ({
        label: b.getAttribute('title'),
        svg: b.querySelector('svg') !== null,
      })),
    );
    expect(buttons.length).toBe(13);
    expect(buttons.at(-1)?.label).toMatch(/image/);
    expect(buttons.every((b) => b.svg && b.label)).toBe(true);
    await a.keyboard.press('v');
  });

  it('two people typing in one sticky note keep each other’s text', async () => {
    const note = (await snapshot(a)).elements.find((e) => e.kind === 'sticky')!;
    // Both open the note's editor (a click on a sticky with the sticky tool edits it).
    for (const page of [a, b]) {
      await page.keyboard.press('n');
      await page.mouse.click(820, 470);
    }
    await b.keyboard.press('End');
    await b.keyboard.type(' today');
    await waitOnPage(
      a,
      async () => (await snapshot(a)).elements.find((e) => e.id === note.id)?.text === 'Ship it today',
      'B’s words in A',
    );
    await a.keyboard.press('Home');
    await a.keyboard.type('Please ');
    for (const page of [a, b]) {
      await waitOnPage(
        page,
        async () =>
          (await snapshot(page)).elements.find((e) => e.id === note.id)?.text === 'Please Ship it today',
        'both edits everywhere',
      );
      await page.keyboard.press('Escape');
    }
  });

  it('after a server restart, a reload shows the same board', async () => {
    const before = await snapshot(a);
    t = await t.restart();
    // The server's port changed with the restart: open the room on the new one.
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
    await page.goto(`${t.httpUrl}/r/${room}`);
    await waitOnPage(
      page,
      async () => (await snapshot(page).catch(() => null))?.count === before.count,
      'the board after restart',
    );
    const after = await snapshot(page);
    expect(after.kinds.sort()).toEqual(before.kinds.sort());
    await page.screenshot({ path: join(ARTIFACTS, 'board-after-restart.png') });
  });

  it('with the server down, a reload of the room page shows the board from this device', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
    await page.goto(`${t.httpUrl}/r/${room}`);
    await waitOnPage(
      page,
      async () => (await snapshot(page).catch(() => null))?.status === 'synced',
      'synced',
    );
    const before = await snapshot(page);
    expect(before.count).toBeGreaterThan(0);
    // IndexedDB commits the board the server sent asynchronously; leaving the page before it has
    // would lose that copy (on a busy machine, it took longer than the steps below).
    await waitOnPage(
      page,
      () =>
        page.evaluate(
          (name) =>
            new Promise<boolean>((resolve) => {
              const open = indexedDB.open(name);
              open.onerror = () => resolve(false);
              open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains('updates')) return resolve(false);
                const count = db.transaction('updates').objectStore('updates').count();
                count.onsuccess = () => {
                  db.close();
                  resolve(count.result > 0);
                };
                count.onerror = () => resolve(false);
              };
            }),
          `inkroom:${t.wsUrl}/${encodeURIComponent(room)}`,
        ),
      'the board kept in IndexedDB',
    );
    // The app's service worker takes the page over once it has cached the app.
    await waitOnPage(
      page,
      () => page.evaluate(() => navigator.serviceWorker.controller !== null),
      'the service worker in control',
    );
    // Other pages of the server, visited last, must not take the app page's place offline.
    await page.goto(`${t.httpUrl}/embed-example.html`);
    await page.goto(`${t.httpUrl}/inkroom-board.js`);
    await t.stop();
    await page.goto(`${t.httpUrl}/r/${room}`);
    await waitOnPage(
      page,
      async () => {
        const now = await snapshot(page).catch(() => null);
        return now?.status === 'offline' && now.count === before.count;
      },
      'the board from IndexedDB, offline',
    );
    expect((await snapshot(page)).kinds.sort()).toEqual(before.kinds.sort());
    await page.screenshot({ path: join(ARTIFACTS, 'board-offline-reload.png') });
  });
});
