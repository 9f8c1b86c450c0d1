/*
 * Excalidraw 0.18.1 on the board benchmark's scene and camera path (board-scene.ts), so that its
 * figures sit beside Inkroom's. Run alone: `npx tsx src/excalidraw-board.ts 1000 10000`.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './board.js';
import { CAMERA_SOURCE, type Camera, strokesInView, VIEWPORT, walkStrokes } from './board-scene.js';
import { buildExcalidrawPage, serveExcalidrawPage } from './excalidraw-page.js';
import { percentile } from './stats.js';

export interface ExcalidrawViewResult {
  zoom: number;
  /** Strokes whose bounds meet the visible board area at frame 0. */
  inView: number;
  /** Share of the canvas that is not background at frame 0: 0 means nothing was drawn. */
  inked: number;
  /** Time between animation frames while the camera moves (p50, p95). */
  frameMs: { p50: number; p95: number };
  /** Time Excalidraw's static-scene renders took in those frames (p50, p95). */
  renderMs: { p50: number; p95: number };
  /** Share of those frames in which Excalidraw rendered the static scene at least once. */
  renderedFrames: number;
}

export interface ExcalidrawBoardResult {
  strokes: number;
  /** Navigation start to every stroke painted once (see main.jsx's firstPaint). */
  firstPaintMs: number;
  /** Of which the static render that first drew them all. */
  firstRenderMs: number;
  /** The longest main-thread task from navigation to that first paint. */
  longestTaskMs: number;
  views: ExcalidrawViewResult[];
}

export interface ExcalidrawBoardOptions {
  /**
   * Move the camera as Excalidraw's own wheel zoom, pinch zoom and animated scrolls do (true, the
   * default): \`shouldCacheIgnoreZoom\` while it moves, so each element's cached bitmap is scaled.
   * False redraws every element in view at the new zoom every frame, which Excalidraw itself never
   * does while the camera moves.
   */
  gesture?: boolean;
  /** Save a PNG of each view at frame 0 and at frame 60 here. */
  screenshotDir?: string;
}

const camera = new Function(`return ${CAMERA_SOURCE}`)() as (frame: number, zoom: number) => Camera;

/** Sets the camera of \`frame\`, lets two frames pass, and says how much of the canvas is inked. */
function settle(frame: number, zoom: number, gesture: boolean): string {
  return `new Promise((resolve) => {
    const bench = window.excalidrawBench;
    bench.setCamera((${CAMERA_SOURCE})(${frame}, ${zoom}), ${gesture});
    requestAnimationFrame(() => requestAnimationFrame(() => {
      // Read through a copy: a getContext call on the static canvas would count as a render.
      const canvas = document.querySelector('canvas.excalidraw__canvas.static');
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const context = copy.getContext('2d');
      context.drawImage(canvas, 0, 0);
      const { data } = context.getImageData(0, 0, copy.width, copy.height);
      let inked = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 720) inked++;
      resolve(inked / (data.length / 4));
    }));
  })`;
}

/**
 * Moves the camera along CAMERA_SOURCE for \`frames\` animation frames, one updateScene a frame,
 * recording the intervals between frames and the static renders Excalidraw did in each.
 */
function panAndZoom(zoom: number, frames: number, gesture: boolean): string {
  return `new Promise((resolve) => {
    const camera = ${CAMERA_SOURCE};
    const bench = window.excalidrawBench;
    const renders = bench.renders;
    const firstRender = renders.ms.length;
    const intervals = [];
    const rendered = [];
    let frame = 0;
    let last = 0;
    let count = 0;
    const tick = (now) => {
      if (frame > 0) {
        intervals.push(now - last);
        rendered.push(renders.count - count);
      }
      last = now;
      count = renders.count;
      if (++frame > ${frames}) {
        resolve({ intervals: intervals.slice(2), rendered: rendered.slice(2), renderMs: renders.ms.slice(firstRender + 2) });
        return;
      }
      bench.setCamera(camera(frame, ${zoom}), ${gesture});
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })`;
}

function summary(values: number[]): { p50: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)) };
}

let built: Promise<void> | undefined;

/** Excalidraw with `walkStrokes(strokes, 1)`: first paint, then each view's camera path. */
export async function runExcalidrawBoard(
  browser: Browser,
  strokes: number,
  views: { zoom: number }[],
  frames: number,
  options: ExcalidrawBoardOptions = {},
): Promise<ExcalidrawBoardResult> {
  built ??= buildExcalidrawPage();
  await built;
  const scene = walkStrokes(strokes, 1);
  const served = await serveExcalidrawPage(scene);
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    // Excalidraw falls back to a CDN for assets it lacks; the benchmark must not wait on the network.
    await context.route(
      (url) => !url.href.startsWith(served.url),
      (route) => route.abort(),
    );
    await context.addInitScript(`(() => {
      window.__tasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__tasks.push([entry.startTime, entry.duration]);
      }).observe({ type: 'longtask', buffered: true });
    })()`);
    const page = await context.newPage();
    const start = camera(0, views[0]?.zoom ?? 1);
    await page.goto(
      `${served.url}?scene=/scene.json&cx=${start.centerX}&cy=${start.centerY}&zoom=${start.zoom}`,
    );
    const firstPaint = (await page.evaluate('window.excalidrawBench.firstPaint')) as {
      ms: number;
      renderMs: number;
    };
    const results: ExcalidrawViewResult[] = [];
    for (const { zoom } of views) {
      const gesture = options.gesture ?? true;
      // At rest first, as a hand starts from rest: Excalidraw's bitmaps drawn at this zoom.
      const inked = (await page.evaluate(settle(0, zoom, false))) as number;
      await screenshot(page, options.screenshotDir, `excalidraw-${strokes}-${zoom * 100}-start.png`);
      const run = (await page.evaluate(panAndZoom(zoom, frames, gesture))) as {
        intervals: number[];
        rendered: number[];
        renderMs: number[];
      };
      if (options.screenshotDir) {
        // A quarter turn along the figure eight: the camera has moved right and zoomed.
        await page.evaluate(settle(60, zoom, gesture));
        await screenshot(page, options.screenshotDir, `excalidraw-${strokes}-${zoom * 100}-frame60.png`);
      }
      results.push({
        zoom,
        inView: strokesInView(scene, camera(0, zoom)),
        inked: Math.round(inked * 1000) / 1000,
        frameMs: summary(run.intervals),
        renderMs: summary(run.renderMs),
        renderedFrames: run.rendered.filter((n) => n > 0).length / run.rendered.length,
      });
    }
    const tasks = (await page.evaluate('window.__tasks')) as [number, number][];
    return {
      strokes,
      firstPaintMs: Math.round(firstPaint.ms),
      firstRenderMs: Math.round(firstPaint.renderMs),
      longestTaskMs: Math.round(
        Math.max(0, ...tasks.filter(([start]) => start < firstPaint.ms).map(([, ms]) => ms)),
      ),
      views: results,
    };
  } finally {
    await context.close();
    await served.close();
  }
}

async function screenshot(page: Page, dir: string | undefined, name: string): Promise<void> {
  if (!dir) return;
  await mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, name) });
}

/** `tsx src/excalidraw-board.ts [--redraw] [--screenshots dir] [--frames n] <strokes>...` */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      redraw: { type: 'boolean', default: false },
      screenshots: { type: 'string' },
      frames: { type: 'string', default: '240' },
    },
  });
  const browser = await launchChromium();
  try {
    for (const strokes of (positionals.length ? positionals : ['1000']).map(Number)) {
      const result = await runExcalidrawBoard(
        browser,
        strokes,
        [{ zoom: 0.25 }, { zoom: 2 }],
        Number(values.frames),
        {
          gesture: !values.redraw,
          screenshotDir: values.screenshots,
        },
      );
      process.stdout.write(`${JSON.stringify({ mode: values.redraw ? 'redraw' : 'gesture', ...result })}\n`);
    }
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
