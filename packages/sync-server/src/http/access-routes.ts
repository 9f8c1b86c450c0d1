import type { IncomingMessage, ServerResponse } from 'node:http';
import { CloseCode } from '@inkroom/shared';
import { AccessError } from '../auth/AccessError.js';
import type { Authority } from '../auth/Authority.js';
import { bearerToken } from '../auth/secrets.js';
import type { Refusal } from '../core/Session.js';
import type { Logger } from '../logger.js';
import { readJson, sendJson } from './json.js';

/**
 * The access-control API:
 *   GET    /api/auth                        { mode, createRooms } (public: the app reads it)
 *   POST   /api/rooms                       links: a new room and its owner link
 *   POST   /api/rooms/<room>/session        links: { key } -> a short-lived token
 *   GET    /api/rooms/<room>/links          links, owner or admin: the room's links
 *   POST   /api/rooms/<room>/links          { scope, label?, expiresInSeconds? } -> a new link
 *   PATCH  /api/rooms/<room>/links/<id>     { scope }: its open sockets reconnect with it
 *   DELETE /api/rooms/<room>/links/<id>     revoked: its open sockets close within a second
 * (The admin API is in admin-routes.ts.) Room names are one percent-encoded path segment.
 */
export function createAccessRoutes(
  authority: Authority,
  logger: Logger,
  /**
   * Counts a new room against the request's address (false past its budget); called again with
   * the room's name once it exists, so the first connection to it does not count it twice.
   */
  takeNewRoom: (req: IncomingMessage, room: string | null) => boolean,
) {
  const handle = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const method = req.method ?? 'GET';
    if (path === '/api/auth') {
      sendJson(res, 200, { mode: authority.mode, createRooms: authority.createRooms });
      return true;
    }
    if (path === '/api/rooms' || path === '/api/rooms/') {
      if (method !== 'POST') return methodNotAllowed(res);
      requireLinks();
      if (authority.createRooms === 'admin' && !authority.isAdmin(bearerToken(req.headers.authorization)))
        throw new AccessError(401, 'on this server only the operator creates boards (admin token)');
      if (!takeNewRoom(req, null)) {
        sendJson(
          res,
          429,
          { error: 'too many new rooms from this address; try again shortly' },
          { 'retry-after': '60' },
        );
        return true;
      }
      const body = await readJson(req);
      const link = await authority.links.createRoom(body.room);
      takeNewRoom(req, link.room);
      logger.info({ room: link.room }, 'room.created');
      sendJson(res, 201, { room: link.room, link });
      return true;
    }
    const segments = path.slice('/api/rooms/'.length).split('/');
    if (!path.startsWith('/api/rooms/') || segments.length < 2) return false;
    const room = decodeSegment(segments[0]!);
    const [, what, id] = segments;
    if (what === 'session' && segments.length === 2) {
      if (method !== 'POST') return methodNotAllowed(res);
      requireLinks();
      const body = await readJson(req);
      sendJson(res, 200, await authority.links.exchange(room, body.key));
      return true;
    }
    if (what !== 'links' || segments.length > 3) return false;
    requireLinks();
    if (!(await authority.links.canManage(room, bearerToken(req.headers.authorization))))
      throw new AccessError(403, "only the room's owner link (or the admin token) manages its links");
    if (id === undefined) {
      if (method === 'GET') sendJson(res, 200, { links: await authority.links.listLinks(room) });
      else if (method === 'POST')
        sendJson(res, 201, await authority.links.createLink(room, await readJson(req)));
      else return methodNotAllowed(res);
      return true;
    }
    const linkId = decodeSegment(id);
    if (method === 'PATCH') {
      const body = await readJson(req);
      sendJson(res, 200, await authority.links.updateLink(room, linkId, { scope: body.scope }));
    } else if (method === 'DELETE') {
      await authority.links.deleteLink(room, linkId);
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
    } else return methodNotAllowed(res);
    return true;
  };

  function requireLinks(): void {
    if (authority.mode !== 'links')
      throw new AccessError(404, 'share links are off on this server (--auth links)');
  }

  /** Runs the API for a request; false when the path is not the API's. */
  return (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> =>
    handle(req, res, path).catch((error: unknown) => {
      if (error instanceof AccessError) {
        sendJson(res, error.status, { error: error.message });
        return true;
      }
      throw error;
    });
}

function methodNotAllowed(res: ServerResponse): true {
  sendJson(res, 405, { error: 'method not allowed' });
  return true;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AccessError(400, 'room name is not valid percent-encoding');
  }
}

/** The token of an HTTP read: `Authorization: Bearer`, or `?token=` for an `<img src>`. */
export function requestToken(req: IncomingMessage, query: URLSearchParams): string | null {
  return bearerToken(req.headers.authorization) ?? query.get('token');
}

/** The HTTP status of a refused read. */
export function refusalStatus(refusal: Refusal): number {
  if (refusal.refused === CloseCode.Unauthorized) return 401;
  if (refusal.refused === CloseCode.Forbidden) return 403;
  if (refusal.refused === CloseCode.InvalidRoom) return 400;
  return 500;
}
