import {
  CLOSE_REASONS,
  CloseCode,
  decodeMessage,
  encodeAwareness,
  ProtocolError,
  type RoomId,
} from '@inkroom/shared';
import type { Logger } from '../logger.js';
import { type GateTarget, RateGate, type RateShape } from './RateGate.js';
import type { RoomMember } from './Room.js';
import type { RoomLease } from './RoomRegistry.js';
import type { ServerSocket } from './ServerSocket.js';
import type { Session } from './Session.js';
import type { Telemetry } from './Telemetry.js';

/** What a connection needs of the core besides its socket. */
export interface ConnectionHooks {
  maxBufferedBytes: number;
  logger: Logger;
  /** Checks a token the client sent in-band; resolves with the renewed session or closes it. */
  renew: (connection: Connection, token: string) => void;
  telemetry: Telemetry;
  /** An update from a read-only socket was dropped. */
  droppedUpdate: () => void;
  onEnd: (connection: Connection) => void;
  /** Bucket sizes from the rate limits, the same for every socket. */
  rates: RateShape;
}

/** Closes that end a socket's access: frames still waiting are dropped, not applied. */
const ACCESS_ENDED: ReadonlySet<CloseCode> = new Set([
  CloseCode.Unauthorized,
  CloseCode.Forbidden,
  CloseCode.PermissionsChanged,
]);

let lastConnectionId = 0;

/** Close codes of an ordinary end (left, shut down, dropped): logged at debug, others at info. */
const ORDINARY_CLOSES: ReadonlySet<number> = new Set([1000, 1001, 1005, 1006]);

/** Longest a timer may wait (setTimeout's limit, about 24.8 days); longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One client socket in one room. Frames that arrive while it is authorized and its room loads
 * wait, in order, so the room is complete before any sync step 1 is answered. A frame that breaks
 * the protocol closes this socket alone, with the close code of its fault. What the socket may do
 * is its {@link Session}: a read-only one receives everything but its updates are dropped, and
 * it is closed with 4401 when its access expires.
 */
export class Connection implements RoomMember, GateTarget {
  private lease: RoomLease | null = null;
  private waiting: [Uint8Array, boolean][] = [];
  private waitingBytes = 0;
  private closed = false;
  private expiryTimer: NodeJS.Timeout | null = null;
  /** Null until the socket is authorized. */
  private current: Session | null = null;
  /** When the socket connected (ms since the epoch). */
  readonly openedAt = Date.now();
  /** A number for this socket in log lines (`conn`), unique in the process. */
  readonly id = ++lastConnectionId;

  private readonly gate: RateGate;

  constructor(
    private readonly socket: ServerSocket,
    /** Shared by every connection of the core (one object, not one per socket). */
    private readonly hooks: ConnectionHooks,
    /** The client's address, for per-address limits. */
    readonly address: string,
  ) {
    this.gate = new RateGate(hooks.rates, this);
    socket.onMessage((data, isBinary) => {
      if (this.closed) return;
      if (this.lease) return this.gate.push(data, isBinary);
      this.waiting.push([data, isBinary]);
      this.waitingBytes += data.length;
      if (this.waitingBytes > hooks.maxBufferedBytes) this.overloaded('sent too much while its room loaded');
    });
    socket.onClose((code) => this.end(code));
    hooks.telemetry.connectionOpened();
    hooks.logger.debug({ conn: this.id }, 'conn.open');
  }

  get session(): Session | null {
    return this.current;
  }

  get roomId(): RoomId | null {
    return this.current?.room ?? null;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** What the socket may do from now on (on joining, and when it renews its token). */
  authorize(session: Session): void {
    // Set even when the socket has gone: what it sent meanwhile is applied under this session.
    this.current = session;
    if (!this.closed) this.armExpiry();
  }

  /** Called once the room has loaded: joins it and handles the frames that waited. */
  attach(lease: RoomLease): void {
    if (this.closed) {
      // The socket went away while its room loaded, but what it sent is still the user's work.
      if (!lease.room.isDeleted) this.applyWaitingUpdates(lease);
      lease.release();
      return;
    }
    this.lease = lease;
    if (lease.room.isFailed) {
      this.close(CloseCode.RoomUnavailable);
      return;
    }
    if (lease.room.isDeleted) {
      // A deleted room takes nothing, not even the offline copy a board brings back.
      this.waiting = [];
      this.close(CloseCode.RoomDeleted);
      return;
    }
    lease.room.join(this);
    const waiting = this.waiting;
    this.waiting = [];
    this.waitingBytes = 0;
    for (const [data, isBinary] of waiting) {
      if (this.closed) return;
      this.gate.push(data, isBinary);
    }
    if (!this.closed) lease.room.greet(this);
  }

  /** Bytes sent and not yet taken by the peer. */
  get backlog(): number {
    return this.socket.bufferedAmount;
  }

  /** What may be queued unsent before the socket counts as not reading (see send). */
  get maxBacklog(): number {
    return this.hooks.maxBufferedBytes;
  }

  /** Sends a frame, unless the socket is not reading: past `maxBufferedBytes` queued it is closed. */
  send(data: Uint8Array): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.hooks.maxBufferedBytes) {
      this.overloaded('not reading');
      return;
    }
    this.socket.send(data);
    this.hooks.telemetry.sent(data.length);
  }

  /** Closes the socket and leaves the room at once (without waiting for the close handshake). */
  close(code: CloseCode): void {
    if (this.closed) return;
    // Its access ended: what it sent while its room loaded must not be applied afterwards.
    if (ACCESS_ENDED.has(code)) this.waiting = [];
    this.socket.close(code, CLOSE_REASONS[code]);
    this.end(code);
  }

  private armExpiry(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    const expiresAt = this.current?.expiresAt;
    if (expiresAt == null) return;
    const wait = expiresAt - Date.now();
    if (wait <= 0) {
      this.hooks.logger.info({ room: this.roomId, code: CloseCode.Unauthorized }, 'auth.expired');
      this.close(CloseCode.Unauthorized);
      return;
    }
    this.expiryTimer = setTimeout(() => this.armExpiry(), Math.min(wait, MAX_TIMER_MS));
    this.expiryTimer.unref();
  }

  /** The rate gate lets a frame through. @internal */
  deliver(data: Uint8Array, isBinary: boolean): void {
    this.handle(data, isBinary);
  }

  /** The rate gate held a frame back. @internal */
  throttled(kind: 'update' | 'awareness'): void {
    this.hooks.telemetry.throttled(kind);
  }

  /** Kept sending past its rate limits until the frames held back passed their cap. @internal */
  flooded(): void {
    this.hooks.logger.warn(
      { room: this.roomId, code: CloseCode.RateExceeded, reason: 'sent faster than its limits' },
      'conn.flood',
    );
    this.close(CloseCode.RateExceeded);
  }

  private overloaded(why: string): void {
    this.hooks.logger.warn({ room: this.roomId, code: CloseCode.Overloaded, reason: why }, 'conn.overloaded');
    this.waiting = [];
    this.close(CloseCode.Overloaded);
  }

  private end(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.gate.stop();
    this.hooks.telemetry.connectionClosed(code);
    const line = { conn: this.id, room: this.roomId, code, ms: Date.now() - this.openedAt };
    if (ORDINARY_CLOSES.has(code)) this.hooks.logger.debug(line, 'conn.close');
    else this.hooks.logger.info(line, 'conn.close');
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    if (this.lease) {
      this.lease.room.leave(this);
      this.lease.release();
    }
    this.hooks.onEnd(this);
  }

  private applyWaitingUpdates(lease: RoomLease): void {
    if (this.current?.scope !== 'write') {
      this.waiting = [];
      return;
    }
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
          // A viewer's client sends its sync step 2 on connect like any other: dropped, not refused.
          this.hooks.telemetry.updateReceived(message.update.length);
          if (this.current!.scope === 'write') room.applyUpdate(message.update, this);
          else this.hooks.droppedUpdate();
          break;
        case 'awareness':
          room.applyAwareness(message.update, this, this.current!);
          break;
        case 'auth-token':
          this.hooks.renew(this, message.token);
          break;
        case 'query-awareness': {
          const states = room.encodeAwarenessStates();
          if (states) this.send(encodeAwareness(states));
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        this.hooks.logger.error({ err: error, room: this.roomId }, 'conn.error');
        this.close(CloseCode.InternalError);
        return;
      }
      this.hooks.logger.warn(
        { room: this.roomId, code: error.closeCode, reason: error.message, bytes: data.length },
        'conn.violation',
      );
      this.close(error.closeCode);
    }
  }
}
