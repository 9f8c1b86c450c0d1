import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRoomId } from '@inkroom/shared';
import type { Logger } from 'pino';
import { AccessError } from '../auth/AccessError.js';
import type { Authority } from '../auth/Authority.js';
import { MAX_VERSION_NAME } from '../core/RoomVersions.js';
import { isRefusal } from '../core/Session.js';
import type { SyncCore } from '../core/SyncCore.js';
import type { VersionInfo } from '../storage/VersionStore.js';
import { refusalStatus, requestToken } from './access-routes.js';
import { readJson, sendJson } from './json.js';
import { PreviewBusyError, type PreviewError, PreviewTooLargeError, type RoomPreviews } from './room-svg.js';

/** `/api/rooms/<room>/versions`, and one version: `.svg`, `.yjs` or `/restore`. */
const VERSIONS = /^\/api\/rooms\/([^/]+)\/versions$/;
const VERSION = /^\/api\/rooms\/([^/]+)\/versions\/(\d{1,15})(\.svg|\.yjs|\/restore)$/;

/** Embedded boards read (and restore) versions from other origins. */
const CROSS_ORIGIN = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-max-age': '600',
};

/** What the API says of a version. */
function shown(version: VersionInfo) {
  return {
    id: version.id,
    time: version.time,
    ...(version.name === null ? {} : { name: version.name }),
    authors: version.authors,
    bytes: version.bytes,
  };
}

/**
 * A room's version history over HTTP. With the room's read scope: `GET .../versions` lists
 * `{ versions: [{ id, time, name?, authors, bytes }] }` oldest first, `GET .../versions/<id>.svg`
 * draws one (the preview's options), `GET .../versions/<id>.yjs` is one as a Yjs update (what the
 * board shows and restores from). With write scope: `POST .../versions` (`{ "name": ... }`)
 * records one now, `POST .../versions/<id>/restore` makes the room hold it again, as a forward
 * change. Returns false for other paths.
 */
export function createVersionRoutes(options: {
  core: SyncCore;
  authority: Authority;
  previews: RoomPreviews;
  logger: Logger;
}): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<boolean> {
  const { core, authority, previews, logger } = options;
  return async (req, res, path) => {
    const match = VERSIONS.exec(path) ?? VERSION.exec(path);
    if (!match) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CROSS_ORIGIN);
      res.end();
      return true;
    }
    const fail = (status: number, error: string, headers: Record<string, string> = {}) => {
      sendJson(res, status, { error }, { ...CROSS_ORIGIN, ...headers });
      return true;
    };
    let roomName: string;
    try {
      roomName = decodeURIComponent(match[1]!);
    } catch {
      return fail(400, 'room name is not valid percent-encoding');
    }
    const room = parseRoomId(roomName);
    if (!room) return fail(400, 'not a valid room name');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const access = await authority.check(roomName, requestToken(req, url.searchParams));
    if (isRefusal(access)) return fail(refusalStatus(access), access.reason);
    const id = match[2] === undefined ? null : Number(match[2]);
    const action = match[3] ?? null;
    const reading = req.method === 'GET' || req.method === 'HEAD';
    if (action === '/restore' || (id === null && !reading)) {
      if (req.method !== 'POST') return fail(405, 'method not allowed');
      if (access.scope !== 'write') return fail(403, 'this needs write access to the room');
    } else if (!reading) return fail(405, 'method not allowed');

    if (id === null && reading) {
      const versions = await core.listVersions(room);
      sendJson(res, 200, { versions: (versions ?? []).map(shown) }, CROSS_ORIGIN);
      return true;
    }
    if (id === null) {
      let name: string | null = null;
      try {
        const body = await readJson(req);
        if (body.name !== undefined && body.name !== null) {
          if (
            typeof body.name !== 'string' ||
            body.name.trim().length === 0 ||
            body.name.length > MAX_VERSION_NAME
          )
            throw new AccessError(400, `name must be a text of 1 to ${MAX_VERSION_NAME} characters`);
          name = body.name.trim();
        }
      } catch (error) {
        if (error instanceof AccessError) return fail(error.status, error.message);
        throw error;
      }
      const version = await core.recordVersion(room, name);
      logger.info({ room, version: version.id, named: name !== null }, 'room.version_recorded');
      sendJson(res, 201, { version: shown(version) }, CROSS_ORIGIN);
      return true;
    }
    if (action === '/restore') {
      const result = await core.restoreVersion(room, id, access.name ?? null);
      if (!result) return fail(404, 'no such version');
      sendJson(res, 200, { restored: id, ...result }, CROSS_ORIGIN);
      return true;
    }
    if (action === '.yjs') {
      const update = await core.readVersion(room, id);
      if (!update) return fail(404, 'no such version');
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(update.length),
        // A version never changes once made (thinning folds others into it, not its content).
        'cache-control': 'private, max-age=31536000, immutable',
        ...CROSS_ORIGIN,
      });
      res.end(req.method === 'HEAD' ? undefined : update);
      return true;
    }
    const update = await core.readVersion(room, id);
    if (!update) return fail(404, 'no such version');
    const preview = await previews.prepare(roomName, url.searchParams, async () => update);
    if ('error' in preview) return fail((preview as PreviewError).status, (preview as PreviewError).error);
    let svg: string;
    try {
      svg = await preview.render();
    } catch (error) {
      if (error instanceof PreviewTooLargeError) return fail(413, error.message);
      if (error instanceof PreviewBusyError) return fail(503, error.message, { 'retry-after': '1' });
      throw error;
    }
    res.writeHead(200, {
      'content-type': 'image/svg+xml; charset=utf-8',
      'cache-control': 'private, max-age=31536000, immutable',
      etag: preview.etag,
      ...CROSS_ORIGIN,
    });
    res.end(req.method === 'HEAD' ? undefined : svg);
    return true;
  };
}
