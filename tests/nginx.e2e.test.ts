import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addElement, listElements } from '@inkroom/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser, onBoard, waitOnPage } from './helpers/browser.js';
import { connectClient, waitFor } from './helpers/clients.js';
import { freePort } from './helpers/ports.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const APP_DIST = fileURLToPath(new URL('../packages/canvas-app/dist', import.meta.url));
const DOCUMENTED = fileURLToPath(new URL('../docs/deploy/nginx.conf', import.meta.url));
const DEPLOY_DOC = fileURLToPath(new URL('../docs/deploy.md', import.meta.url));
const NGINX = [process.env.NGINX_PATH, '/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => p && existsSync(p));

/**
 * The documented server block, run as it is but for its ports: nginx listens on a free port of
 * 127.0.0.1 and proxies to the test's Inkroom.
 */
async function documentedConfig(listen: number, upstream: number): Promise<string> {
  const block = await readFile(DOCUMENTED, 'utf8');
  const adapted = block
    .replace('server 127.0.0.1:1234;', `server 127.0.0.1:${upstream};`)
    .replace('listen 80;', `listen 127.0.0.1:${listen};`);
  expect(adapted).not.toBe(block);
  return adapted;
}

describe('Inkroom behind nginx, with the documented configuration', () => {
  let t: TestServer;
  let nginx: ChildProcess;
  let dir: string;
  let proxied: string;
  let browser: Browser;
  let nginxLog = '';

  beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is missing: the test command installs it (apt-get install nginx)');
    t = await startTestServer({ staticDir: APP_DIST, trustProxy: true });
    dir = await mkdtemp(join(tmpdir(), 'inkroom-nginx-'));
    await mkdir(join(dir, 'conf.d'));
    const port = await freePort();
    await writeFile(join(dir, 'conf.d', 'inkroom.conf'), await documentedConfig(port, t.server.port));
    // A main configuration of its own: pid, logs and temp files in the temp folder.
    await writeFile(
      join(dir, 'nginx.conf'),
      `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/conf.d/*.conf;
}
`,
    );
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
    nginx.stderr!.on('data', (chunk: Buffer) => {
      nginxLog += chunk.toString();
    });
    proxied = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await fetch(`${proxied}/healthz`).then(
        (res) => res.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline || nginx.exitCode !== null)
        throw new Error(`nginx did not start: ${nginxLog}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await t?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is the configuration docs/deploy.md shows', async () => {
    const doc = await readFile(DEPLOY_DOC, 'utf8');
    const directives = (await readFile(DOCUMENTED, 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    for (const directive of directives) expect(doc).toContain(directive);
  });

  it('a stock y-websocket client through nginx syncs with one connected directly', async () => {
    const viaProxy = connectClient(proxied.replace('http', 'ws'), 'proxied-room');
    const direct = connectClient(t.wsUrl, 'proxied-room');
    await Promise.all([viaProxy.synced, direct.synced]);
    addElement(viaProxy.doc, { kind: 'sticky', text: 'through nginx' });
    await waitFor(() => listElements(direct.doc).length === 1, 'the note, direct');
    addElement(direct.doc, { kind: 'rectangle', width: 10, height: 10 });
    await waitFor(() => listElements(viaProxy.doc).length === 2, 'the rectangle, through nginx');
    // Inkroom sees the client's address from X-Forwarded-For (--trust-proxy), and nginx hides the admin API.
    expect((await fetch(`${proxied}/api/admin/rooms`)).status).toBe(404);
    expect((await fetch(`${proxied}/metrics`)).status).toBe(404);
    viaProxy.destroy();
    direct.destroy();
  });

  it('the board page through nginx draws with a stock client connected directly', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1000, height: 650 } })).newPage();
    await page.goto(`${proxied}/r/proxied-board`);
    await waitOnPage(
      page,
      async () =>
        (await onBoard(page, (board) => (board as unknown as { status: string }).status).catch(() => '')) ===
        'synced',
      'the board synced through nginx',
    );
    const direct = connectClient(t.wsUrl, 'proxied-board');
    await direct.synced;
    await page.keyboard.press('p');
    await page.mouse.move(300, 300);
    await page.mouse.down();
    await page.mouse.move(450, 380, { steps: 8 });
    await page.mouse.up();
    await waitFor(() => listElements(direct.doc).length === 1, "the page's stroke, direct");
    addElement(direct.doc, { kind: 'sticky', text: 'from the direct client', x: 500, y: 200 });
    await waitOnPage(
      page,
      async () =>
        (await onBoard(page, (board) => (board as unknown as { elementCount: number }).elementCount)) === 2,
      'the note on the page',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'board-through-nginx.png') });
    direct.destroy();
  });
});
