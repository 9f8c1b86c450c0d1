import { CLOSE_REASONS, CloseCode, parseRoomId } from '@inkroom/shared';
import type { RoomLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomStore } from '../storage/RoomStore.js';
import { Connection } from './Connection.js';
import { RoomRegistry } from './RoomRegistry.js';
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

/**
 * The sync server without its transport: give it sockets and what they asked for, it does the
 * rest. The `ws` shell and the tests both drive it through {@link ServerSocket}. Who may do what
 * is decided by one {@link Authorize} step before a socket joins a room.
 */
export interface SyncCoreOptions {
  store: RoomStore;
  limits: RoomLimits;
  logger: Logger;
  /** Who may do what; by default every socket may write. */
  authorize?: Authorize;
  telemetry?: Telemetry;
}

export class SyncCore {
  private readonly connections = new Set<Connection>();
  private readonly registry: RoomRegistry;
  private readonly limits: RoomLimits;
  private readonly logger: Logger;
  private readonly authorizeRequest: Authorize;
  private readonly telemetry: Telemetry;
  private closing = false;
  private dropped = 0;

  constructor(options: SyncCoreOptions) {
    this.limits = options.limits;
    this.logger = options.logger;
    this.authorizeRequest = options.authorize ?? allowAll;
    this.telemetry = options.telemetry ?? NO_TELEMETRY;
    this.registry = new RoomRegistry({
      store: options.store,
      limits: options.limits,
      logger: options.logger,
      telemetry: this.telemetry,
    });
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
    const connection = new Connection(socket, {
      maxBufferedBytes: this.limits.maxBufferedBytes,
      logger: this.logger,
      renew: (conn, token) => this.renew(conn, token),
      telemetry: this.telemetry,
      droppedUpdate: () => {
        this.dropped++;
        this.telemetry.readOnlyUpdateDropped();
      },
      onEnd: (ended) => this.connections.delete(ended),
    });
    this.connections.add(connection);
    this.authorize(asked).then((result) => {
      if (connection.isClosed) return;
      if (isRefusal(result)) return this.refuse(connection, asked.roomName, result);
      connection.authorize(result);
      if (connection.isClosed) return;
      this.registry.acquire(result.room).then(
        (lease) => connection.attach(lease),
        (error: unknown) => {
          this.logger.error({ err: error, room: result.room }, 'room failed to load');
          connection.close(CloseCode.RoomUnavailable);
        },
      );
    });
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
   * A room's document as one update, for readers outside the room (previews); null for a name
   * that is not a valid room. A room not in memory is loaded for the read and unloaded after.
   * Throws while the server shuts down.
   */
  async readRoom(roomName: string): Promise<Uint8Array | null> {
    const roomId = parseRoomId(roomName);
    if (!roomId) return null;
    if (this.closing) throw new Error('the server is shutting down');
    const lease = await this.registry.acquire(roomId);
    try {
      return await lease.room.durableSnapshot();
    } finally {
      lease.release();
    }
  }

  /** Closes every socket with 1001, then waits for every room to flush and unload. */
  async close(): Promise<void> {
    this.closing = true;
    for (const connection of [...this.connections]) connection.close(CloseCode.GoingAway);
    await this.registry.whenEmpty();
  }

  private async authorize(request: ConnectionRequest): Promise<Session | Refusal> {
    try {
      return await this.authorizeRequest(request);
    } catch (error) {
      this.logger.error({ err: error }, 'authorization failed');
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
