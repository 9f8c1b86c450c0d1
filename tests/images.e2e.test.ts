// Images as people add them: a screenshot pasted in one page shows in another and in the
// server's preview; one added while offline goes up when the server is back; an SVG is refused.
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

/** Pastes, on the page's board, a `width`×`height` PNG of one colour, as a screenshot would arrive. */
function pasteImage(page: Page, width: number, height: number, color: string): Promise<void> {
  return page.evaluate(
    async ([w, h, c]) => {
      const canvas = new OffscreenCanvas(w as number, h as number);
      const g = canvas.getContext('2d')!;
      g.fillStyle = c as string;
      g.fillRect(0, 0, w as number, h as number);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const data = new DataTransfer();
      data.items.add(new File([blob], 'screenshot.png', { type: 'image/png' }));
      const board = document.querySelector('inkroom-app')!.shadowRoot!.querySelector('inkroom-board')!;
      board.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    },
    [width, height, color] as const,
  );
}

/** The colour of the board's scene canvas at a point of the stage (CSS pixels). */
function sceneColor(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([px, py]) => {
      const board = document.querySelector('inkroom-app')!.shadowRoot!.querySelector('inkroom-board')!;
      const canvas = board.shadowRoot!.querySelector('canvas.scene') as HTMLCanvasElement;
      const rect = canvas.getBoundingClientRect();
      const scale = canvas.width / rect.width;
      const at = (v: number, from: number) => Math.round((v - from) * scale);
      const data = canvas.getContext('2d')!.getImageData(at(px!, rect.left), at(py!, rect.top), 1, 1).data;
      return [data[0]!, data[1]!, data[2]!] as [number, number, number];
    },
    [x, y],
  );
}

describe('images', () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('a pasted screenshot shows in another page and in the server preview, stored once on the server', async () => {
    const room = `images-${Date.now()}`;
    const a = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`);
    const b = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`);
    await a.mouse.move(600, 400);
    await pasteImage(a, 320, 200, '#e03131');
    await waitOnPage(
      b,
      async () => (await boardElements(b)).some((e) => e.kind === 'image'),
      'the image in page B',
    );
    // Page B fetched the file from the server and drew it: red where the image is.
    await waitOnPage(
      b,
      async () => {
        const [r, g, bl] = await sceneColor(b, 600, 400);
        return r > 200 && g < 80 && bl < 80;
      },
      'the image drawn in page B',
    );
    await b.screenshot({ path: join(ARTIFACTS, 'images-pasted.png') });
    // Page A crops it: a double-click, then its top-left corner dragged in by 100 × 50.
    const [before] = await boardElements(b);
    await onBoard(a, (board) => (board as unknown as { setTool(id: string): void }).setTool('select'));
    await a.mouse.dblclick(600, 400);
    await dragOn(a, [440, 300], [540, 350]);
    await waitOnPage(
      b,
      async () => {
        const [after] = await boardElements(b);
        return Math.abs(after!.x - before!.x - 100) < 1 && Math.abs(after!.y - before!.y - 50) < 1;
      },
      'the crop in page B',
    );
    const [r, g] = await sceneColor(b, 560, 370);
    expect(r > 200 && g < 80).toBe(true);
    // Outside the crop, nothing is painted any more (the canvas is clear there).
    expect((await sceneColor(b, 460, 320))[0]).toBeLessThan(100);
    await b.screenshot({ path: join(ARTIFACTS, 'images-cropped.png') });
    const svg = await (await fetch(`${t.httpUrl}/api/rooms/${room}.svg`)).text();
    const href = /<image href="([^"]+)"/.exec(svg)?.[1];
    expect(href).toMatch(new RegExp(`^/api/rooms/${room}/assets/[0-9a-f]{64}$`));
    const file = await fetch(`${t.httpUrl}${href}`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    const stored = t.logs.lines.filter((line) => line.msg === 'asset.stored');
    expect(stored).toHaveLength(1);
    await a.context().close();
    await b.context().close();
  });

  it('an image added offline shows at once and is uploaded when the server is back', async () => {
    const room = `offline-${Date.now()}`;
    const page = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`);
    await page.context().setOffline(true);
    await waitOnPage(
      page,
      async () => (await onBoard(page, (board) => board.status)) === 'offline',
      'offline',
    );
    await page.mouse.move(500, 350);
    await pasteImage(page, 200, 200, '#1971c2');
    await waitOnPage(
      page,
      async () => {
        const [r, , bl] = await sceneColor(page, 500, 350);
        return bl > 150 && r < 80;
      },
      'the image drawn offline',
    );
    const hash = async () => {
      const svg = await onBoard(page, (board) => (board as unknown as { exportSVG(): string }).exportSVG());
      return /assets\/([0-9a-f]{64})/.exec(svg)?.[1];
    };
    const url = `${t.httpUrl}/api/rooms/${room}/assets/${await hash()}`;
    expect((await fetch(url)).status).toBe(404);
    await page.context().setOffline(false);
    await waitOnPage(page, async () => (await fetch(url)).status === 200, 'the image uploaded', 20_000);
    await waitOnPage(
      page,
      async () =>
        (await boardElements(page)).length === 1 &&
        (await onBoard(page, (board) => board.status)) === 'synced',
      'synced again',
    );
    await page.context().close();
  });

  it('an SVG file is refused, with nothing added; a large picture is drawn smaller first; an image whose file is missing shows a placeholder', async () => {
    const room = `svg-${Date.now()}`;
    const page = await openSyncedPage(browser, `${t.httpUrl}/r/${room}`);
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    const added = await page.evaluate(async () => {
      const board = document
        .querySelector('inkroom-app')!
        .shadowRoot!.querySelector('inkroom-board') as unknown as {
        addImages(files: Blob[]): Promise<string[]>;
      };
      const svg = new File(
        ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'],
        'x.svg',
        {
          type: 'image/svg+xml',
        },
      );
      return board.addImages([svg]);
    });
    expect(added).toEqual([]);
    expect(await boardElements(page)).toEqual([]);
    // A picture larger than max-image-size is drawn smaller before it is added.
    const natural = await page.evaluate(async () => {
      const board = document
        .querySelector('inkroom-app')!
        .shadowRoot!.querySelector('inkroom-board') as unknown as {
        maxImageSize: number;
        addImages(files: Blob[]): Promise<string[]>;
        exportJSON(): { elements: { naturalWidth?: number; naturalHeight?: number }[] };
      };
      board.maxImageSize = 100;
      const canvas = new OffscreenCanvas(400, 200);
      canvas.getContext('2d')!.fillRect(0, 0, 400, 200);
      await board.addImages([await canvas.convertToBlob({ type: 'image/png' })]);
      const [image] = board.exportJSON().elements;
      return [image?.naturalWidth, image?.naturalHeight];
    });
    expect(natural).toEqual([100, 50]);
    await onBoard(page, (board) => (board as unknown as { undo(): void }).undo());
    await waitOnPage(page, async () => (await boardElements(page)).length === 0, 'the image undone');
    expect(errors.join('\n')).toMatch(/SVG images are not taken/);
    // An image whose file the server does not have (a board file from elsewhere): a placeholder.
    await onBoard(page, (board) =>
      (board as unknown as { importJSON(file: unknown): string[] }).importJSON({
        type: 'inkroom-board',
        version: 4,
        elements: [{ id: 'x', kind: 'image', x: 0, y: 0, width: 300, height: 200, asset: 'f'.repeat(64) }],
      }),
    );
    await waitOnPage(page, async () => (await boardElements(page)).length === 1, 'the imported image');
    const { x, y } = await page.evaluate(() => ({ x: innerWidth / 2, y: innerHeight / 2 + 25 }));
    await waitOnPage(
      page,
      async () => (await sceneColor(page, x + 100, y + 60)).join() === '233,236,239',
      'the placeholder drawn',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'images-missing.png') });
    await page.context().close();
  });
});
