// axe-core, the accessibility engine, run in headless Chromium on the start page, a room page
// (a board with one of each kind of element, the History and Frames panels open) and a page
// embedding two boards from another origin: zero violations of WCAG 2.1 A and AA.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dragOn, launchBrowser, openSyncedPage, waitOnPage } from './helpers/browser.js';
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
    await board.getByRole('button', { name: 'History: versions of this board' }).click();
    await waitOnPage(
      page,
      async () => (await board.locator('.versions ol button').count()) > 0,
      'a version listed',
      10_000,
    );
    expect(listed(await violations(page))).toEqual([]);
    await board.getByRole('button', { name: 'Frames and presenting' }).click();
    expect(listed(await violations(page))).toEqual([]);
  }, 60_000);

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
