/** Limits on what one socket may send, per second. */
export interface RateLimits {
  /** Document updates (and other requests: sync step 1, token renewals) a second. */
  updatesPerSecond: number;
  /** Bytes of document updates a second. */
  updateBytesPerSecond: number;
  /** Awareness (presence) messages a second. */
  awarenessPerSecond: number;
}

/** Frames held back at most, per socket, before it counts as flooding. */
const MAX_QUEUED_BYTES = 4 * 2 ** 20;

/** A bucket's rate (tokens a second) and capacity (its burst). */
interface BucketShape {
  readonly rate: number;
  readonly capacity: number;
}

/** The buckets every socket of a server has, and its queue cap: computed once, shared. */
export interface RateShape {
  readonly updates: BucketShape;
  readonly bytes: BucketShape;
  readonly awareness: BucketShape;
  readonly maxQueuedBytes: number;
  readonly now: () => number;
  /** Merges a waiting presence frame with a newer one; null keeps the newer alone. */
  readonly mergePresence: (older: Uint8Array, newer: Uint8Array) => Uint8Array | null;
}

/**
 * The shape of every socket's gate: bursts of twice the rate, a byte bucket and a queue that each
 * hold at least one largest frame, a queue of at most 4 MiB (or `maxBufferedBytes`).
 */
export function rateShape(
  limits: RateLimits & { maxMessageBytes: number; maxBufferedBytes: number },
  mergePresence: RateShape['mergePresence'] = () => null,
  now: () => number = () => performance.now(),
): RateShape {
  return {
    updates: { rate: limits.updatesPerSecond, capacity: limits.updatesPerSecond * 2 },
    bytes: {
      rate: limits.updateBytesPerSecond,
      capacity: Math.max(limits.updateBytesPerSecond * 2, limits.maxMessageBytes),
    },
    awareness: { rate: limits.awarenessPerSecond, capacity: limits.awarenessPerSecond * 2 },
    maxQueuedBytes: Math.max(Math.min(limits.maxBufferedBytes, MAX_QUEUED_BYTES), limits.maxMessageBytes),
    now,
    mergePresence,
  };
}

/** Tokens of one bucket: two numbers a socket, its shape shared. */
class Bucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly shape: BucketShape,
    private readonly now: () => number,
  ) {
    this.tokens = shape.capacity;
    this.last = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.shape.capacity, this.tokens + ((now - this.last) / 1000) * this.shape.rate);
    this.last = now;
  }

  /** Whether `cost` tokens are there (a cost over the capacity needs a full bucket). */
  has(cost: number): boolean {
    this.refill();
    return this.tokens >= Math.min(cost, this.shape.capacity);
  }

  /** Takes `cost` tokens; call after `has`. */
  spend(cost: number): void {
    this.tokens -= Math.min(cost, this.shape.capacity);
  }

  /** Milliseconds until `cost` tokens are there. */
  waitMs(cost: number): number {
    this.refill();
    const missing = Math.min(cost, this.shape.capacity) - this.tokens;
    return Math.max(1, Math.ceil((missing / this.shape.rate) * 1000));
  }
}

/** What the gate hands frames to: the connection. */
export interface GateTarget {
  deliver(frame: Uint8Array, binary: boolean): void;
  /** A frame had to wait. */
  throttled(kind: 'update' | 'awareness'): void;
  /** What waits passed the cap. */
  flooded(): void;
}

/**
 * An update (sync 0 with sub-type 1 or 2) costs an update and its bytes; any other request (sync
 * step 1, which makes the server compute a diff; a token renewal; query-awareness) an update.
 */
function isUpdate(frame: Uint8Array): boolean {
  return frame[0] === 0 && (frame[1] === 1 || frame[1] === 2);
}

interface Waiting {
  frame: Uint8Array;
  binary: boolean;
}

/**
 * Holds back what a socket sends faster than its limits. Updates and requests over the rate wait,
 * in order, until their tokens refill; presence waits apart (it never holds edits back) and a
 * newer presence update is merged into a waiting one (only the latest state of each client id
 * matters). A socket that keeps
 * sending past its limits fills its queue, and is told it `flooded` once the queue passes its
 * cap. A board drawing at full speed stays under the defaults, so it is never held back.
 */
export class RateGate {
  private readonly updates: Bucket;
  private readonly bytes: Bucket;
  private readonly awareness: Bucket;
  /** Updates and requests waiting, oldest at `head`; null until something has to wait. */
  private queue: Waiting[] | null = null;
  private head = 0;
  private queuedBytes = 0;
  /** The latest presence update waiting, if any. */
  private presence: Waiting | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly shape: RateShape,
    private readonly target: GateTarget,
  ) {
    this.updates = new Bucket(shape.updates, shape.now);
    this.bytes = new Bucket(shape.bytes, shape.now);
    this.awareness = new Bucket(shape.awareness, shape.now);
  }

  push(frame: Uint8Array, binary: boolean): void {
    if (binary && frame[0] === 1) {
      this.pushPresence({ frame, binary });
      return;
    }
    if (!this.waiting() && this.admit(frame, binary)) {
      this.target.deliver(frame, binary);
      return;
    }
    this.target.throttled('update');
    this.queue ??= [];
    this.queue.push({ frame, binary });
    this.queuedBytes += frame.length;
    if (this.queuedBytes > this.shape.maxQueuedBytes) {
      this.stop();
      this.target.flooded();
      return;
    }
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = null;
    this.head = 0;
    this.queuedBytes = 0;
    this.presence = null;
  }

  private waiting(): boolean {
    return this.queue !== null && this.head < this.queue.length;
  }

  private pushPresence(waiting: Waiting): void {
    if (!this.presence && this.awareness.has(1)) {
      this.awareness.spend(1);
      this.target.deliver(waiting.frame, waiting.binary);
      return;
    }
    this.target.throttled('awareness');
    const merged =
      this.presence && waiting.binary && this.shape.mergePresence(this.presence.frame, waiting.frame);
    this.presence = merged ? { frame: merged, binary: true } : waiting;
    this.schedule();
  }

  /** Takes the tokens a frame costs, if they are all there. */
  private admit(frame: Uint8Array, binary: boolean): boolean {
    if (!this.updates.has(1)) return false;
    if (binary && isUpdate(frame)) {
      if (!this.bytes.has(frame.length)) return false;
      this.bytes.spend(frame.length);
    }
    this.updates.spend(1);
    return true;
  }

  private waitMs(): number {
    let wait = Number.POSITIVE_INFINITY;
    const next = this.queue?.[this.head];
    if (next) {
      const bytes = next.binary && isUpdate(next.frame) ? this.bytes.waitMs(next.frame.length) : 0;
      wait = Math.max(this.updates.waitMs(1), bytes);
    }
    if (this.presence) wait = Math.min(wait, this.awareness.waitMs(1));
    return wait;
  }

  private schedule(): void {
    if (this.timer || (!this.waiting() && !this.presence)) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, this.waitMs());
  }

  private drain(): void {
    if (this.presence && this.awareness.has(1)) {
      const { frame, binary } = this.presence;
      this.presence = null;
      this.awareness.spend(1);
      this.target.deliver(frame, binary);
    }
    while (this.queue && this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      if (!this.admit(next.frame, next.binary)) break;
      this.queue[this.head++] = undefined as unknown as Waiting;
      this.queuedBytes -= next.frame.length;
      this.target.deliver(next.frame, next.binary);
    }
    // Let go of what was delivered once the queue is empty (or its delivered part is large).
    if (this.queue && (this.head === this.queue.length || this.head > 1024)) {
      this.queue = this.head === this.queue.length ? null : this.queue.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  }
}
