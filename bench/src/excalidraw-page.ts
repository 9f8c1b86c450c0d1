/*
 * The Excalidraw benchmark page (bench/peers/excalidraw): built with the peers' Vite at bench time
 * and served from 127.0.0.1 by a small static server, with the scene as /scene.json.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PEERS_DIR = fileURLToPath(new URL('../peers', import.meta.url));
const PAGE_DIR = join(PEERS_DIR, 'excalidraw');
const DIST_DIR = join(PAGE_DIR, 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Builds the page into bench/peers/excalidraw/dist (a few seconds; the peers must be installed). */
export async function buildExcalidrawPage(): Promise<void> {
  const vite = join(PEERS_DIR, 'node_modules/.bin/vite');
  if (!existsSync(vite)) throw new Error('Excalidraw is a bench peer: run `pnpm --dir bench/peers install`');
  try {
    await promisify(execFile)(vite, ['build'], { cwd: PAGE_DIR });
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`building the Excalidraw page failed:\n${stderr || stdout || String(error)}`);
  }
}

export interface ServedPage {
  /** The page's URL, without a query. */
  url: string;
  close(): Promise<void>;
}

/** Serves the built page and `scene` (any JSON) as /scene.json on 127.0.0.1, on a free port. */
export async function serveExcalidrawPage(scene: unknown): Promise<ServedPage> {
  const sceneJson = Buffer.from(JSON.stringify(scene));
  const server: Server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === '/scene.json') {
      response.writeHead(200, { 'content-type': TYPES['.json']! }).end(sceneJson);
      return;
    }
    const file = normalize(join(DIST_DIR, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST_DIR + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response
        .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
        .end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
