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
  private waitingBytes = 0;
  private closed = false;

  constructor(
    private readonly socket: ServerSocket,
    readonly roomId: RoomId,
    private readonly maxBufferedBytes: number,
    private readonly logger: Logger,
    private readonly onEnd: (connection: Connection) => void,
  ) {
    socket.onMessage((data, isBinary) => {
      if (this.closed) return;
      if (this.lease) return this.handle(data, isBinary);
      this.waiting.push([data, isBinary]);
      this.waitingBytes += data.length;
      if (this.waitingBytes > maxBufferedBytes) this.overloaded('sent too much while its room loaded');
    });
    socket.onClose(() => this.end());
  }

  /** Called once the room has loaded: joins it and handles the frames that waited. */
  attach(lease: RoomLease): void {
    if (this.closed) {
      // The socket went away while its room loaded, but what it sent is still the user's work.
      this.applyWaitingUpdates(lease);
      lease.release();
      return;
    }
    this.lease = lease;
    if (lease.room.isFailed) {
      this.close(CloseCode.RoomUnavailable);
      return;
    }
    lease.room.join(this);
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const [data, isBinary] of waiting) {
      if (this.closed) return;
      this.handle(data, isBinary);
    }
    if (!this.closed) lease.room.greet(this);
  }

  /** Sends a frame, unless the socket is not reading: past `maxBufferedBytes` queued it is closed. */
  send(data: Uint8Array): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.overloaded('not reading');
      return;
    }
    this.socket.send(data);
  }

  /** Closes the socket and leaves the room at once (without waiting for the close handshake). */
  close(code: CloseCode): void {
    if (this.closed) return;
    this.socket.close(code, CLOSE_REASONS[code]);
    this.end();
  }

  private overloaded(why: string): void {
    this.logger.warn(
      { room: this.roomId, code: CloseCode.Overloaded, reason: why },
      'closing socket: overloaded',
    );
    this.waiting = [];
    this.close(CloseCode.Overloaded);
  }

  private end(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.lease) {
      this.lease.room.leave(this);
      this.lease.release();
    }
    this.onEnd(this);
  }

  private applyWaitingUpdates(lease: RoomLease): void {
    for (const [data, isBinary] of this.waiting) {
      try {
        if (!isBinary) break;
        const message = decodeMessage(data);
        if (message.type === 'update' || message.type === 'sync-step2')
          lease.room.applyUpdate(message.update, this);
      } catch {
        break;
      }
    }
    this.waiting = [];
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
