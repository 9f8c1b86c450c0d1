import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
];

/** Where screenshots of the browser tests go (ignored by git; open them to look at the board). */
export const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Real headless Chromium (Debian's `chromium` package; CHROMIUM_PATH overrides). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = CANDIDATES.find((path) => path && existsSync(path));
  if (!executablePath) {
    throw new Error('No Chromium found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  }
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath,
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

/** Evaluates `fn` on the page's `<inkroom-board>` (inside the app's shadow root). */
export function onBoard<T>(page: Page, fn: (board: HTMLElement & Record<string, unknown>) => T): Promise<T> {
  return page.evaluate(
    `(${fn.toString()})(document.querySelector('inkroom-app').shadowRoot.querySelector('inkroom-board'))`,
  ) as Promise<T>;
}

/** Polls `check` in the page until it is true (bounded). */
export async function waitOnPage(
  page: Page,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 8000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(50);
  }
}

/** One element as `describeBoard()` lists it. */
export interface ElementSummary {
  id: string;
  kind: string;
  x: number;
  y: number;
  text?: string;
}

/** The elements of the page's board, as `describeBoard()` lists them. */
export function boardElements(page: Page): Promise<ElementSummary[]> {
  return onBoard(
    page,
    (board) =>
      (board as unknown as { describeBoard(): { elements: ElementSummary[] } }).describeBoard().elements,
  );
}

/**
 * Opens `url` (a board page) in a fresh browser context and waits until its board is synced;
 * `name` is the person's name the page starts with.
 */
export async function openSyncedPage(
  browser: Browser,
  url: string,
  options: { width?: number; height?: number; name?: string; hasTouch?: boolean; locale?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1100, height: options.height ?? 700 },
    hasTouch: options.hasTouch ?? false,
    ...(options.locale ? { locale: options.locale } : {}),
  });
  if (options.name !== undefined)
    await context.addInitScript((n) => localStorage.setItem('inkroom.name', n), options.name);
  const page = await context.newPage();
  await page.goto(url);
  await waitOnPage(
    page,
    async () => (await onBoard(page, (board) => board.status).catch(() => null)) === 'synced',
    `${options.name ?? 'the page'} synced`,
  );
  return page;
}

/** Presses at `from`, moves to `to` in `steps`, releases. */
export async function dragOn(
  page: Page,
  from: [number, number],
  to: [number, number],
  steps = 8,
): Promise<void> {
  await page.mouse.move(from[0], from[1]);
  await page.mouse.down();
  await page.mouse.move(to[0], to[1], { steps });
  await page.mouse.up();
}

/** A board's view: its top-left corner in board units, zoom, and size in CSS pixels. */
export interface BoardView {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

/** The page's board's view as it is now. */
export function boardView(page: Page): Promise<BoardView> {
  return onBoard(page, (board) => {
    const { x, y, zoom, width, height } = (board as unknown as { viewport: BoardView }).viewport;
    return { x, y, zoom, width, height };
  });
}

/** The board point at the middle of a view. */
export function viewCentre(view: BoardView): { x: number; y: number } {
  return { x: view.x + view.width / 2 / view.zoom, y: view.y + view.height / 2 / view.zoom };
}
