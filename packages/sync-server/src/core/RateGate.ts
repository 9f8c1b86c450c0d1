/** Limits on what one socket may send, per second. */
export interface RateLimits {
  /** Document updates (sync step 2 and update messages) a second. */
  updatesPerSecond: number;
  /** Bytes of document updates a second. */
  updateBytesPerSecond: number;
  /** Awareness (presence) messages a second. */
  awarenessPerSecond: number;
}

/** Tokens that refill at `rate` a second up to `capacity`: a rate with a burst. */
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

  /** Takes `cost` tokens if there are that many (a cost over the capacity needs a full bucket). */
  take(cost: number): boolean {
    this.refill();
    const needed = Math.min(cost, this.capacity);
    if (this.tokens < needed) return false;
    this.tokens -= needed;
    return true;
  }

  /** Milliseconds until `cost` tokens are there. */
  waitMs(cost: number): number {
    this.refill();
    return Math.max(1, Math.ceil(((Math.min(cost, this.capacity) - this.tokens) / this.rate) * 1000));
  }
}

type FrameKind = 'update' | 'awareness' | 'other';

/** What a frame is, from its first two bytes (y-websocket: sync 0 with sub-type 1 or 2, awareness 1). */
function kindOf(frame: Uint8Array): FrameKind {
  if (frame[0] === 0 && (frame[1] === 1 || frame[1] === 2)) return 'update';
  if (frame[0] === 1) return 'awareness';
  return 'other';
}

/**
 * Holds back what a socket sends faster than its limits: frames over the rate wait, in order,
 * until their tokens refill, and a presence update still waiting is replaced by a newer one (only
 * the latest matters). A socket that keeps sending past its limits fills the wait queue, and
 * `overflow` is called once it holds more than `maxQueuedBytes`. A board drawing at full speed
 * stays well under the defaults, so it is never held back.
 */
export class RateGate {
  private readonly updates: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly awareness: TokenBucket;
  private queue: { frame: Uint8Array; binary: boolean; kind: FrameKind }[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    limits: RateLimits,
    /** The largest frame: the byte bucket holds at least one. */
    maxMessageBytes: number,
    private readonly maxQueuedBytes: number,
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
  }

  push(frame: Uint8Array, binary: boolean): void {
    const kind = binary ? kindOf(frame) : 'other';
    if (this.queue.length === 0 && this.admit(frame, kind)) {
      this.deliver(frame, binary);
      return;
    }
    if (kind !== 'other') this.throttled(kind);
    if (kind === 'awareness') {
      const waiting = this.queue.findIndex((entry) => entry.kind === 'awareness');
      if (waiting >= 0) {
        this.queuedBytes += frame.length - this.queue[waiting]!.frame.length;
        this.queue[waiting] = { frame, binary, kind };
        return;
      }
    }
    this.queue.push({ frame, binary, kind });
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
    this.queuedBytes = 0;
  }

  private admit(frame: Uint8Array, kind: FrameKind): boolean {
    if (kind === 'awareness') return this.awareness.take(1);
    if (kind !== 'update') return true;
    if (!this.updates.take(1)) return false;
    if (this.bytes.take(frame.length)) return true;
    // Give the update token back by waiting for both next time: it was not used.
    this.updates.take(-1);
    return false;
  }

  private waitMs(entry: { frame: Uint8Array; kind: FrameKind }): number {
    if (entry.kind === 'awareness') return this.awareness.waitMs(1);
    return Math.max(this.updates.waitMs(1), this.bytes.waitMs(entry.frame.length));
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, this.waitMs(this.queue[0]!));
  }

  private drain(): void {
    while (this.queue.length > 0 && this.admit(this.queue[0]!.frame, this.queue[0]!.kind)) {
      const entry = this.queue.shift()!;
      this.queuedBytes -= entry.frame.length;
      this.deliver(entry.frame, entry.binary);
    }
    this.schedule();
  }
}
