import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import {
  boardToJSON,
  createBoardDoc,
  isAccessScope,
  listElements,
  parseRoomId,
  type RoomId,
  sniffImageType,
} from '@inkroom/shared';
import * as Y from 'yjs';
import { AccessError } from '../auth/AccessError.js';
import type { Authority, BackupRecord } from '../auth/Authority.js';
import { parseDuration } from '../auth/durations.js';
import { bearerToken } from '../auth/secrets.js';
import { RoomDeletedError, type SyncCore } from '../core/SyncCore.js';
import type { Logger } from '../logger.js';
import type { AssetStore } from '../storage/AssetStore.js';
import type { RoomStore } from '../storage/RoomStore.js';
import { importBoardFile } from './board-import.js';
import { readBody, readJson, sendJson } from './json.js';

/** An image's name: its SHA-256 in hex. */
const HASH = /^[0-9a-f]{64}$/;

/** Largest room an import or a restore line may carry. */
const MAX_IMPORT_BYTES = 256 * 2 ** 20;
const BACKUP_TYPE = 'inkroom-backup';

export interface AdminRouteOptions {
  authority: Authority;
  core: SyncCore;
  store: RoomStore;
  assets: AssetStore;
  logger: Logger;
}

/**
 * The admin API, every route behind `Authorization: Bearer <admin token>`:
 *   POST   /api/admin/tokens                      { room, scope, ttl?, sub?, name? } -> a token
 *   POST   /api/admin/revoke                      { jti } | { link } | { sub }
 *   GET    /api/admin/rooms?prefix=&cursor=&limit=   { rooms: [{ name, bytes, updatedAt, connections }], cursor }
 *   GET    /api/admin/rooms/<room>                 one room
 *   GET    /api/admin/rooms/<room>/connections     its open sockets
 *   POST   /api/admin/rooms/<room>/kick            closes them (4409)
 *   GET    /api/admin/rooms/<room>/export?format=yjs|json
 *   POST   /api/admin/rooms/<room>/import?format=yjs|json   a forward edit, through write-ahead
 *   GET    /api/admin/rooms/<room>/versions        { versions: [{ id, time, name, authors, bytes }] }
 *   GET    /api/admin/rooms/<room>/versions/<id>/export?format=yjs|json   one version
 *   DELETE /api/admin/rooms/<room>                 a tombstone (4410), then its content goes
 *   POST   /api/admin/rooms/<room>/undelete
 *   GET    /api/admin/backup                       every room, link, revocation and image, as JSON lines
 *   POST   /api/admin/restore                      takes that stream back
 */
export function createAdminRoutes({ authority, core, store, assets, logger }: AdminRouteOptions) {
  async function handle(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (!authority.hasAdminApi)
      throw new AccessError(404, 'the admin API is off: set INKROOM_ADMIN_TOKEN or --admin-token-file');
    if (!authority.isAdmin(bearerToken(req.headers.authorization))) {
      logger.warn({ route, method }, 'admin.denied');
      throw new AccessError(401, 'the admin API needs Authorization: Bearer <admin token>');
    }
    const started = performance.now();
    res.once('finish', () =>
      logger.info(
        { route, method, status: res.statusCode, ms: Math.round(performance.now() - started) },
        'admin.request',
      ),
    );
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (route === 'tokens') return expect(method, 'POST', () => mint(req, res));
    if (route === 'revoke') return expect(method, 'POST', async () => sendJson(res, 200, await revoke(req)));
    if (route === 'backup') return expect(method, 'GET', () => backup(res));
    if (route === 'restore') return expect(method, 'POST', () => restore(req, res));
    if (route === 'rooms') return expect(method, 'GET', () => listRooms(res, url.searchParams));
    if (!route.startsWith('rooms/')) throw new AccessError(404, 'no such admin route');
    const [encoded, action, ...rest] = route.slice('rooms/'.length).split('/');
    const room = roomOf(encoded!);
    if (action === 'versions') return versionRoute(method, res, room, rest, url);
    if (rest.length > 0) throw new AccessError(404, 'no such admin route');
    switch (action) {
      case undefined:
        if (method === 'DELETE') {
          await core.deleteRoom(room);
          return sendJson(res, 200, { deleted: room });
        }
        return expect(method, 'GET', async () => sendJson(res, 200, await roomInfo(room)));
      case 'connections':
        return expect(method, 'GET', async () =>
          sendJson(res, 200, { connections: core.connectionsOf(room) }),
        );
      case 'kick':
        return expect(method, 'POST', async () => sendJson(res, 200, { closed: core.kick(room) }));
      case 'undelete':
        return expect(method, 'POST', async () => {
          await core.undeleteRoom(room);
          sendJson(res, 200, { undeleted: room });
        });
      case 'export':
        return expect(method, 'GET', () => exportRoom(res, room, format(url)));
      case 'import':
        return expect(method, 'POST', () => importRoom(req, res, room, format(url)));
      default:
        throw new AccessError(404, 'no such admin route');
    }
  }

  async function mint(req: IncomingMessage, res: ServerResponse) {
    const body = await readJson(req);
    if (!isAccessScope(body.scope)) throw new AccessError(400, 'scope is required: "read" or "write"');
    if (typeof body.room !== 'string') throw new AccessError(400, 'room is required');
    const ttlSeconds = typeof body.ttl === 'number' ? body.ttl : parseDuration(String(body.ttl ?? '1h'));
    if (ttlSeconds === null || !(ttlSeconds > 0))
      throw new AccessError(400, 'ttl must be seconds or like 15m, 1h');
    for (const field of ['sub', 'name'] as const) {
      if (body[field] !== undefined && typeof body[field] !== 'string')
        throw new AccessError(400, `${field} must be a string`);
    }
    const created = await authority.mintToken({
      room: body.room,
      scope: body.scope,
      ttlSeconds,
      ...(typeof body.sub === 'string' ? { sub: body.sub } : {}),
      ...(typeof body.name === 'string' ? { name: body.name } : {}),
    });
    sendJson(res, 201, created);
  }

  /** `{ jti }`, `{ link }` or `{ sub }`: exactly one, a string. */
  async function revoke(req: IncomingMessage) {
    const body = await readJson(req);
    const given = (['jti', 'link', 'sub'] as const).filter((key) => body[key] !== undefined);
    if (given.length !== 1) throw new AccessError(400, 'give exactly one of "jti", "link" or "sub"');
    const key = given[0]!;
    const value = body[key];
    if (typeof value !== 'string' || value.length === 0)
      throw new AccessError(400, `${key} must be a string`);
    const target = key === 'jti' ? { jti: value } : key === 'link' ? { link: value } : { sub: value };
    return { revoked: target, closed: await authority.revoke(target) };
  }

  async function listRooms(res: ServerResponse, query: URLSearchParams) {
    const limit = Number(query.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new AccessError(400, 'limit must be a whole number from 1 to 1000');
    const cursor = query.get('cursor');
    const after = cursor ? (Buffer.from(cursor, 'base64url').toString('utf8') as RoomId) : null;
    const page = await store.list({ prefix: query.get('prefix') ?? '', after, limit });
    const open = new Map<string, number>();
    for (const session of core.sessions()) open.set(session.room, (open.get(session.room) ?? 0) + 1);
    sendJson(res, 200, {
      rooms: page.rooms.map((room) => ({ ...room, connections: open.get(room.name) ?? 0 })),
      cursor: page.next === null ? null : Buffer.from(page.next, 'utf8').toString('base64url'),
    });
  }

  async function roomInfo(room: RoomId) {
    const [info, deletedAt] = await Promise.all([store.info(room), store.deletedAt(room)]);
    if (!info && deletedAt === null) throw new AccessError(404, 'no such room');
    return {
      name: room,
      bytes: info?.bytes ?? 0,
      updatedAt: info?.updatedAt ?? null,
      connections: core.connectionsOf(room).length,
      deletedAt,
    };
  }

  /** `versions`: the room's versions; `versions/<id>/export?format=`: one, as exports are. */
  async function versionRoute(method: string, res: ServerResponse, room: RoomId, rest: string[], url: URL) {
    if (rest.length === 0)
      return expect(method, 'GET', async () =>
        sendJson(res, 200, { versions: (await core.listVersions(room)) ?? [] }),
      );
    const [id, action] = rest;
    if (rest.length !== 2 || action !== 'export' || !/^\d{1,15}$/.test(id!))
      throw new AccessError(404, 'no such admin route');
    return expect(method, 'GET', async () => {
      const update = await core.readVersion(room, Number(id));
      if (!update) throw new AccessError(404, 'no such version');
      sendBoard(res, `${encodeURIComponent(room)}-v${id}`, update, format(url));
    });
  }

  async function exportRoom(res: ServerResponse, room: RoomId, as: 'yjs' | 'json') {
    sendBoard(res, encodeURIComponent(room), await read(room), as);
  }

  /** A board as one Yjs update (a download) or a board file. */
  function sendBoard(res: ServerResponse, filename: string, update: Uint8Array, as: 'yjs' | 'json') {
    if (as === 'yjs') {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="${filename}.yjs"`,
        'cache-control': 'no-store',
      });
      return void res.end(update);
    }
    const doc = createBoardDoc();
    try {
      Y.applyUpdate(doc, update);
      sendJson(res, 200, boardToJSON(listElements(doc)));
    } finally {
      doc.destroy();
    }
  }

  async function importRoom(req: IncomingMessage, res: ServerResponse, room: RoomId, as: 'yjs' | 'json') {
    const body = await readBody(req, MAX_IMPORT_BYTES);
    let update: Uint8Array;
    if (as === 'yjs') update = body;
    else {
      // The board file becomes an update against the room as it is: new elements on top.
      const current = (await store.deletedAt(room)) === null ? await read(room) : null;
      update = importBoardFile(current, Buffer.from(body).toString('utf8'));
    }
    await applyImport(room, update);
    logger.info({ room, bytes: update.length }, 'room.import');
    sendJson(res, 200, { imported: room, bytes: update.length });
  }

  async function applyImport(room: RoomId, update: Uint8Array) {
    try {
      await core.importUpdate(room, update);
    } catch (error) {
      if (error instanceof RoomDeletedError)
        throw new AccessError(410, 'the room is deleted: undelete it first');
      if ((error as { closeCode?: number }).closeCode !== undefined)
        throw new AccessError(400, `the update does not apply: ${(error as Error).message}`);
      throw error;
    }
  }

  async function read(room: RoomId): Promise<Uint8Array> {
    try {
      return (await core.readRoom(room))!;
    } catch (error) {
      if (error instanceof RoomDeletedError) throw new AccessError(410, 'the room is deleted');
      throw error;
    }
  }

  /** Writes a line, waiting while the client reads slower than the backup is made. */
  async function writeLine(res: ServerResponse, value: unknown) {
    if (res.destroyed) throw new AccessError(499, 'the client went away');
    if (res.write(`${JSON.stringify(value)}\n`)) return;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', gone);
        resolve();
      };
      const gone = () => {
        res.off('drain', done);
        reject(new AccessError(499, 'the client went away'));
      };
      res.once('drain', done);
      res.once('close', gone);
    });
  }

  async function backup(res: ServerResponse) {
    const started = performance.now();
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    await writeLine(res, { type: BACKUP_TYPE, version: 1, createdAt: Date.now() });
    let rooms = 0;
    let records = 0;
    for (let after: RoomId | null = null, first = true; first || after !== null; first = false) {
      const page = await store.list({ prefix: '', after, limit: 100 });
      for (const { name } of page.rooms) {
        let update: Uint8Array;
        try {
          update = (await core.readRoom(name))!;
        } catch (error) {
          if (error instanceof RoomDeletedError) continue;
          throw error;
        }
        await writeLine(res, { type: 'room', name, update: Buffer.from(update).toString('base64') });
        rooms++;
      }
      after = page.next;
    }
    for await (const { room, deletedAt } of store.deletedRooms()) {
      await writeLine(res, { type: 'deleted', name: room, deletedAt });
      records++;
    }
    for await (const record of authority.records()) {
      await writeLine(res, record);
      records++;
    }
    // Images: each file once, then which rooms hold which.
    for await (const { hash, asset } of assets.files()) {
      await writeLine(res, {
        type: 'asset',
        hash,
        mime: asset.type,
        data: Buffer.from(asset.bytes).toString('base64'),
      });
      records++;
    }
    for await (const { room, hash, bytes } of assets.roomFiles()) {
      await writeLine(res, { type: 'room-asset', name: room, hash, bytes });
      records++;
    }
    await writeLine(res, { type: 'end', rooms, records });
    res.end();
    logger.info({ rooms, records, ms: Math.round(performance.now() - started) }, 'admin.backup');
  }

  /** An image of a backup: stored when it is what its hash and bytes say. */
  async function restoreAsset({ hash, data }: { hash?: unknown; data?: unknown }) {
    if (typeof hash !== 'string' || !HASH.test(hash) || typeof data !== 'string')
      throw new AccessError(400, 'an asset record of the backup is malformed');
    const bytes = new Uint8Array(Buffer.from(data, 'base64'));
    const type = sniffImageType(bytes);
    if (!type || createHash('sha256').update(bytes).digest('hex') !== hash)
      throw new AccessError(400, `the backup's image ${hash} is not what its hash says`);
    await assets.putFile(hash, { bytes, type });
  }

  async function restore(req: IncomingMessage, res: ServerResponse) {
    const started = performance.now();
    const lines = createInterface({ input: req, crlfDelay: Number.POSITIVE_INFINITY });
    let header = false;
    let end: { rooms: number; records: number } | null = null;
    let rooms = 0;
    let records = 0;
    const skipped: string[] = [];
    for await (const line of lines) {
      if (line.trim().length === 0) continue;
      if (line.length > MAX_IMPORT_BYTES * 1.4) throw new AccessError(413, 'a backup line is too large');
      let record: { type?: unknown; name?: unknown; update?: unknown; rooms?: number; records?: number };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        throw new AccessError(400, `line ${rooms + records + 1} of the backup is not JSON`);
      }
      if (!header) {
        if (record.type !== BACKUP_TYPE) throw new AccessError(400, 'not an Inkroom backup (no header line)');
        header = true;
      } else if (record.type === 'room') {
        const room = parseRoomId(String(record.name ?? ''));
        if (!room || typeof record.update !== 'string')
          throw new AccessError(400, `a room record of the backup is malformed`);
        rooms++;
        // A room deleted here since stays deleted: a restore brings back no deleted room.
        if ((await store.deletedAt(room)) !== null) skipped.push(room);
        else await applyImport(room, new Uint8Array(Buffer.from(record.update, 'base64')));
      } else if (record.type === 'deleted') {
        const room = parseRoomId(String(record.name ?? ''));
        if (!room) throw new AccessError(400, 'a deleted-room record of the backup is malformed');
        await core.deleteRoom(room);
        records++;
      } else if (record.type === 'link' || record.type === 'revocation') {
        await authority.restore(record as BackupRecord);
        records++;
      } else if (record.type === 'asset') {
        await restoreAsset(record as { hash?: unknown; data?: unknown });
        records++;
      } else if (record.type === 'room-asset') {
        const { name, hash, bytes } = record as { name?: unknown; hash?: unknown; bytes?: unknown };
        const room = parseRoomId(String(name ?? ''));
        if (!room || typeof hash !== 'string' || !HASH.test(hash) || typeof bytes !== 'number')
          throw new AccessError(400, 'a room-asset record of the backup is malformed');
        await assets.addToRoom(room, hash, bytes);
        records++;
      } else if (record.type === 'end') {
        end = { rooms: record.rooms ?? -1, records: record.records ?? -1 };
      } else throw new AccessError(400, `unknown record type ${String(record.type)} in the backup`);
    }
    const ms = Math.round(performance.now() - started);
    logger.info({ rooms, records, skipped: skipped.length, ms }, 'admin.restore');
    // What was read is in; a backup cut short says so rather than pass for whole.
    if (!end || end.rooms !== rooms || end.records !== records)
      throw new AccessError(
        400,
        `the backup is incomplete: restored ${rooms} rooms and ${records} records of it`,
      );
    sendJson(res, 200, { rooms: rooms - skipped.length, records, skippedDeleted: skipped, ms });
  }

  return (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> =>
    handle(req, res, path.slice('/api/admin/'.length)).catch((error: unknown) => {
      if (!(error instanceof AccessError)) throw error;
      if (!res.headersSent) sendJson(res, error.status, { error: error.message });
      else res.destroy();
    });
}

async function expect(method: string, wanted: string, run: () => Promise<void>): Promise<void> {
  if (method !== wanted) throw new AccessError(405, `method not allowed (use ${wanted})`);
  await run();
}

function format(url: URL): 'yjs' | 'json' {
  const value = url.searchParams.get('format') ?? 'yjs';
  if (value !== 'yjs' && value !== 'json') throw new AccessError(400, 'format must be yjs or json');
  return value;
}

function roomOf(segment: string): RoomId {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    throw new AccessError(400, 'room name is not valid percent-encoding');
  }
  const room = parseRoomId(name);
  if (!room) throw new AccessError(400, 'invalid room name');
  return room;
}
