/**
 * What the core tells about its work, for metrics. The core calls these on its hot paths, so an
 * implementation must be cheap (the Prometheus one adds to plain numbers and reads them at
 * scrape time). No call carries a room name: per-room series would grow without bound.
 */
export interface Telemetry {
  connectionOpened(): void;
  /** A socket ended, with the close code it got or gave. */
  connectionClosed(code: number): void;
  roomLoaded(seconds: number): void;
  roomUnloaded(): void;
  /** A document update from a client (sync step 2 or update), applied or not. */
  updateReceived(bytes: number): void;
  /** One frame to one socket. */
  sent(bytes: number): void;
  /** A batch of updates is durable, `seconds` after its first was received. */
  durable(seconds: number): void;
  /** ... and relayed to the room, `seconds` after its first was received. */
  relayed(seconds: number): void;
  persistFailed(): void;
  compacted(seconds: number): void;
  readOnlyUpdateDropped(): void;
  /** A frame was held back by its socket's rate limits. */
  throttled(kind: 'update' | 'awareness'): void;
  /** A socket or request was refused access; `reason` is one of a few fixed words. */
  authDenied(reason: string): void;
}

const nothing = () => {};

/** Telemetry that goes nowhere (the core's tests, embedders without metrics). */
export const NO_TELEMETRY: Telemetry = {
  connectionOpened: nothing,
  connectionClosed: nothing,
  roomLoaded: nothing,
  roomUnloaded: nothing,
  updateReceived: nothing,
  sent: nothing,
  durable: nothing,
  relayed: nothing,
  persistFailed: nothing,
  compacted: nothing,
  readOnlyUpdateDropped: nothing,
  throttled: nothing,
  authDenied: nothing,
};
