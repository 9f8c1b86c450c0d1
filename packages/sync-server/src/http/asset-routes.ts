import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sniffImageType } from '@inkroom/shared';
import type { Logger } from 'pino';
import { AccessError } from '../auth/AccessError.js';
import type { Authority } from '../auth/Authority.js';
import { isRefusal } from '../core/Session.js';
import type { AssetStore } from '../storage/AssetStore.js';
import { refusalStatus, requestToken } from './access-routes.js';
import { readBody, sendJson } from './json.js';

/** `/api/rooms/<room>/assets/<sha256 hex>`: a board's image. */
const ASSET_PATH = /^\/api\/rooms\/([^/]+)\/assets\/([^/]+)$/;
const HASH = /^[0-9a-f]{64}$/;

/** Anyone may embed a board, from any origin: images are read and uploaded across origins. */
const CROSS_ORIGIN = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'access-control-allow-methods': 'GET, HEAD, PUT, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
};

export interface ImageLimits {
  /** Largest image accepted, in bytes (413 beyond). */
  maxImageBytes: number;
  /** Bytes of images one room may hold, each image counted once (413 beyond). */
  maxRoomImageBytes: number;
}

/**
 * Images of a room: `PUT` stores one under its SHA-256 (write scope, the hash checked, the type
 * sniffed, the limits applied), `GET`/`HEAD` serve it (read scope) with immutable caching: a
 * hash names one content forever. Returns false for other paths.
 */
export function createAssetRoutes(options: {
  assets: AssetStore;
  authority: Authority;
  limits: ImageLimits;
  logger: Logger;
}): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  const { assets, authority, limits, logger } = options;
  return async (req, res, path) => {
    const match = ASSET_PATH.exec(path);
    if (!match) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CROSS_ORIGIN);
      res.end();
      return true;
    }
    const hash = match[2]!;
    let roomName: string;
    try {
      roomName = decodeURIComponent(match[1]!);
    } catch {
      sendJson(res, 400, { error: 'room name is not valid percent-encoding' }, CROSS_ORIGIN);
      return true;
    }
    if (!HASH.test(hash)) {
      sendJson(
        res,
        400,
        { error: 'an image is named by its SHA-256, in 64 lowercase hex digits' },
        CROSS_ORIGIN,
      );
      return true;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const access = await authority.check(roomName, requestToken(req, url.searchParams));
    if (isRefusal(access)) {
      sendJson(res, refusalStatus(access), { error: access.reason }, CROSS_ORIGIN);
      return true;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      const asset = await assets.get(hash);
      if (!asset) {
        sendJson(res, 404, { error: 'no such image' }, CROSS_ORIGIN);
        return true;
      }
      res.writeHead(200, {
        'content-type': asset.type,
        'content-length': String(asset.bytes.length),
        'cache-control': 'public, max-age=31536000, immutable',
        etag: `"${hash}"`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'",
        ...CROSS_ORIGIN,
      });
      res.end(req.method === 'HEAD' ? undefined : asset.bytes);
      return true;
    }
    if (req.method !== 'PUT') {
      sendJson(res, 405, { error: 'method not allowed' }, CROSS_ORIGIN);
      return true;
    }
    if (access.scope !== 'write') {
      sendJson(res, 403, { error: 'adding images needs write access to the room' }, CROSS_ORIGIN);
      return true;
    }
    try {
      const bytes = await readBody(req, limits.maxImageBytes);
      const type = sniffImageType(bytes);
      if (!type)
        throw new AccessError(
          415,
          'not a PNG, JPEG, GIF or WebP image (SVG is refused: it can carry scripts)',
        );
      if (createHash('sha256').update(bytes).digest('hex') !== hash)
        throw new AccessError(400, "the image's SHA-256 is not the one in its path");
      if (!(await assets.roomHas(access.room, hash))) {
        const total = (await assets.roomBytes(access.room)) + bytes.length;
        if (total > limits.maxRoomImageBytes)
          throw new AccessError(413, `the room's images would pass ${limits.maxRoomImageBytes} bytes`);
        await assets.put(access.room, hash, { bytes, type });
        logger.info({ room: access.room, bytes: bytes.length, type }, 'asset.stored');
      }
      sendJson(res, 201, { hash, type, bytes: bytes.length }, CROSS_ORIGIN);
    } catch (error) {
      if (!(error instanceof AccessError)) throw error;
      // The rest of a refused body is not read: the connection goes with the answer.
      res.setHeader('connection', 'close');
      logger.warn({ room: access.room, status: error.status, reason: error.message }, 'asset.refused');
      sendJson(res, error.status, { error: error.message }, CROSS_ORIGIN);
    }
    return true;
  };
}
