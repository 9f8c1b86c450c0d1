import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createToken } from '@inkroom/sync-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, onBoard, waitOnPage } from './helpers/browser.js';
import { connectClient, waitFor } from './helpers/clients.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));

interface Snapshot {
  count: number;
  status: string;
  peers: { name: string; laser: number }[];
}

function snapshot(page: Page): Promise<Snapshot> {
  return onBoard(page, (board) => (board as unknown as { describeBoard(): Snapshot }).describeBoard());
}

function canEdit(page: Page): Promise<boolean> {
  return onBoard(page, (board) => (board as unknown as { canEdit: boolean }).canEdit);
}

/** Evaluates in the app's shadow root. */
function inApp<T>(page: Page, fn: (root: ShadowRoot) => T): Promise<T> {
  return page.evaluate(`(${fn.toString()})(document.querySelector('inkroom-app').shadowRoot)`) as Promise<T>;
}

async function drag(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  await page.mouse.move(from[0], from[1]);
  await page.mouse.down();
  await page.mouse.move(to[0], to[1], { steps: 8 });
  await page.mouse.up();
}

describe('share links in the browser: owner, viewer and editor pages', () => {
  let t: TestServer;
  let browser: Browser;
  let owner: Page;
  let viewer: Page;
  let editor: Page;
  let room = '';

  async function newPage(url: string, name: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    await context.addInitScript((n) => localStorage.setItem('inkroom.name', n), name);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.httpUrl });
    const page = await context.newPage();
    await page.goto(url);
    return page;
  }

  async function synced(page: Page, what: string): Promise<void> {
    await waitOnPage(page, async () => (await snapshot(page).catch(() => null))?.status === 'synced', what);
  }

  /** Creates a link in the owner's Share dialog and returns its URL (as copied to the clipboard). */
  async function makeLink(scope: 'read' | 'write', label: string): Promise<string> {
    await owner.evaluate(
      ([s, l]) => {
        const share = document.querySelector('inkroom-app')!.shadowRoot!.querySelector('inkroom-share')!
          .shadowRoot!;
        (share.querySelector('select[name=scope]') as HTMLSelectElement).value = s!;
        (share.querySelector('input[name=label]') as HTMLInputElement).value = l!;
        (share.querySelector('button[type=submit]') as HTMLButtonElement).click();
      },
      [scope, label],
    );
    await waitOnPage(
      owner,
      () =>
        owner.evaluate(
          (l) =>
            [
              ...document
                .querySelector('inkroom-app')!
                .shadowRoot!.querySelector('inkroom-share')!
                .shadowRoot!.querySelectorAll('li'),
            ].some((li) => li.textContent!.includes(l)),
          label,
        ),
      `the ${label} link listed`,
    );
    await owner.evaluate((l) => {
      const items = document
        .querySelector('inkroom-app')!
        .shadowRoot!.querySelector('inkroom-share')!
        .shadowRoot!.querySelectorAll('li');
      const item = [...items].find((li) => li.textContent!.includes(l))!;
      (item.querySelector('button.copy') as HTMLButtonElement).click();
    }, label);
    await owner.waitForTimeout(100);
    return owner.evaluate(() => navigator.clipboard.readText());
  }

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST, auth: 'links' });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  it('"New board" creates a room with an owner link; the owner draws', async () => {
    owner = await newPage(`${t.httpUrl}/`, 'Olivia');
    await waitOnPage(
      owner,
      () => inApp(owner, (root) => root.querySelector('button.primary') !== null),
      'start page',
    );
    await inApp(owner, (root) => (root.querySelector('button.primary') as HTMLButtonElement).click());
    await synced(owner, 'owner synced');
    const url = new URL(owner.url());
    room = decodeURIComponent(url.pathname.slice(3));
    // The owner key is kept on the device, out of the address bar.
    expect(url.hash).toBe('');
    expect(await owner.evaluate((r) => localStorage.getItem(`inkroom.key:${r}`), room)).toMatch(
      /^\w+\.[\w-]+$/,
    );
    expect(await inApp(owner, (root) => root.querySelector('.role')?.textContent)).toBe('Owner');
    await owner.keyboard.press('p');
    await drag(owner, [300, 300], [420, 360]);
    await waitOnPage(owner, async () => (await snapshot(owner)).count === 1, 'the stroke');
  });

  it('a view link shows the board but allows no change; an edit link allows drawing', async () => {
    await inApp(owner, (root) => (root.querySelector('button.share') as HTMLButtonElement).click());
    const viewUrl = await makeLink('read', 'Client review');
    const editUrl = await makeLink('write', 'Design team');
    expect(viewUrl).toContain(`/r/${room}#k=`);
    viewer = await newPage(viewUrl, 'Victor');
    editor = await newPage(editUrl, 'Edith');
    await Promise.all([synced(viewer, 'viewer synced'), synced(editor, 'editor synced')]);
    expect((await snapshot(viewer)).count).toBe(1);
    expect(await canEdit(viewer)).toBe(false);
    expect(await canEdit(editor)).toBe(true);
    expect(await inApp(viewer, (root) => root.querySelector('.role')?.textContent)).toBe('View only');
    // The viewer has no tools; a drag and every key shortcut change nothing.
    await viewer.keyboard.press('p');
    await drag(viewer, [500, 300], [600, 400]);
    await viewer.keyboard.press('Control+a');
    await viewer.keyboard.press('Delete');
    // Not even through the board's document: the server drops what a viewer sends.
    await onBoard(viewer, (board) => {
      const doc = (board as unknown as { doc: { getMap(n: string): { set(k: string, v: unknown): void } } })
        .doc;
      doc.getMap('elements').set('forged', 'by the viewer');
    });
    await editor.keyboard.press('r');
    await drag(editor, [600, 250], [750, 350]);
    await waitOnPage(
      owner,
      async () => (await snapshot(owner)).count === 2,
      "the editor's rectangle at the owner",
    );
    await waitOnPage(
      viewer,
      async () => (await snapshot(viewer)).count >= 2,
      "the editor's rectangle at the viewer",
    );
    // The viewer appears in everyone's people list.
    await waitOnPage(
      owner,
      async () => (await snapshot(owner)).peers.some((p) => p.name === 'Victor'),
      'the viewer among the people',
    );
    // A viewer still points with the laser (K), which changes nothing: the owner sees its trail.
    // It may not ask everyone to follow it.
    expect(await inApp(viewer, (root) => root.querySelector('.spotlight-toggle'))).toBeNull();
    await viewer.keyboard.press('k');
    await viewer.mouse.move(300, 500);
    await viewer.mouse.down();
    await viewer.mouse.move(500, 560, { steps: 20 });
    await waitOnPage(
      owner,
      async () => ((await snapshot(owner)).peers.find((p) => p.name === 'Victor')?.laser ?? 0) > 3,
      "the viewer's laser at the owner",
    );
    await viewer.mouse.up();
    const doc = new (await import('yjs')).Doc();
    (await import('yjs')).applyUpdate(doc, (await t.server.core.readRoom(room))!);
    expect(doc.getMap('elements').size).toBe(2);
    expect(doc.getMap('elements').has('forged')).toBe(false);
    await viewer.screenshot({ path: join(ARTIFACTS, 'access-viewer.png') });
    await owner.screenshot({ path: join(ARTIFACTS, 'access-owner-share.png') });
  });

  it("a stock y-websocket client with the view link's token changes nothing either", async () => {
    const key = await viewer.evaluate((r) => localStorage.getItem(`inkroom.key:${r}`), room);
    const res = await fetch(`${t.httpUrl}/api/rooms/${encodeURIComponent(room)}/session`, {
      method: 'POST',
      body: JSON.stringify({ key }),
    });
    const { token } = (await res.json()) as { token: string };
    const client = connectClient(t.wsUrl, room, { params: { token } });
    await client.synced;
    client.doc.getMap('elements').set('stock', 'client');
    await waitFor(() => t.server.core.stats().readOnlyUpdatesDropped > 0, 'the update dropped');
    const Y = await import('yjs');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.server.core.readRoom(room))!);
    expect(doc.getMap('elements').has('stock')).toBe(false);
    client.destroy();
  });

  it('revoking the edit link cuts that page off within a second', async () => {
    const closed = editor.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const board = document.querySelector('inkroom-app')!.shadowRoot!.querySelector('inkroom-board')!;
          const started = performance.now();
          board.addEventListener('inkroom-status', (event) => {
            const detail = (event as CustomEvent<{ status: string; reason?: string }>).detail;
            if (detail.reason) resolve(performance.now() - started);
          });
        }),
    );
    await owner.evaluate(() => {
      const share = document.querySelector('inkroom-app')!.shadowRoot!.querySelector('inkroom-share')!
        .shadowRoot!;
      const item = [...share.querySelectorAll('li')].find((li) => li.textContent!.includes('Design team'))!;
      (item.querySelector('button.revoke') as HTMLButtonElement).click();
    });
    expect(await closed).toBeLessThan(1000);
    const badge = await onBoard(editor, (board) => board.shadowRoot!.querySelector('.status')!.textContent);
    expect(badge).toMatch(/4403/);
    // Nothing drawn now could reach anyone: the board offers no tools.
    expect(await canEdit(editor)).toBe(false);
    // Its drawing no longer reaches anyone.
    await editor.keyboard.press('r');
    await drag(editor, [300, 500], [400, 600]);
    await owner.waitForTimeout(300);
    expect((await snapshot(owner)).count).toBe(2);
    await editor.screenshot({ path: join(ARTIFACTS, 'access-revoked.png') });
    expect(await inApp(editor, (root) => root.querySelector('.role')?.textContent)).toBe('No access');
    // Reloaded, the revoked link gives no token: no tools, a plain reason, and the key is forgotten.
    await editor.reload();
    await waitOnPage(
      editor,
      async () =>
        /No access: this link does not open this room/.test(
          (await onBoard(
            editor,
            (board) => board.shadowRoot?.querySelector('.status')?.textContent ?? '',
          ).catch(() => '')) as string,
        ),
      'the refusal after a reload',
    );
    expect(await canEdit(editor)).toBe(false);
    expect(await editor.evaluate((r) => localStorage.getItem(`inkroom.key:${r}`), room)).toBeNull();
    await editor.reload();
    await waitOnPage(
      editor,
      () => inApp(editor, (root) => root.textContent?.includes('This board is private') ?? false),
      'the private-board card',
    );
  });
});

describe('an embedded board with --auth tokens and a CLI-style token', () => {
  const SECRET = 'embed-e2e-secret-0123456789-abcdefghijk';
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer({ staticDir: APP_DIST, auth: 'tokens', authSecret: SECRET });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.cleanup();
  });

  async function embed(attributes: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${t.httpUrl}/embed-example.html`);
    await page.setContent(
      `<script type="module" src="${t.httpUrl}/inkroom-board.js"></script>
       <inkroom-board server="${t.wsUrl}" room="embedded" ${attributes} style="height:400px"></inkroom-board>`,
    );
    return page;
  }

  const status = (page: Page) =>
    page.evaluate(() => {
      const board = document.querySelector('inkroom-board') as unknown as {
        status: string;
        shadowRoot: ShadowRoot;
      };
      return { status: board.status, badge: board.shadowRoot?.querySelector('.status')?.textContent ?? '' };
    });

  it('syncs with a token attribute, shows 4401 without one, and renews through tokenProvider', async () => {
    const { token } = await createToken({ secret: SECRET, room: 'embedded', scope: 'write', ttl: '1h' });
    const withToken = await embed(`token="${token}"`);
    await waitOnPage(
      withToken,
      async () => (await status(withToken)).status === 'synced',
      'token board synced',
    );
    const without = await embed('');
    await waitOnPage(without, async () => /4401/.test((await status(without)).badge), 'the 4401 shown');
    // A provider handing out 3-second tokens: the board renews them in-band and stays live.
    await withToken.exposeFunction(
      'mintToken',
      async () => (await createToken({ secret: SECRET, room: 'embedded', scope: 'write', ttl: 3 })).token,
    );
    const renewing = await embed('');
    await renewing.exposeFunction(
      'mintShort',
      async () => (await createToken({ secret: SECRET, room: 'embedded', scope: 'write', ttl: 3 })).token,
    );
    await renewing.evaluate(() => {
      const board = document.querySelector('inkroom-board') as unknown as {
        tokenProvider: () => Promise<string>;
      };
      board.tokenProvider = () => (window as unknown as { mintShort(): Promise<string> }).mintShort();
    });
    await waitOnPage(
      renewing,
      async () => (await status(renewing)).status === 'synced',
      'renewing board synced',
    );
    const statuses: string[] = [];
    await renewing.exposeFunction('seen', (s: string) => statuses.push(s));
    await renewing.evaluate(() =>
      document
        .querySelector('inkroom-board')!
        .addEventListener('inkroom-status', (e) =>
          (window as unknown as { seen(s: string): void }).seen(
            (e as CustomEvent<{ status: string }>).detail.status,
          ),
        ),
    );
    await renewing.waitForTimeout(7000);
    expect((await status(renewing)).status).toBe('synced');
    expect(statuses).toEqual([]);
    const read = await createToken({ secret: SECRET, room: 'embedded', scope: 'read', ttl: '1h' });
    const viewer = await embed(`token="${read.token}"`);
    await waitOnPage(viewer, async () => (await status(viewer)).status === 'synced', 'read board synced');
    expect(
      await viewer.evaluate(
        () => (document.querySelector('inkroom-board') as unknown as { canEdit: boolean }).canEdit,
      ),
    ).toBe(false);
    expect((await status(viewer)).badge).toMatch(/read-only/);
  }, 30_000);
});
