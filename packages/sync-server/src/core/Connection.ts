import {
  CLOSE_REASONS,
  CloseCode,
  decodeMessage,
  encodeAwareness,
  ProtocolError,
  type RoomId,
} from '@inkroom/shared';
import type { Logger } from '../logger.js';
import type { RoomMember } from './Room.js';
import type { RoomLease } from './RoomRegistry.js';
import type { ServerSocket } from './ServerSocket.js';

/**
 * One client socket in one room. Frames that arrive while the room is loading wait, in order,
 * so the room is complete before any sync step 1 is answered. A frame that breaks the protocol
 * closes this socket alone, with the close code of its fault.
 */
export class Connection implements RoomMember {
  private lease: RoomLease | null = null;
  private waiting: [Uint8Array, boolean][] = [];
  private closed = false;

  constructor(
    private readonly socket: ServerSocket,
    readonly roomId: RoomId,
    private readonly logger: Logger,
    private readonly onEnd: (connection: Connection) => void,
  ) {
    socket.onMessage((data, isBinary) => {
      if (this.closed) return;
      if (this.lease) this.handle(data, isBinary);
      else this.waiting.push([data, isBinary]);
    });
    socket.onClose(() => this.end());
  }

  /** Called once the room has loaded: joins it and handles the frames that waited. */
  attach(lease: RoomLease): void {
    if (this.closed) {
      lease.release();
      return;
    }
    this.lease = lease;
    lease.room.join(this);
    const waiting = this.waiting;
    this.waiting = [];
    for (const [data, isBinary] of waiting) {
      if (this.closed) break;
      this.handle(data, isBinary);
    }
  }

  send(data: Uint8Array): void {
    if (!this.closed) this.socket.send(data);
  }

  /** Closes the socket and leaves the room at once (without waiting for the close handshake). */
  close(code: CloseCode): void {
    if (this.closed) return;
    this.socket.close(code, CLOSE_REASONS[code]);
    this.end();
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    this.waiting = [];
    if (this.lease) {
      this.lease.room.leave(this);
      this.lease.release();
    }
    this.onEnd(this);
  }

  private handle(data: Uint8Array, isBinary: boolean): void {
    const room = this.lease!.room;
    try {
      if (!isBinary) throw new ProtocolError(CloseCode.UnsupportedData, 'text frame');
      const message = decodeMessage(data);
      switch (message.type) {
        case 'sync-step1':
          room.answerSyncStep1(message.stateVector, this);
          break;
        case 'sync-step2':
        case 'update':
          room.applyUpdate(message.update, this);
          break;
        case 'awareness':
          room.applyAwareness(message.update, this);
          break;
        case 'query-awareness': {
          const states = room.encodeAwarenessStates();
          if (states) this.send(encodeAwareness(states));
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        this.logger.error({ err: error, room: this.roomId }, 'closing socket: unexpected error');
        this.close(CloseCode.InternalError);
        return;
      }
      this.logger.warn(
        { room: this.roomId, code: error.closeCode, reason: error.message, bytes: data.length },
        'closing socket: protocol violation',
      );
      this.close(error.closeCode);
    }
  }
}
