/** Limits on what one socket may send, per second. */
export interface RateLimits {
  /** Document updates (and other requests: sync step 1, token renewals) a second. */
  updatesPerSecond: number;
  /** Bytes of document updates a second. */
  updateBytesPerSecond: number;
  /** Awareness (presence) messages a second. */
  awarenessPerSecond: number;
}

/**
 * Tokens that refill at `rate` a second up to `capacity`: a rate with a burst. Plain numbers,
 * since every socket has three.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly capacity: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  /** Whether `cost` tokens are there (a cost over the capacity needs a full bucket). */
  has(cost: number): boolean {
    this.refill();
    return this.tokens >= Math.min(cost, this.capacity);
  }

  /** Takes `cost` tokens; call after `has`. */
  spend(cost: number): void {
    this.tokens -= Math.min(cost, this.capacity);
  }

  /** Milliseconds until `cost` tokens are there. */
  waitMs(cost: number): number {
    this.refill();
    return Math.max(1, Math.ceil(((Math.min(cost, this.capacity) - this.tokens) / this.rate) * 1000));
  }
}

/**
 * What a frame costs, from its first two bytes (y-websocket): an update (sync 0 with sub-type 1
 * or 2) costs an update and its bytes; presence (1) a presence token; any other request (sync
 * step 1, which makes the server compute a diff; a token renewal; query-awareness) an update.
 */
function isUpdate(frame: Uint8Array): boolean {
  return frame[0] === 0 && (frame[1] === 1 || frame[1] === 2);
}

interface Waiting {
  frame: Uint8Array;
  binary: boolean;
}

/** Frames held back at most, per socket, before it counts as flooding. */
const MAX_QUEUED_BYTES = 4 * 2 ** 20;

/**
 * Holds back what a socket sends faster than its limits. Updates and requests over the rate wait,
 * in order, until their tokens refill; presence waits apart (it never holds edits back) and a
 * newer presence update replaces a waiting one (only the latest matters). A socket that keeps
 * sending past its limits fills its queue, and `overflow` is called once it holds more than a few
 * MiB (or `maxQueuedBytes`, when smaller; at least one largest frame). A board drawing at full
 * speed stays under the defaults, so it is never held back.
 */
export class RateGate {
  private readonly updates: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly awareness: TokenBucket;
  /** Updates and requests waiting, oldest at `head`. */
  private queue: Waiting[] = [];
  private head = 0;
  private queuedBytes = 0;
  /** The latest presence update waiting, if any. */
  private presence: Waiting | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly maxQueuedBytes: number;

  constructor(
    limits: RateLimits,
    /** The largest frame: the byte bucket and the queue each hold at least one. */
    maxMessageBytes: number,
    maxQueuedBytes: number,
    private readonly deliver: (frame: Uint8Array, binary: boolean) => void,
    private readonly overflow: () => void,
    /** Told each time a frame has to wait. */
    private readonly throttled: (kind: 'update' | 'awareness') => void,
    now: () => number = performance.now.bind(performance),
  ) {
    this.updates = new TokenBucket(limits.updatesPerSecond, limits.updatesPerSecond * 2, now);
    this.bytes = new TokenBucket(
      limits.updateBytesPerSecond,
      Math.max(limits.updateBytesPerSecond * 2, maxMessageBytes),
      now,
    );
    this.awareness = new TokenBucket(limits.awarenessPerSecond, limits.awarenessPerSecond * 2, now);
    this.maxQueuedBytes = Math.max(Math.min(maxQueuedBytes, MAX_QUEUED_BYTES), maxMessageBytes);
  }

  push(frame: Uint8Array, binary: boolean): void {
    if (binary && frame[0] === 1) {
      this.pushPresence({ frame, binary });
      return;
    }
    if (this.head === this.queue.length && this.admit(frame, binary)) {
      this.deliver(frame, binary);
      return;
    }
    this.throttled('update');
    this.queue.push({ frame, binary });
    this.queuedBytes += frame.length;
    if (this.queuedBytes > this.maxQueuedBytes) {
      this.stop();
      this.overflow();
      return;
    }
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    this.presence = null;
  }

  private pushPresence(waiting: Waiting): void {
    if (!this.presence && this.awareness.has(1)) {
      this.awareness.spend(1);
      this.deliver(waiting.frame, waiting.binary);
      return;
    }
    this.throttled('awareness');
    this.presence = waiting;
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
    const next = this.queue[this.head];
    if (next) {
      const bytes = next.binary && isUpdate(next.frame) ? this.bytes.waitMs(next.frame.length) : 0;
      wait = Math.max(this.updates.waitMs(1), bytes);
    }
    if (this.presence) wait = Math.min(wait, this.awareness.waitMs(1));
    return wait;
  }

  private schedule(): void {
    if (this.timer || (this.head === this.queue.length && !this.presence)) return;
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
      this.deliver(frame, binary);
    }
    while (this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      if (!this.admit(next.frame, next.binary)) break;
      this.queue[this.head++] = undefined as unknown as Waiting;
      this.queuedBytes -= next.frame.length;
      this.deliver(next.frame, next.binary);
    }
    // Drop what was delivered once the queue is empty (or its delivered part is large).
    if (this.head === this.queue.length || this.head > 1024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  }
}
