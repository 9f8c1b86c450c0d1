import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  BOARD_SIZE,
  CAMERA_SOURCE,
  type Camera,
  strokesInView,
  VIEWPORT,
  walkStrokes,
} from './board-scene.js';
import { writeThroughServer } from './scenarios.js';
import type { RunningServer } from './servers.js';
import { percentile } from './stats.js';
import { gridScript, mergedScript, walkScript } from './updates.js';

/** One view of a board: its zoom, the strokes in view, and frames while panning and zooming. */
export interface BoardViewResult {
  zoom: number;
  /** Strokes whose bounds meet the view at the camera's first position. */
  inView: number;
  /** Time between animation frames while panning and zooming (p50, p95). */
  frameMs: { p50: number; p95: number };
  /** Time the scene layer's repaint took in those frames (p50, p95). */
  paintMs: { p50: number; p95: number };
  /**
   * Share of those frames that showed every tile in view painted and up to date (perhaps scaled
   * while the zoom moves); the others showed, where a tile was missing, another scale's tiles,
   * an out-of-date tile, or nothing.
   */
  completeFrames: number;
}

export interface BoardSizeResult {
  strokes: number;
  /** 'walk': the scene of board-scene.ts; 'grid': short strokes on a sparse grid (an extra row). */
  scene: 'walk' | 'grid';
  /** Opening the board, looked at as the first view (ms from navigation start). */
  load: BoardLoad;
  /** The page's JS heap once loaded, after a garbage collection, in MiB. */
  heapMB: number;
  views: BoardViewResult[];
  /**
   * Drawing on this board, at the first view's zoom: pointer move to the ink's frame (p50, p95),
   * and how many moves were not inked in the next frame.
   */
  ink: { p50: number; p95: number; late: number; moves: number };
}

export interface BoardResult {
  sizes: BoardSizeResult[];
  /** Pointer up in one page to the stroke painted in another (p50, p95, over several strokes). */
  strokeLatencyMs: { p50: number; p95: number };
}

const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (path) => path && existsSync(path),
);

export async function launchChromium(): Promise<Browser> {
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
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(10);
  }
}

/**
 * Moves the camera along CAMERA_SOURCE around `zoom` for `frames` animation frames, recording
 * frame intervals and scene paint times.
 */
function panAndZoom(zoom: number, frames: number): string {
  return `new Promise((resolve) => {
    const board = ${BOARD};
    const v = board.viewport;
    const camera = ${CAMERA_SOURCE};
    const intervals = [];
    const paints = [];
    const complete = [];
    let last = performance.now();
    let frame = 0;
    const place = () => {
      const c = camera(frame, ${zoom});
      v.centerOn({ x: c.centerX, y: c.centerY }, c.zoom);
    };
    const tick = (now) => {
      intervals.push(now - last);
      const stats = board.renderStats();
      paints.push(stats.lastPaintMs);
      complete.push(stats.complete);
      last = now;
      frame++;
      place();
      if (frame < ${frames}) requestAnimationFrame(tick); else resolve({ intervals: intervals.slice(2), paints: paints.slice(2), complete: complete.slice(2) });
    };
    place();
    requestAnimationFrame(() => requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); }));
  })`;
}

function summary(values: number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

/** The page's JS heap after a full garbage collection, in MiB. */
async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  await cdp.detach();
  return (metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
}

/**
 * Draws with the pen on the board at `zoom`: for each pointer move, the time from the event to the
 * first animation frame after it, and whether the overlay (where ink in progress is drawn) was
 * painted by then.
 */
async function inkDelay(page: Page, zoom: number): Promise<BoardSizeResult['ink']> {
  await page.evaluate(`(() => {
    const board = ${BOARD};
    board.viewport.centerOn({ x: ${BOARD_SIZE / 2}, y: ${BOARD_SIZE / 2} }, ${zoom});
    window.__ink = [];
    // Bubbling to the window: after the board's own handler asked for its frame.
    addEventListener('pointermove', (event) => {
      if (!event.buttons) return;
      const before = board.renderStats().overlayPaints;
      requestAnimationFrame(() =>
        window.__ink.push({ ms: performance.now() - event.timeStamp, inked: board.renderStats().overlayPaints > before }));
    });
  })()`);
  // Drawn on the board as shown whole, as a person starts drawing once they see it.
  await until(
    page,
    async () => (await page.evaluate(`${BOARD}.renderStats().complete`)) as boolean,
    'the view painted',
  );
  await page.keyboard.press('p');
  await page.mouse.move(300, 300);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) {
    await page.mouse.move(300 + i * 8, 300 + Math.sin(i / 5) * 60);
    await page.waitForTimeout(20);
  }
  await page.mouse.up();
  await page.waitForTimeout(100);
  const moves = (await page.evaluate('window.__ink')) as { ms: number; inked: boolean }[];
  return {
    ...summary(moves.map((move) => move.ms)),
    late: moves.filter((m) => !m.inked).length,
    moves: moves.length,
  };
}

/** How a board's load went, in ms from navigation start (see LOAD_PROBE). */
export interface BoardLoad {
  /** The first strokes on screen. */
  firstStrokesMs: number;
  /** Every stroke loaded and the view whole (two frames later, as Excalidraw's first paint). */
  loadedMs: number;
  /** The longest main-thread task from navigation to loaded. */
  longestTaskMs: number;
  /** The longest one that started once the socket was open: while the board arrived. */
  longestLoadingTaskMs: number;
}

/**
 * Runs in the page before its scripts: notes the socket's opening, the long tasks (over 50 ms),
 * the first frame with strokes and the frame with all of them painted, in the page's own time.
 */
const loadProbe = (strokes: number) => `(() => {
  const load = { open: 0, first: 0, loaded: 0, tasks: [] };
  window.__load = load;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) load.tasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('open', () => { load.open ||= performance.now(); });
    }
  };
  const poll = () => {
    // Before the app's element is upgraded, it has no shadow root.
    const board = document.querySelector('inkroom-app')?.shadowRoot?.querySelector('inkroom-board');
    const stats = board?.renderStats?.();
    if (stats && stats.elements > 0 && !load.first) load.first = performance.now();
    if (stats && stats.elements === ${strokes} && stats.complete) {
      requestAnimationFrame(() => requestAnimationFrame(() => { load.loaded = performance.now(); }));
      return;
    }
    requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})()`;

/**
 * Opens `room` looked at as the camera's first frame at `zoom` (the board remembers each room's
 * view, so it is set as a returning visitor's would be) and waits for `strokes` strokes painted.
 */
async function openBoard(browser: Browser, http: string, room: string, strokes: number, zoom: number) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const at = (new Function(`return ${CAMERA_SOURCE}`)() as (frame: number, zoom: number) => Camera)(0, zoom);
  const view = {
    x: at.centerX - VIEWPORT.width / 2 / at.zoom,
    y: at.centerY - VIEWPORT.height / 2 / at.zoom,
    zoom: at.zoom,
  };
  await context.addInitScript(({ key, view }) => localStorage.setItem(key, JSON.stringify(view)), {
    key: `inkroom.view:${http.replace(/^http/, 'ws')}/${room}`,
    view,
  });
  await context.addInitScript(loadProbe(strokes));
  const page = await context.newPage();
  await page.goto(`${http}/r/${room}`);
  await until(
    page,
    async () => ((await page.evaluate('window.__load.loaded').catch(() => 0)) as number) > 0,
    `${strokes} strokes on screen`,
  );
  const probe = (await page.evaluate('window.__load')) as {
    open: number;
    first: number;
    loaded: number;
    tasks: [number, number][];
  };
  const before = probe.tasks.filter(([start]) => start < probe.loaded);
  const load: BoardLoad = {
    firstStrokesMs: Math.round(probe.first),
    loadedMs: Math.round(probe.loaded),
    longestTaskMs: Math.round(Math.max(0, ...before.map(([, ms]) => ms))),
    longestLoadingTaskMs: Math.round(
      Math.max(0, ...before.filter(([start]) => start >= probe.open).map(([, ms]) => ms)),
    ),
  };
  return { page, load };
}

export interface BoardCase {
  strokes: number;
  scene: 'walk' | 'grid';
  zooms: number[];
}

/** The board benchmark: each case's board, viewed at each zoom, then stroke latency between two pages. */
export async function runBoard(
  server: RunningServer,
  cases: BoardCase[],
  frames: number,
  log: (line: string) => void,
): Promise<BoardResult> {
  const http = server.url.replace('ws://', 'http://');
  const browser = await launchChromium();
  try {
    const results: BoardSizeResult[] = [];
    for (const [index, { strokes, scene, zooms }] of cases.entries()) {
      const room = `board-${scene}-${strokes}`;
      const script =
        scene === 'walk' ? walkScript(7_000_000 + index, strokes) : gridScript(7_000_000 + index, strokes);
      await writeThroughServer(server, room, mergedScript(script, 50));
      const { page, load } = await openBoard(browser, http, room, strokes, zooms[0]!);
      const heapMB = await heapAfterGc(page);
      const walk = scene === 'walk' ? walkStrokes(strokes) : null;
      const views: BoardViewResult[] = [];
      for (const zoom of zooms) {
        const { intervals, paints, complete } = (await page.evaluate(panAndZoom(zoom, frames))) as {
          intervals: number[];
          paints: number[];
          complete: boolean[];
        };
        views.push({
          zoom,
          inView: walk ? strokesInView(walk, { centerX: BOARD_SIZE / 2, centerY: BOARD_SIZE / 2, zoom }) : -1,
          frameMs: summary(intervals),
          paintMs: summary(paints),
          completeFrames: complete.filter(Boolean).length / complete.length,
        });
      }
      const ink = await inkDelay(page, zooms[0]!);
      const result: BoardSizeResult = { strokes, scene, load, heapMB, views, ink };
      log(`   board ${scene} ${strokes}: ${JSON.stringify(result)}`);
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
