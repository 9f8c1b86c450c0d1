import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { SyncStats } from '../core/SyncCore.js';

export interface RouteOptions {
  /** Folder of the built board app, or null. */
  staticDir: string | null;
  stats: () => SyncStats;
  startedAt: number;
}

const PLACEHOLDER = `<!doctype html>
<meta charset="utf-8"><title>Inkroom</title>
<h1>Inkroom sync server</h1>
<p>The sync endpoint is up. The board app has not been built: run <code>pnpm build</code>.</p>`;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The HTTP side of the server: health, then the board app's static files. */
export function createRequestHandler(
  options: RouteOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const serveApp =
    options.staticDir && existsSync(options.staticDir)
      ? // `single`: unknown paths such as /r/<room> get index.html, where the app routes them.
        sirv(options.staticDir, { single: true, etag: true, gzip: true, brotli: true })
      : null;
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: 'method not allowed' });
      return sendJson(res, 200, {
        status: 'ok',
        ...options.stats(),
        uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
      });
    }
    if (serveApp) return serveApp(req, res, () => sendJson(res, 404, { error: 'not found' }));
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(PLACEHOLDER);
    }
    sendJson(res, 404, { error: 'not found' });
  };
}
