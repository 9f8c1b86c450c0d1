import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, type Page } from 'playwright-core';
import { writeThroughServer } from './scenarios.js';
import type { RunningServer } from './servers.js';
import { percentile } from './stats.js';
import { gridScript } from './updates.js';

export interface BoardSizeResult {
  strokes: number;
  /** Navigation start to every stroke loaded and painted once. */
  firstRenderMs: number;
  /** Time between animation frames while panning and zooming (p50, p95). */
  frameMs: { p50: number; p95: number };
  /** Time the scene layer's repaint took in those frames (p50, p95). */
  paintMs: { p50: number; p95: number };
}

export interface BoardResult {
  sizes: BoardSizeResult[];
  /** Pointer up in one page to the stroke painted in another (p50, p95, over several strokes). */
  strokeLatencyMs: { p50: number; p95: number };
}

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
);

async function launch(): Promise<Browser> {
  if (!CHROMIUM)
    throw new Error('the board benchmark needs Chromium (apt-get install chromium, or CHROMIUM_PATH)');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

const BOARD = `document.querySelector('inkroom-app').shadowRoot.querySelector('inkroom-board')`;

async function describe(page: Page): Promise<{ count: number; paints: number; status: string }> {
  return page.evaluate(`${BOARD}?.describeBoard() ?? { count: 0, paints: 0, status: 'none' }`) as Promise<{
    count: number;
    paints: number;
    status: string;
  }>;
}

async function until(
  page: Page,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(10);
  }
}

/** Pans and zooms for `frames` animation frames, recording frame intervals and paint times. */
function panAndZoom(frames: number): string {
  return `new Promise((resolve) => {
    const board = ${BOARD};
    const v = board.viewport;
    const intervals = [];
    const paints = [];
    let last = performance.now();
    let frame = 0;
    const tick = (now) => {
      intervals.push(now - last);
      paints.push(board.renderStats().lastPaintMs);
      last = now;
      if (frame % 120 < 60) v.panBy(-14, -9); else v.panBy(10, 6);
      if (frame % 90 === 45) v.zoomAt({ x: v.width / 2, y: v.height / 2 }, frame % 180 < 90 ? 0.6 : 1 / 0.6);
      if (++frame < ${frames}) requestAnimationFrame(tick); else resolve({ intervals: intervals.slice(2), paints: paints.slice(2) });
    };
    requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
  })`;
}

function summary(values: number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** The board benchmark: boards of each size, then stroke latency between two pages. */
export async function runBoard(
  server: RunningServer,
  sizes: number[],
  log: (line: string) => void,
): Promise<BoardResult> {
  const http = server.url.replace('ws://', 'http://');
  const browser = await launch();
  try {
    const results: BoardSizeResult[] = [];
    for (const [index, strokes] of sizes.entries()) {
      const room = `board-${strokes}`;
      await writeThroughServer(server, room, gridScript(7_000_000 + index, strokes));
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
      const started = performance.now();
      await page.goto(`${http}/r/${room}`);
      await until(
        page,
        async () => {
          const d = await describe(page).catch(() => ({ count: 0, paints: 0, status: '' }));
          return d.count === strokes && d.paints > 0;
        },
        `${strokes} strokes on screen`,
      );
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const firstRenderMs = performance.now() - started;
      const { intervals, paints } = (await page.evaluate(panAndZoom(240))) as {
        intervals: number[];
        paints: number[];
      };
      const result = { strokes, firstRenderMs, frameMs: summary(intervals), paintMs: summary(paints) };
      log(`   board ${strokes}: ${JSON.stringify(result)}`);
      results.push(result);
      await page.context().close();
    }
    const strokeLatencyMs = await strokeLatency(browser, http);
    return { sizes: results, strokeLatencyMs };
  } finally {
    await browser.close();
  }
}

/** Draws strokes in page A and times each from pointer up to painted in page B. */
async function strokeLatency(browser: Browser, http: string): Promise<{ p50: number; p95: number }> {
  const room = 'latency';
  const open = async () => {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 700 } })).newPage();
    await page.goto(`${http}/r/${room}`);
    await until(page, async () => (await describe(page).catch(() => null))?.status === 'synced', 'sync');
    return page;
  };
  const a = await open();
  const b = await open();
  // Page B notes when each new element has been painted; page A when each pointer up happened.
  await b.evaluate(`(() => {
    const board = ${BOARD};
    window.__painted = [];
    board.addEventListener('inkroom-change', () => {
      // The renderer's frame callback was queued first, so this one runs right after the paint.
      requestAnimationFrame(() => window.__painted.push(performance.timeOrigin + performance.now()));
    });
  })()`);
  await a.evaluate(`(() => {
    window.__ups = [];
    addEventListener('pointerup', () => window.__ups.push(performance.timeOrigin + performance.now()), true);
  })()`);
  const latencies: number[] = [];
  for (let i = 0; i < 15; i++) {
    const before = ((await b.evaluate('window.__painted.length')) as number) ?? 0;
    const y = 200 + (i % 10) * 30;
    await a.mouse.move(400, y);
    await a.mouse.down();
    await a.mouse.move(520, y + 20, { steps: 6 });
    await a.mouse.up();
    await until(
      b,
      async () => ((await b.evaluate('window.__painted.length')) as number) > before,
      'the stroke in page B',
      10_000,
    );
    const up = ((await a.evaluate('window.__ups.at(-1)')) as number) ?? 0;
    const painted = (await b.evaluate(`window.__painted[${before}]`)) as number;
    latencies.push(painted - up);
  }
  await a.context().close();
  await b.context().close();
  return summary(latencies);
}
