import type { RawData, WebSocket } from 'ws';
import type { ServerSocket } from './core/ServerSocket.js';
import type { Logger } from './logger.js';

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** How long a peer has to answer the server's close frame before its socket is cut. */
const CLOSE_ANSWER_MS = 1000;

/** Adapts a `ws` socket to the core's {@link ServerSocket}. */
export function wsServerSocket(ws: WebSocket, logger: Logger): ServerSocket {
  // ws reports frames over maxPayload, bad UTF-8 in close frames and the like as errors, then
  // sends its close frame (1009 for an oversized frame); an error without a listener would take
  // the process down. ws would then read and throw away whatever the peer still sends until the
  // peer answers (a 64 MB frame is read whole, and the allocator keeps much of it): the socket is
  // cut once the close frame is written.
  ws.on('error', (error: Error & { code?: string }) => {
    logger.warn({ code: error.code, reason: error.message }, 'conn.error');
    setImmediate(() => ws.terminate());
  });
  return {
    send(data) {
      if (ws.readyState === ws.OPEN) ws.send(data, { binary: true });
    },
    close(code, reason) {
      if (ws.readyState !== ws.OPEN && ws.readyState !== ws.CONNECTING) return;
      ws.close(code, reason);
      // A peer that never answers the close (one that stopped reading, say) would hold its socket
      // and what is queued for it until ws's own 30 s timeout: cut it after a second instead.
      const cut = setTimeout(() => ws.terminate(), CLOSE_ANSWER_MS);
      cut.unref();
      ws.once('close', () => clearTimeout(cut));
    },
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    onMessage(listener) {
      ws.on('message', (data, isBinary) => listener(toBytes(data), isBinary));
    },
    onClose(listener) {
      ws.on('close', (code: number) => listener(code));
    },
  };
}

/**
 * Pings every socket each interval; one that has not answered the previous ping is dropped, which
 * ends its connection and removes its presence for everyone else.
 */
export class Heartbeat {
  private readonly alive = new WeakSet<WebSocket>();
  private timer: NodeJS.Timeout | null = null;

  /** Starts watching a socket; it counts as alive until its first ping goes unanswered. */
  track(ws: WebSocket): void {
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
  }

  start(sockets: Iterable<WebSocket>, intervalMs: number): void {
    this.timer = setInterval(() => {
      for (const ws of sockets) {
        if (!this.alive.has(ws)) {
          ws.terminate();
          continue;
        }
        this.alive.delete(ws);
        ws.ping();
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
