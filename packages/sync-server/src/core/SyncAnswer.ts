import { encodeSyncStep2, encodeUpdate } from '@inkroom/shared';
import { UpdateSlicer } from './UpdateSlicer.js';
import { NO_UPDATE_LIMITS, readUpdateShape, type UpdateShape } from './update-shape.js';

/**
 * A sync step 2 larger than this goes out in pieces of about this size: one is 25-80 ms of a
 * browser's time (pieces of 128 KiB took up to 130 ms).
 */
export const ANSWER_PIECE_BYTES = 64 * 1024;

/**
 * The first piece's size; each next one is twice the last, up to ANSWER_PIECE_BYTES. A browser
 * runs the first piece on cold code (a first piece of 128 KiB took it 290 ms, the next ones 40).
 */
const FIRST_PIECE_BYTES = 16 * 1024;

/**
 * While this much is queued on the asker's socket (or half what the server lets a socket queue,
 * `--max-buffered-bytes`, if that is less), the next piece waits for it to drain.
 */
const ANSWER_BACKLOG_BYTES = 4 * 1024 * 1024;

/** How long a piece waits before looking at the backlog again. */
const BACKLOG_WAIT_MS = 10;

/** Where an answer goes (a room member): a socket, and how much it still holds unsent. */
export interface AnswerTarget {
  send(data: Uint8Array): void;
  /** Bytes sent but not yet taken by the peer; absent when there is no socket to wait for. */
  readonly backlog?: number;
  /** What the socket may queue before it counts as not reading (and is closed). */
  readonly maxBacklog?: number;
}

/**
 * Sends `diff`, the answer to a sync step 1, to `to`. A small one is a sync step 2. A large one
 * (a big board's first sync) is cut into updates of up to {@link ANSWER_PIECE_BYTES}, in
 * dependency order, each sent as an update message, and the last as the sync step 2. A browser
 * applies each message in a task of its own, so it paints and stays responsive while a board of
 * 50,000 strokes arrives (one 13 MB step 2 was a second-long task); a stock client still counts
 * itself synced at the step 2, when everything has arrived.
 *
 * The pieces are cut a few at a time, one turn of the event loop each, and wait while the socket
 * has more than 4 MiB unsent (less on a server that lets a socket queue less): a client that reads
 * slowly gets the whole answer, where sending it at once would have it closed as not reading.
 * `wanted` is asked before each piece: once it says no (the asker left or asked again, the room
 * failed), nothing more is sent.
 */
export function sendSyncAnswer(diff: Uint8Array, to: AnswerTarget, wanted: () => boolean): void {
  if (diff.length <= ANSWER_PIECE_BYTES) {
    to.send(encodeSyncStep2(diff));
    return;
  }
  const reading = readUpdateShape(diff, NO_UPDATE_LIMITS);
  const backlogLimit = Math.min(ANSWER_BACKLOG_BYTES, (to.maxBacklog ?? Number.POSITIVE_INFINITY) / 2);
  let slicer: UpdateSlicer | null = null;
  let pieceBytes = FIRST_PIECE_BYTES;
  const step = (): void => {
    if (!wanted()) return;
    if (!slicer) {
      let read: IteratorResult<void, UpdateShape>;
      try {
        read = reading.next();
      } catch {
        // Our own content always reads; should it not, it goes whole, as before.
        to.send(encodeSyncStep2(diff));
        return;
      }
      if (read.done) slicer = new UpdateSlicer(read.value);
      setImmediate(step);
      return;
    }
    if ((to.backlog ?? 0) > backlogLimit) {
      setTimeout(step, BACKLOG_WAIT_MS);
      return;
    }
    // Never more than the socket may hold on top of what it holds now (a small --max-buffered-bytes).
    const piece = slicer.next(slicer.unitsWithin(Math.min(pieceBytes, backlogLimit)));
    pieceBytes = Math.min(ANSWER_PIECE_BYTES, pieceBytes * 2);
    if (slicer.done) {
      to.send(encodeSyncStep2(piece));
      return;
    }
    to.send(encodeUpdate(piece));
    setImmediate(step);
  };
  step();
}
