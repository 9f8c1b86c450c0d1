import {
  CLOSE_REASONS,
  CloseCode,
  ProtocolError,
  parseRoomId,
  type RestoreResult,
  type RoomId,
  restoreBoard,
} from '@inkroom/shared';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { CoreLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomStore } from '../storage/RoomStore.js';
import type { VersionInfo, VersionStore } from '../storage/VersionStore.js';
import { Admission } from './Admission.js';
import type { Cluster } from './Cluster.js';
import { Connection, type ConnectionHooks } from './Connection.js';
import { FixedWindowLimiter } from './FixedWindowLimiter.js';
import { KeyedLock } from './KeyedLock.js';
import { rateShape } from './RateGate.js';
import { type Room, RoomDeletedError, type RoomMember } from './Room.js';
import { mergeAwarenessFrames } from './RoomAwareness.js';
import { type RoomLease, RoomRegistry } from './RoomRegistry.js';
import type { ServerSocket } from './ServerSocket.js';
import {
  type Authorize,
  type ConnectionRequest,
  denialKind,
  isRefusal,
  openSession,
  type Refusal,
  type Session,
} from './Session.js';
import { NO_TELEMETRY, type Telemetry } from './Telemetry.js';

export interface SyncStats {
  rooms: number;
  connections: number;
  /** Updates sent by read-only sockets and dropped, since the start. */
  readOnlyUpdatesDropped: number;
}

/** Without an auth step every socket may write. */
const allowAll: Authorize = (request) => {
  const room = parseRoomId(request.roomName);
  return room ? openSession(room) : { refused: CloseCode.InvalidRoom, reason: 'invalid room name' };
};

/** An open socket of a room, as the admin API shows it. */
export interface ConnectionInfo {
  scope: Session['scope'];
  subject: string | null;
  name: string | null;
  linkId: string | null;
  /** When its access ends (ms since the epoch), or null. */
  expiresAt: number | null;
  openedAt: number;
}

/** The highest clock of each client in either state vector (either may be missing). */
function mergeStateVectors(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (!a) return b;
  const merged = Y.decodeStateVector(a);
  for (const [client, clock] of Y.decodeStateVector(b))
    merged.set(client, Math.max(merged.get(client) ?? 0, clock));
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, merged.size);
  for (const [client, clock] of merged) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
  }
  return encoding.toUint8Array(encoder);
}

export interface SyncCoreOptions {
  store: RoomStore;
  limits: CoreLimits;
  logger: Logger;
  /** Who may do what; by default every socket may write. */
  authorize?: Authorize;
  telemetry?: Telemetry;
  /** The other processes serving the same rooms, when several share a store. */
  cluster?: Cluster;
  /** Where rooms' versions are kept; without one, none are recorded. */
  versions?: VersionStore;
}

/**
 * The sync server without its transport: give it sockets and what they asked for, it does the
 * rest. The `ws` shell and the tests both drive it through {@link ServerSocket}. Who may do what
 * is decided by one {@link Authorize} step before a socket joins a room.
 */
export class SyncCore {
  private readonly connections = new Set<Connection>();
  private readonly registry: RoomRegistry;
  private readonly limits: CoreLimits;
  private readonly admission: Admission;
  private readonly limitedLog = new FixedWindowLimiter(1);
  /** What every connection needs of the core: one object for all of them. */
  private readonly hooks: ConnectionHooks;
  /** Deleting, undeleting and importing a room happen one at a time. */
  private readonly roomOps = new KeyedLock();
  private readonly logger: Logger;
  private readonly authorizeRequest: Authorize;
  private readonly telemetry: Telemetry;
  private closing = false;
  private dropped = 0;

  private readonly store: RoomStore;
  private readonly cluster: Cluster | null;
  private readonly versions: VersionStore | null;

  constructor(options: SyncCoreOptions) {
    this.store = options.store;
    this.versions = options.versions ?? null;
    this.cluster = options.cluster ?? null;
    this.cluster?.onEvent((event) => {
      if (event.type === 'room-deleted') this.registry.loadedRoom(event.room)?.markDeleted();
      else if (event.type === 'room-kicked')
        this.closeSessions((s) => s.room === event.room, CloseCode.Kicked);
    });
    // Nothing can be relayed: every socket goes, and its client retries until Redis answers.
    this.cluster?.onUnavailable(() => {
      const closed = this.closeSessions(() => true, CloseCode.RoomUnavailable);
      this.logger.error({ sockets: closed }, 'store.unavailable');
    });
    this.limits = options.limits;
    this.logger = options.logger;
    this.authorizeRequest = options.authorize ?? allowAll;
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.registry = new RoomRegistry({
      store: options.store,
      limits: options.limits,
      logger: options.logger,
      telemetry: this.telemetry,
      cluster: options.cluster,
      versions: options.versions,
    });
    this.admission = new Admission(options.limits, options.store, this.registry);
    this.hooks = {
      maxBufferedBytes: this.limits.maxBufferedBytes,
      rates: rateShape(this.limits, mergeAwarenessFrames),
      logger: this.logger,
      renew: (connection, token) => this.renew(connection, token),
      telemetry: this.telemetry,
      droppedUpdate: () => {
        this.dropped++;
        this.telemetry.readOnlyUpdateDropped();
      },
      onEnd: (ended) => {
        this.connections.delete(ended);
        this.admission.leave(ended.address);
      },
    };
  }

  /** Bytes of updates waiting for missing dependencies, over all rooms. */
  pendingUpdateBytes(): number {
    let bytes = 0;
    for (const room of this.registry.rooms()) bytes += room.pendingBytes;
    return bytes;
  }

  stats(): SyncStats {
    return {
      rooms: this.registry.size,
      connections: this.connections.size,
      readOnlyUpdatesDropped: this.dropped,
    };
  }

  /**
   * Serves a new socket: authorizes it, then joins it to its room. A room name alone (as the
   * core's tests pass) is a request without a token.
   */
  handleConnection(socket: ServerSocket, request: ConnectionRequest | string): void {
    const asked = typeof request === 'string' ? { roomName: request, token: null } : request;
    if (this.closing) {
      socket.close(CloseCode.GoingAway, CLOSE_REASONS[CloseCode.GoingAway]);
      return;
    }
    if (!parseRoomId(asked.roomName)) {
      socket.close(CloseCode.InvalidRoom, CLOSE_REASONS[CloseCode.InvalidRoom]);
      return;
    }
    const address = asked.address ?? '';
    if (!this.admission.enter(address)) {
      this.limited(address, 'connections');
      socket.close(CloseCode.TooManyFromAddress, CLOSE_REASONS[CloseCode.TooManyFromAddress]);
      return;
    }
    const connection = new Connection(socket, this.hooks, address);
    this.connections.add(connection);
    this.admit(connection, asked, address).catch((error: unknown) => {
      this.logger.error({ err: error, room: asked.roomName }, 'conn.error');
      connection.close(CloseCode.InternalError);
    });
  }

  /** Authorizes a connection, checks its room may open, and joins it. */
  private async admit(connection: Connection, asked: ConnectionRequest, address: string): Promise<void> {
    const result = await this.authorize(asked);
    if (isRefusal(result)) return this.refuse(connection, asked.roomName, result);
    // A socket that went away meanwhile still has what it sent applied (see Connection.attach).
    connection.authorize(result);
    const refusal = await this.admission.refusal(result.room, address);
    if (refusal !== null) {
      if (refusal === CloseCode.TooManyFromAddress) this.limited(address, 'new rooms');
      return connection.close(refusal);
    }
    let lease: RoomLease;
    try {
      lease = await this.registry.acquire(result.room);
    } catch (error) {
      this.logger.error({ err: error, room: result.room }, 'room.error');
      connection.close(CloseCode.RoomUnavailable);
      return;
    }
    connection.attach(lease);
  }

  /**
   * Logs a refusal by a per-address limit, once a minute per address and reason at most (the
   * metric counts every one): a flood must not flood the log too.
   */
  private limited(address: string, reason: 'connections' | 'new rooms'): void {
    this.telemetry.authDenied(reason === 'connections' ? 'too_many_connections' : 'too_many_new_rooms');
    if (this.limitedLog.take(`${reason}\u0000${address}`))
      this.logger.warn({ code: CloseCode.TooManyFromAddress, reason, address }, 'conn.limited');
  }

  /**
   * For `POST /api/rooms`: counts a new room against a client address (false past
   * `newRoomsPerMinute`), then, called with the room's name once it exists, remembers it as
   * counted, so its first connection does not count it again.
   */
  takeNewRoom(address: string, room: RoomId | null = null): boolean {
    return this.admission.takeNewRoom(address, room, room !== null);
  }

  /**
   * Closes every socket whose session matches, with `code`: how revoking a token, a link or a
   * person, or changing a link's scope, reaches open sockets. Returns how many were closed.
   */
  closeSessions(matches: (session: Session) => boolean, code: CloseCode): number {
    let closed = 0;
    for (const connection of [...this.connections]) {
      const session = connection.session;
      if (session && matches(session)) {
        connection.close(code);
        closed++;
      }
    }
    return closed;
  }

  /** Open sockets' sessions (for the admin API and tests). */
  sessions(): Session[] {
    return [...this.connections].flatMap((connection) => (connection.session ? [connection.session] : []));
  }

  /**
   * A room's document as one update, for readers outside the room (previews, exports, backups);
   * null for a name that is not a valid room. A room not in memory is loaded for the read and
   * unloaded after. Throws RoomDeletedError for a deleted room, and while the server shuts down.
   */
  async readRoom(roomName: string): Promise<Uint8Array | null> {
    const roomId = parseRoomId(roomName);
    if (!roomId) return null;
    return this.withRoom(roomId, (room) => {
      if (room.isDeleted) throw new RoomDeletedError(`room ${roomId} is deleted`);
      return room.durableSnapshot();
    });
  }

  /** A room's open sockets. */
  connectionsOf(room: RoomId): ConnectionInfo[] {
    return [...this.connections].flatMap((connection) => {
      const session = connection.session;
      if (!session || session.room !== room) return [];
      const { scope, subject, name, linkId, expiresAt } = session;
      return [{ scope, subject, name, linkId, expiresAt, openedAt: connection.openedAt }];
    });
  }

  /** Closes a room's open sockets (4409: they may connect again). Returns how many. */
  kick(room: RoomId): number {
    this.cluster?.announce({ type: 'room-kicked', room });
    const closed = this.closeSessions((session) => session.room === room, CloseCode.Kicked);
    this.logger.info({ room, sockets: closed }, 'room.kick');
    return closed;
  }

  /**
   * Deletes a room: a tombstone first (so no connection, not even an offline board's copy, brings
   * it back), then every socket closed with 4410, then its content removed once it has unloaded.
   */
  async deleteRoom(room: RoomId): Promise<void> {
    await this.roomOps.run(room, async () => {
      await this.store.setDeleted(room, Date.now());
      // Other processes serving it close its sockets; once its log is removed below, the
      // tombstone keeps a late append of theirs from making it again.
      this.cluster?.announce({ type: 'room-deleted', room });
      // Through a lease, so a room still loading is marked too (a room not in memory loads marked).
      await this.withRoom(room, async (loaded) => {
        // What it held is retired: a copy of it (an offline board) is refused even after an undelete.
        await this.store.setRetired(
          room,
          mergeStateVectors(await this.store.retired(room), await loaded.stateVector()),
        );
        loaded.markDeleted();
      });
      await this.registry.whenUnloaded(room);
      // Its versions go with its content.
      await this.versions?.clear(room);
      if (!this.store.takeContent) return this.store.delete(room);
      // Other processes may have appended what this one never read: retired too.
      const taken = await this.store.takeContent(room);
      if (taken.length > 0)
        await this.store.setRetired(
          room,
          mergeStateVectors(await this.store.retired(room), await this.registry.stateVectorOf(taken)),
        );
    });
    this.logger.info({ room }, 'room.delete');
  }

  /**
   * Lifts a room's tombstone: it opens again, empty (content a crash left behind is removed
   * first), until content is imported.
   */
  async undeleteRoom(room: RoomId): Promise<void> {
    await this.roomOps.run(room, async () => {
      if ((await this.store.deletedAt(room)) === null) return;
      await this.registry.whenUnloaded(room);
      await this.store.delete(room);
      await this.store.setDeleted(room, null);
      this.registry.loadedRoom(room)?.markUndeleted();
    });
    this.logger.info({ room }, 'room.undelete');
  }

  /**
   * Applies an update to a room as a forward edit, through the write-ahead path like any client's
   * (never a rewind: clients that reconnect would merge the old state back). Resolves once it is
   * durable. Throws RoomDeletedError for a deleted room (undelete it first), ProtocolError for an
   * update that does not apply.
   */
  async importUpdate(room: RoomId, update: Uint8Array): Promise<void> {
    await this.roomOps.run(room, async () => {
      if ((await this.store.deletedAt(room)) !== null) throw new RoomDeletedError(`room ${room} is deleted`);
      await this.withRoom(room, async (loaded) => {
        // The operator brings content back: what was retired may return (from this import or a copy).
        await this.store.setRetired(room, null);
        loaded.clearRetired();
        await applyAsServer(loaded, update, null);
      });
    });
  }

  /** A room's versions, oldest first; null for a name that is not a valid room. */
  async listVersions(roomName: string): Promise<VersionInfo[] | null> {
    const room = parseRoomId(roomName);
    if (!room) return null;
    return this.requireVersions().list(room);
  }

  /**
   * Records a version of a room now, once what was applied before is durable: `name` names it
   * (a named version outlives the retention policy). Throws RoomDeletedError for a deleted room.
   */
  async recordVersion(room: RoomId, name: string | null): Promise<VersionInfo> {
    this.requireVersions();
    if ((await this.store.deletedAt(room)) !== null) throw new RoomDeletedError(`room ${room} is deleted`);
    const version = await this.withRoom(room, (loaded) => loaded.recordVersion(name));
    if (!version) throw new Error('no version was recorded');
    return version;
  }

  /** A version of a room as one update; null when the room has no such version. */
  async readVersion(room: RoomId, id: number): Promise<Uint8Array | null> {
    if ((await this.store.deletedAt(room)) !== null) throw new RoomDeletedError(`room ${room} is deleted`);
    const chain = await this.requireVersions().chain(room, id);
    return chain && (chain.length === 1 ? chain[0]! : this.registry.merge(chain));
  }

  /**
   * Makes a room hold what one of its versions holds, as a forward change through the
   * write-ahead path (see restoreBoard): it merges with what people do meanwhile, and a client
   * that reconnects with older state cannot undo it. What the room held before is a version
   * first (edits since the last one are recorded), so nothing is lost. Resolves once it is
   * durable, with what it changed; null when the room has no such version.
   */
  async restoreVersion(room: RoomId, id: number, author: string | null): Promise<RestoreResult | null> {
    return this.roomOps.run(room, async () => {
      const version = await this.readVersion(room, id);
      if (!version) return null;
      return this.withRoom(room, async (loaded) => {
        // What the room holds now stays in its history: edits since the last version get one.
        await loaded.recordVersion(null);
        const past = new Y.Doc();
        const current = new Y.Doc();
        try {
          Y.applyUpdate(past, version);
          Y.applyUpdate(current, await loaded.durableSnapshot());
          const before = Y.encodeStateVector(current);
          const result = restoreBoard(current, past);
          await applyAsServer(loaded, Y.encodeStateAsUpdate(current, before), author);
          this.logger.info({ room, version: id, ...result }, 'room.restore');
          return result;
        } finally {
          past.destroy();
          current.destroy();
        }
      });
    });
  }

  private requireVersions(): VersionStore {
    if (!this.versions) throw new Error('this server keeps no versions');
    return this.versions;
  }

  private async withRoom<T>(room: RoomId, use: (room: Room) => Promise<T>): Promise<T> {
    if (this.closing) throw new Error('the server is shutting down');
    const lease = await this.registry.acquire(room);
    try {
      return await use(lease.room);
    } finally {
      lease.release();
    }
  }

  /** Closes every socket with 1001, then waits for every room to flush and unload. */
  async close(): Promise<void> {
    this.closing = true;
    for (const connection of [...this.connections]) connection.close(CloseCode.GoingAway);
    await this.registry.whenEmpty();
    await this.registry.close();
  }

  private async authorize(request: ConnectionRequest): Promise<Session | Refusal> {
    try {
      return await this.authorizeRequest(request);
    } catch (error) {
      this.logger.error({ err: error }, 'auth.error');
      return { refused: CloseCode.InternalError, reason: 'authorization failed' };
    }
  }

  private refuse(connection: Connection, roomName: string, refusal: Refusal): void {
    this.telemetry.authDenied(denialKind(refusal));
    this.logger.warn({ room: roomName, code: refusal.refused, reason: refusal.reason }, 'auth.denied');
    connection.close(refusal.refused);
  }

  /** A token sent in-band: the same room, checked afresh; the socket carries on or is closed. */
  private renew(connection: Connection, token: string): void {
    const room = connection.roomId;
    if (!room) return;
    void this.authorize({ roomName: room, token }).then((result) => {
      if (connection.isClosed) return;
      if (isRefusal(result)) return this.refuse(connection, room, result);
      connection.authorize(result);
    });
  }
}

/**
 * Applies an update the server made (an import, a restore) to a loaded room through its
 * write-ahead path, as `author`, and resolves once it is durable. The maker is no member, so
 * every member is sent it; a refusal of an update integrated in pieces arrives as a close.
 */
async function applyAsServer(room: Room, update: Uint8Array, author: string | null): Promise<void> {
  let refused: CloseCode | null = null;
  const maker: RoomMember = { send() {}, close: (code) => (refused ??= code), author };
  room.applyUpdate(update, maker, true);
  await room.whenDurable();
  if (refused !== null) throw new ProtocolError(refused, 'update does not apply');
}

export { RoomDeletedError };
