// Arrows that stay attached, and labels: drawn between two boxes in one page, the boxes dragged
// around in another, checked in both pages' exports and in the server's preview; text typed
// inside a box and on an arrow.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  boardElements,
  dragOn,
  launchBrowser,
  onBoard,
  openSyncedPage,
  waitOnPage,
} from './helpers/browser.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));
/** Space between a bound end and its shape (BINDING_GAP), and what rounding may add. */
const GAP = 6;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The arrow's drawn ends, read from an SVG document (its path starts at one end, ends at the other). */
function arrowEnds(svg: string): { start: [number, number]; end: [number, number] } {
  const group = /<g [^>]*data-kind="arrow"[^>]*>(.*?)<\/g>/.exec(svg);
  if (!group) throw new Error('no arrow in the SVG');
  const d = /<path d="([^"]+)"/.exec(group[1]!)![1]!;
  const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
  return {
    start: [numbers[0]!, numbers[1]!],
    end: [numbers.at(-2)!, numbers.at(-1)!],
  };
}

/** Distance from a point to a box's outline (0 on it; negative inside). */
function outside([px, py]: [number, number], box: Box): number {
  const dx = Math.max(box.x - px, px - (box.x + box.w));
  const dy = Math.max(box.y - py, py - (box.y + box.h));
  return dx > 0 && dy > 0 ? Math.hypot(dx, dy) : Math.max(dx, dy);
}

describe('arrows bound to shapes', () => {
  let t: TestServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const room = `bindings-${Date.now()}`;

  const openPage = (name = room) => openSyncedPage(browser, `${t.httpUrl}/r/${name}`);

  const svgOf = (page: Page) =>
    onBoard(page, (board) => (board as unknown as { exportSVG(): string }).exportSVG());

  const drag = dragOn;

  /** The boxes as the board lists them (left one first), 160 × 100 each as drawn at zoom 1. */
  async function boxes(page: Page): Promise<[Box, Box]> {
    const rects = (await boardElements(page)).filter((e) => e.kind === 'rectangle').sort((p, q) => p.x - q.x);
    return rects.map((r) => ({ x: r.x, y: r.y, w: 160, h: 100 })) as [Box, Box];
  }

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

  it('an arrow drawn from one box to another stays attached while the boxes are dragged in another page', async () => {
    await a.keyboard.press('r');
    await drag(a, [350, 200], [510, 300]);
    await a.keyboard.press('r');
    await drag(a, [700, 380], [860, 480]);
    await a.keyboard.press('a');
    await drag(a, [430, 250], [780, 430]);
    await waitOnPage(b, async () => (await boardElements(b)).length === 3, 'three elements in page B');

    /** Both ends just outside their boxes, the gap away, in each page. */
    const expectAttached = async (pages: Page[]) => {
      for (const page of pages) {
        const [left, right] = await boxes(page);
        const { start, end } = arrowEnds(await svgOf(page));
        for (const distance of [outside(start, left), outside(end, right)]) {
          expect(distance).toBeGreaterThan(0);
          expect(distance).toBeLessThanOrEqual(GAP + 1);
        }
      }
    };
    await expectAttached([a, b]);

    // Page B drags the right box up and further right, then the left one down.
    const [leftBefore, rightBefore] = await boxes(b);
    await onBoard(b, (board) => (board as unknown as { setTool(id: string): void }).setTool('select'));
    await drag(b, [780, 470], [950, 180]);
    await drag(b, [430, 290], [430, 520]);
    await waitOnPage(
      a,
      async () => {
        const [left, right] = await boxes(a);
        // By the drags, give or take what snapping to the other box adds.
        return Math.abs(left.y - leftBefore.y - 230) < 20 && Math.abs(right.y - rightBefore.y + 290) < 20;
      },
      'both boxes moved in page A',
    );
    await expectAttached([a, b]);
    await a.screenshot({ path: join(ARTIFACTS, 'bindings-moved.png') });

    // The server's preview draws it attached too.
    const preview = await (await fetch(`${t.httpUrl}/api/rooms/${room}.svg`)).text();
    const [left, right] = await boxes(a);
    const { start, end } = arrowEnds(preview);
    expect(outside(start, left)).toBeLessThanOrEqual(GAP + 1);
    expect(outside(end, right)).toBeLessThanOrEqual(GAP + 1);

    // Deleting a box leaves that end free, where it was.
    const before = arrowEnds(await svgOf(a));
    await b.mouse.click(650, 620);
    await b.mouse.click(430, 520);
    await b.keyboard.press('Delete');
    await waitOnPage(a, async () => (await boardElements(a)).length === 2, 'the box deleted in page A');
    const after = arrowEnds(await svgOf(a));
    expect(Math.abs(after.start[0] - before.start[0])).toBeLessThan(1);
    expect(Math.abs(after.start[1] - before.start[1])).toBeLessThan(1);
  });

  it('text typed inside a box and on an arrow, after a double-click, shows centred in both pages', async () => {
    const labels = `labels-${Date.now()}`;
    const [c, d] = [await openPage(labels), await openPage(labels)];
    await c.keyboard.press('r');
    await drag(c, [400, 200], [600, 320]);
    await c.keyboard.press('a');
    await drag(c, [650, 260], [950, 260]);
    await onBoard(c, (board) => (board as unknown as { setTool(id: string): void }).setTool('select'));
    await c.mouse.dblclick(500, 260);
    await c.keyboard.type('Hello inside the box');
    await c.keyboard.press('Escape');
    await c.mouse.dblclick(800, 260);
    await c.keyboard.type('next');
    await c.keyboard.press('Escape');
    const textOf = async (page: Page, kind: string) =>
      (await boardElements(page)).find((e) => e.kind === kind)?.text;
    await waitOnPage(
      d,
      async () =>
        (await textOf(d, 'rectangle')) === 'Hello inside the box' && (await textOf(d, 'arrow')) === 'next',
      'both labels in page D',
    );
    // Drawn centred: the box's label in the middle of the box, the arrow's at its middle.
    const svg = await svgOf(d);
    const label = (kind: string) => {
      const group = new RegExp(`<g [^>]*data-kind="${kind}"[^>]*>(.*?)</g>`).exec(svg)![1]!;
      const lines = [...group.matchAll(/<tspan x="([-\d.]+)" y="([-\d.]+)">([^<]*)</g)];
      if (lines.length === 0 || !/text-anchor="middle"/.test(group)) return null;
      // Wrapped to the box: its lines joined again, where the first one starts.
      return {
        x: Number(lines[0]![1]),
        y: Number(lines[0]![2]),
        text: lines.map((line) => line[3]).join(' '),
      };
    };
    const [box] = (await boardElements(d)).filter((e) => e.kind === 'rectangle');
    const boxLabel = label('rectangle');
    expect(boxLabel?.text).toBe('Hello inside the box');
    expect(Math.abs(boxLabel!.x - (box!.x + 100))).toBeLessThan(1);
    // Two lines of 25 units, centred in a box 120 high: the first starts 35 below its top.
    expect(boxLabel!.y).toBeGreaterThan(box!.y + 25);
    expect(boxLabel!.y).toBeLessThan(box!.y + 45);
    expect(label('arrow')?.text).toBe('next');
    await d.screenshot({ path: join(ARTIFACTS, 'labels.png') });
  });
});
