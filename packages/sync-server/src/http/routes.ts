import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { Authority } from '../auth/Authority.js';
import type { PreviewLimits } from '../config.js';
import { isRefusal } from '../core/Session.js';
import { RoomDeletedError, type SyncStats } from '../core/SyncCore.js';
import type { Logger } from '../logger.js';
import type { PromTelemetry } from '../metrics/PromTelemetry.js';
import type { AssetStore } from '../storage/AssetStore.js';
import { createAccessRoutes, refusalStatus, requestToken } from './access-routes.js';
import { type AdminRouteOptions, createAdminRoutes } from './admin-routes.js';
import { createAssetRoutes, type ImageLimits } from './asset-routes.js';
import { sendJson } from './json.js';
import {
  NoSuchFrameError,
  PreviewBusyError,
  type PreviewError,
  PreviewTooLargeError,
  RoomPreviews,
} from './room-svg.js';
import { createVersionRoutes } from './version-routes.js';

export interface RouteOptions {
  /** Folder of the built board app, or null. */
  staticDir: string | null;
  stats: () => SyncStats;
  startedAt: number;
  /** A room's document as one update; null for an invalid room name. */
  readRoom: (roomName: string) => Promise<Uint8Array | null>;
  /** Access control: who may read a room, and the access API. */
  authority: Authority;
  /** Counts a new room against a client address's budget (a named one once); false past it. */
  takeNewRoom: (address: string, room: string | null) => boolean;
  /** The client address of a request (the socket's, or X-Forwarded-For's with --trust-proxy). */
  clientAddress: (req: IncomingMessage) => string;
  previewLimits: PreviewLimits;
  /** Where a board's images are kept, and how large they may be. */
  assets: AssetStore;
  imageLimits: ImageLimits;
  metrics: PromTelemetry;
  /** Null when ready to serve; otherwise why not (draining, storage not writable). */
  notReady: () => Promise<string | null>;
  admin: AdminRouteOptions;
  /** The admin API and /metrics are served on --admin-port, not here. */
  adminPortSeparate: boolean;
  logger: Logger;
}

const PLACEHOLDER = `<!doctype html>
<meta charset="utf-8"><title>Inkroom</title>
<h1>Inkroom sync server</h1>
<p>The sync endpoint is up. The board app has not been built: run <code>pnpm build</code>.</p>`;

/** Anyone may embed the board or show a preview, from any origin. */
const CROSS_ORIGIN = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };

/**
 * Static headers: hashed app assets never change; the embeddable script may, so it is fresh
 * for five minutes and then, for a week, used at once while checked in the background. A page
 * that embeds the board therefore reloads with its script even while the server is down.
 */
function staticHeaders(res: ServerResponse, pathname: string): void {
  if (pathname.endsWith('.html')) {
    // Pages name the hashed assets of their build: a cached old page would load missing files.
    res.setHeader('cache-control', 'no-cache');
  } else if (pathname.startsWith('/assets/')) {
    res.setHeader('cache-control', 'public, max-age=31536000, immutable');
  } else if (pathname === '/sw.js') {
    // Browsers check a service worker for updates; it must never come from a stale cache.
    res.setHeader('cache-control', 'no-cache');
  } else if (pathname === '/inkroom-board.js' || pathname === '/inkroom-board.js.map') {
    res.setHeader('cache-control', 'public, max-age=300, stale-while-revalidate=604800');
    for (const [name, value] of Object.entries(CROSS_ORIGIN)) res.setHeader(name, value);
  }
}

const SVG_PREFIX = '/api/rooms/';
/** One frame of a room, drawn. */
const FRAME_SVG = /^\/api\/rooms\/([^/]+)\/frames\/([^/]+)\.svg$/;
/** A room's versions, and what is under them (see version-routes.ts). */
const VERSION_PATH = /^\/api\/rooms\/[^/]+\/versions(\/|$)/;

async function serveRoomSvg(
  req: IncomingMessage,
  res: ServerResponse,
  previews: RoomPreviews,
  authority: Authority,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  // `/api/rooms/<room>.svg`, or one frame: `/api/rooms/<room>/frames/<id>.svg`.
  const frameMatch = FRAME_SVG.exec(url.pathname);
  let roomName: string;
  let frame: string | null = null;
  try {
    roomName = decodeURIComponent(
      frameMatch ? frameMatch[1]! : url.pathname.slice(SVG_PREFIX.length, -'.svg'.length),
    );
    if (frameMatch) frame = decodeURIComponent(frameMatch[2]!);
  } catch {
    return sendJson(res, 400, { error: 'room name is not valid percent-encoding' }, CROSS_ORIGIN);
  }
  // With access control on, reading a room needs a token for it (read scope is enough).
  const access = await authority.check(roomName, requestToken(req, url.searchParams));
  if (isRefusal(access)) return sendJson(res, refusalStatus(access), { error: access.reason }, CROSS_ORIGIN);
  const preview = await previews.prepare(roomName, url.searchParams, undefined, frame);
  if ('error' in preview) {
    const failure = preview as PreviewError;
    return sendJson(res, failure.status, { error: failure.error }, CROSS_ORIGIN);
  }
  const headers = {
    'content-type': 'image/svg+xml; charset=utf-8',
    'cache-control': 'no-cache',
    etag: preview.etag,
    ...CROSS_ORIGIN,
  };
  const known = (req.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (known.includes(preview.etag) || known.includes('*')) {
    res.writeHead(304, headers);
    return void res.end();
  }
  if (req.method === 'HEAD') {
    res.writeHead(200, headers);
    return void res.end();
  }
  let svg: string;
  try {
    svg = await preview.render();
  } catch (error) {
    if (error instanceof PreviewTooLargeError)
      return sendJson(res, 413, { error: error.message }, CROSS_ORIGIN);
    if (error instanceof PreviewBusyError)
      return sendJson(res, 503, { error: error.message }, { ...CROSS_ORIGIN, 'retry-after': '1' });
    if (error instanceof NoSuchFrameError) return sendJson(res, 404, { error: error.message }, CROSS_ORIGIN);
    throw error;
  }
  res.writeHead(200, headers);
  res.end(svg);
}

function methodNotAllowed(res: ServerResponse): true {
  sendJson(res, 405, { error: 'method not allowed' });
  return true;
}

/** A request's route, for the requests metric: a few fixed words, never a room name. */
function routeOf(path: string): string {
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return path.slice(1);
  if (VERSION_PATH.test(path)) return 'versions';
  if (path.startsWith(SVG_PREFIX) && path.endsWith('.svg')) return 'preview';
  if (path.startsWith('/api/admin/')) return 'admin';
  if (path.startsWith(SVG_PREFIX) && path.includes('/assets/')) return 'asset';
  if (path.startsWith('/api/')) return 'api';
  return 'app';
}

/**
 * What operators use: /healthz (alive), /readyz (storage writable, not draining), /metrics and the
 * admin API. Served on the main port, or on its own with --admin-port. False when the path is
 * not one of these.
 */
export function operatorRoutes(
  options: RouteOptions,
): (req: IncomingMessage, res: ServerResponse, path: string) => boolean {
  const adminApi = createAdminRoutes(options.admin);
  return (req, res, path) => {
    if (path === '/metrics') {
      if (req.method !== 'GET') return methodNotAllowed(res);
      options.metrics.scrape().then(
        ({ body, contentType }) => {
          res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
          res.end(body);
        },
        (error: unknown) => {
          options.logger.error({ err: error }, 'http.error');
          sendJson(res, 500, { error: 'metrics failed' });
        },
      );
      return true;
    }
    if (path === '/readyz') {
      // Ready: storage takes writes and the server is not draining (503 from SIGTERM on).
      options
        .notReady()
        .then((why) =>
          sendJson(res, why ? 503 : 200, why ? { status: 'unavailable', reason: why } : { status: 'ready' }),
        );
      return true;
    }
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res);
      sendJson(res, 200, {
        status: 'ok',
        ...options.stats(),
        uptimeSeconds: Math.round((Date.now() - options.startedAt) / 1000),
      });
      return true;
    }
    if (path.startsWith('/api/admin/')) {
      adminApi(req, res, path).catch((error: unknown) => {
        options.logger.error({ err: error, path }, 'http.error');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
        else res.destroy();
      });
      return true;
    }
    return false;
  };
}

/** The admin listener's handler (--admin-port): the operator routes alone. */
export function createAdminRequestHandler(
  options: RouteOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const operator = operatorRoutes(options);
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.once('finish', () => options.metrics.request(routeOf(path), res.statusCode));
    if (!operator(req, res, path)) sendJson(res, 404, { error: 'not found' });
  };
}

/** The HTTP side of the server: health, metrics, room previews, the API, then the board app's files. */
export function createRequestHandler(
  options: RouteOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const serveApp =
    options.staticDir && existsSync(options.staticDir)
      ? // `single`: unknown paths such as /r/<room> get index.html, where the app routes them.
        sirv(options.staticDir, {
          single: true,
          etag: true,
          gzip: true,
          brotli: true,
          setHeaders: staticHeaders,
        })
      : null;
  const previews = new RoomPreviews(options.readRoom, options.previewLimits, (seconds) =>
    options.metrics.previewDrawn(seconds),
  );
  const accessApi = createAccessRoutes(options.authority, options.logger, (req, room) =>
    options.takeNewRoom(options.clientAddress(req), room),
  );
  const operator = operatorRoutes(options);
  const versionApi = createVersionRoutes({
    core: options.admin.core,
    authority: options.authority,
    previews,
    logger: options.logger,
  });
  const assetApi = createAssetRoutes({
    assets: options.assets,
    authority: options.authority,
    limits: options.imageLimits,
    logger: options.logger,
  });
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.once('finish', () => options.metrics.request(routeOf(path), res.statusCode));
    if (path === '/healthz' || path === '/readyz') return void operator(req, res, path);
    if (path === '/metrics' || path.startsWith('/api/admin/')) {
      if (options.adminPortSeparate)
        return sendJson(res, 404, {
          error: 'the admin API and /metrics are on the admin port (--admin-port)',
        });
      return void operator(req, res, path);
    }
    if (VERSION_PATH.test(path)) {
      versionApi(req, res, path)
        .then((handled) => {
          if (!handled) sendJson(res, 404, { error: 'not found' }, CROSS_ORIGIN);
        })
        .catch((error: unknown) => {
          if (error instanceof RoomDeletedError && !res.headersSent)
            return sendJson(res, 410, { error: 'the room is deleted' }, CROSS_ORIGIN);
          options.logger.error({ err: error, path }, 'http.error');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error' }, CROSS_ORIGIN);
          else res.destroy();
        });
      return;
    }
    if (path.startsWith(SVG_PREFIX) && path.endsWith('.svg')) {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: 'method not allowed' });
      serveRoomSvg(req, res, previews, options.authority).catch((error: unknown) => {
        if (error instanceof RoomDeletedError && !res.headersSent)
          return sendJson(res, 410, { error: 'the room is deleted' }, CROSS_ORIGIN);
        options.logger.error({ err: error, path }, 'http.error');
        if (!res.headersSent) sendJson(res, 500, { error: 'the preview failed' }, CROSS_ORIGIN);
        else res.destroy();
      });
      return;
    }
    if (path.startsWith('/api/')) {
      assetApi(req, res, path)
        .then((handled) => handled || accessApi(req, res, path))
        .then(
          (handled) => {
            if (!handled) sendJson(res, 404, { error: 'not found' });
          },
          (error: unknown) => {
            options.logger.error({ err: error, path }, 'http.error');
            if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
            else res.destroy();
          },
        );
      return;
    }
    if (serveApp) return serveApp(req, res, () => sendJson(res, 404, { error: 'not found' }));
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(PLACEHOLDER);
    }
    sendJson(res, 404, { error: 'not found' });
  };
}
