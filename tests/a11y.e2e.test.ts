// axe-core, the accessibility engine, run in headless Chromium on the start page, a room page
// (a board with one of each kind of element, the History and Frames panels open), a phone-sized
// room page in German, a page in forced colours and a page embedding two boards from another
// origin: zero violations of WCAG 2.1 A and AA. Also: every control reachable on a phone, and
// following someone without easing when reduced motion is asked for.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dragOn, launchBrowser, onBoard, openSyncedPage, waitOnPage } from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe's WCAG 2.1 A and AA violations on the page as it is now, shadow roots included. */
async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ content: await readFile(AXE, 'utf8') });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
}

/** The other people a page's board sees, with their views. */
const describePeers = (page: Page) =>
  onBoard(
    page,
    (board) =>
      (
        board as unknown as { describeBoard(): { peers: { id: number; view: { x: number } | null }[] } }
      ).describeBoard().peers,
  );

/** The violations, readable in a failure message. */
const listed = (found: Violation[]) =>
  found.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );

describe('accessibility (axe-core)', () => {
  let t: TestServer;
  let browser: Browser;
  let embedHost: Server;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST, versionAfterMs: 300 });
    browser = await launchBrowser();
    // Another origin embedding two boards, as a site would.
    const page = `<!doctype html><html lang="en"><head><title>Two boards</title></head><body><main>
      <h1>Team boards</h1>
      <script type="module" src="${t.httpUrl}/inkroom-board.js"></script>
      <inkroom-board server="${t.wsUrl}" room="embed-a11y-1" style="height:420px"></inkroom-board>
      <inkroom-board server="${t.wsUrl}" room="embed-a11y-2" theme="dark" style="height:420px"></inkroom-board>
    </main></body></html>`;
    embedHost = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    await new Promise<void>((resolve) => embedHost.listen(0, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    embedHost?.close();
    await t?.cleanup();
  });

  it('the start page has no violations', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.httpUrl}/`);
    await page.waitForLoadState('networkidle');
    expect(listed(await violations(page))).toEqual([]);
  });

  it('a room page, with elements, the history and the frames panels, has no violations', async () => {
    const page = await openSyncedPage(browser, `${t.httpUrl}/r/a11y-room`, { name: 'Ada' });
    await page.keyboard.press('r');
    await dragOn(page, [400, 200], [520, 280]);
    await page.keyboard.press('n');
    await page.mouse.click(700, 250);
    await page.keyboard.type('Plan the launch');
    await page.keyboard.press('Escape');
    await page.keyboard.press('f');
    await dragOn(page, [360, 160], [900, 420]);
    expect(listed(await violations(page))).toEqual([]);
    const board = page.locator('inkroom-board');
    await board.getByRole('button', { name: 'History: versions of this board' }).click({ timeout: 4000 });
    await waitOnPage(
      page,
      async () => (await board.locator('.versions ol button').count()) > 0,
      'a version listed',
      10_000,
    );
    expect(listed(await violations(page))).toEqual([]);
    await board.getByRole('button', { name: 'Frames and presenting' }).click({ timeout: 4000 });
    expect(listed(await violations(page))).toEqual([]);
  }, 60_000);

  it('a phone-sized room page in German keeps every control reachable, and has no violations', async () => {
    const page = await openSyncedPage(browser, `${t.httpUrl}/r/a11y-phone`, {
      name: 'Ada',
      width: 375,
      height: 667,
      hasTouch: true,
      locale: 'de-DE',
    });
    // Nothing is wider than the screen: the page never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const board = page.locator('inkroom-board');
    // The toolbar scrolls sideways, and its last tool can be reached and chosen.
    expect(
      await board.locator('.toolbar').evaluate((bar) => {
        const { left, right } = bar.getBoundingClientRect();
        return bar.scrollWidth > bar.clientWidth && left >= 0 && right <= 375;
      }),
    ).toBe(true);
    await board.getByRole('button', { name: /^Laserpointer/ }).click({ timeout: 4000 });
    expect(await board.locator('[data-tool="laser"]').getAttribute('aria-pressed')).toBe('true');
    await board.getByRole('button', { name: /^Stift/ }).click({ timeout: 4000 });
    // The pen's style panel is one button until opened.
    await board.locator('.panel-toggle').click({ timeout: 4000 });
    expect(await board.getByRole('group', { name: 'Stil' }).isVisible()).toBe(true);
    // The header's name and language are under "Mehr".
    const app = page.locator('inkroom-app');
    const name = app.getByRole('textbox', { name: 'Ihr Name' });
    expect(await name.isVisible()).toBe(false);
    await app.getByRole('button', { name: 'Mehr' }).click({ timeout: 4000 });
    expect(await name.isVisible()).toBe(true);
    expect(await app.getByRole('combobox', { name: 'Sprache' }).inputValue()).toBe('de');
    expect(listed(await violations(page))).toEqual([]);
  });

  it('keeps edges, the active tool and colour swatches in forced colours', async () => {
    const page = await openSyncedPage(browser, `${t.httpUrl}/r/a11y-contrast`, { name: 'Ada' });
    await page.emulateMedia({ forcedColors: 'active' });
    const board = page.locator('inkroom-board');
    expect(await board.locator('.toolbar').evaluate((bar) => getComputedStyle(bar).borderTopStyle)).toBe(
      'solid',
    );
    expect(
      await board.locator('[data-tool="pen"]').evaluate((button) => getComputedStyle(button).outlineStyle),
    ).toBe('solid');
    expect(
      await board
        .getByRole('button', { name: 'Stroke colour red' })
        .evaluate((swatch) => getComputedStyle(swatch).backgroundColor),
    ).toBe('rgb(224, 49, 49)');
    expect(listed(await violations(page))).toEqual([]);
  });

  it('with reduced motion, following someone goes straight to their view', async () => {
    const leader = await openSyncedPage(browser, `${t.httpUrl}/r/a11y-motion`, { name: 'Lead' });
    const follower = await openSyncedPage(browser, `${t.httpUrl}/r/a11y-motion`, { name: 'Still' });
    await follower.emulateMedia({ reducedMotion: 'reduce' });
    await leader.evaluate(() => {
      const board = document
        .querySelector('inkroom-app')!
        .shadowRoot!.querySelector('inkroom-board') as unknown as {
        viewport: { centerOn(p: { x: number; y: number }, zoom: number): void };
      };
      board.viewport.centerOn({ x: 5000, y: -3000 }, 2);
    });
    await waitOnPage(
      follower,
      async () =>
        (await follower.evaluate(() => document.querySelectorAll('inkroom-app').length)) === 1 &&
        (await describePeers(follower)).some((p) => p.view && p.view.x > 4000),
      'the leader’s view at the follower',
    );
    const centre = await follower.evaluate(async () => {
      const board = document
        .querySelector('inkroom-app')!
        .shadowRoot!.querySelector('inkroom-board') as unknown as {
        describeBoard(): { peers: { id: number }[] };
        follow(id: number): void;
        viewport: { x: number; y: number; zoom: number; width: number; height: number };
      };
      board.follow(board.describeBoard().peers[0]!.id);
      // Two frames: the first step of following, and one more.
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const v = board.viewport;
      return { x: v.x + v.width / 2 / v.zoom, y: v.y + v.height / 2 / v.zoom };
    });
    expect(centre.x).toBeCloseTo(5000, 0);
    expect(centre.y).toBeCloseTo(-3000, 0);
  });

  it('a page embedding two boards (one dark) from another origin has no violations', async () => {
    const page = await browser.newPage();
    const { port } = embedHost.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await waitOnPage(
      page,
      async () =>
        (await page.evaluate(() =>
          [...document.querySelectorAll('inkroom-board')].every(
            (b) => (b as unknown as { status: string }).status === 'synced',
          ),
        )) === true,
      'both boards synced',
    );
    expect(listed(await violations(page))).toEqual([]);
  });
});
