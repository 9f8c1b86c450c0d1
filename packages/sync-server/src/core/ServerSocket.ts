/**
 * The little the room core needs of a client connection. The `ws` shell adapts its sockets to
 * this; tests drive the core with in-memory ones.
 */
export interface ServerSocket {
  /** Sends one binary frame. Frames sent after close are dropped. */
  send(data: Uint8Array): void;
  /** Closes with a close code and a short reason. */
  close(code: number, reason: string): void;
  /** Bytes queued but not yet written, for spotting slow readers. */
  readonly bufferedAmount: number;
  onMessage(listener: (data: Uint8Array, isBinary: boolean) => void): void;
  /** Called once, with the close code the socket ended with (1006 when it just dropped). */
  onClose(listener: (code: number) => void): void;
}
