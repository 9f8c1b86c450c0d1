/**
 * Counts events per key (a client address) in fixed one-minute windows: `take` is false once a
 * key has had `limit` in the current window. Keys from past windows are dropped as it goes, so it
 * holds only the keys of the last minute.
 */
export class FixedWindowLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one event for `key`; false when it is over the limit (and then not counted). */
  take(key: string): boolean {
    const now = this.now();
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.counts = new Map();
    }
    const count = this.counts.get(key) ?? 0;
    if (count >= this.limit) return false;
    this.counts.set(key, count + 1);
    return true;
  }
}
