import { CLOSE_REASONS, CloseCode, parseRoomId } from '@inkroom/shared';
import type { RoomLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomStore } from '../storage/RoomStore.js';
import { Connection } from './Connection.js';
import { RoomRegistry } from './RoomRegistry.js';
import type { ServerSocket } from './ServerSocket.js';

export interface SyncStats {
  rooms: number;
  connections: number;
}

/**
 * The sync server without its transport: give it sockets and room names, it does the rest.
 * The `ws` shell and the tests both drive it through {@link ServerSocket}.
 */
export class SyncCore {
  private readonly connections = new Set<Connection>();
  private readonly registry: RoomRegistry;
  private closing = false;

  constructor(
    store: RoomStore,
    private readonly limits: RoomLimits,
    private readonly logger: Logger,
  ) {
    this.registry = new RoomRegistry(store, limits, logger);
  }

  stats(): SyncStats {
    return { rooms: this.registry.size, connections: this.connections.size };
  }

  /** Serves a new socket in the room named `roomName` (the URL path after `/`, decoded). */
  handleConnection(socket: ServerSocket, roomName: string): void {
    const roomId = parseRoomId(roomName);
    if (this.closing || !roomId) {
      const code = this.closing ? CloseCode.GoingAway : CloseCode.InvalidRoom;
      socket.close(code, CLOSE_REASONS[code]);
      return;
    }
    const connection = new Connection(socket, roomId, this.limits.maxBufferedBytes, this.logger, (ended) =>
      this.connections.delete(ended),
    );
    this.connections.add(connection);
    this.registry.acquire(roomId).then(
      (lease) => connection.attach(lease),
      (error: unknown) => {
        this.logger.error({ err: error, room: roomId }, 'room failed to load');
        connection.close(CloseCode.RoomUnavailable);
      },
    );
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
}
