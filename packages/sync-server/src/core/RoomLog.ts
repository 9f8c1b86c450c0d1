import type { RoomId } from '@inkroom/shared';
import * as Y from 'yjs';
import type { RoomLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomStore, StoredRoom } from '../storage/RoomStore.js';
import type { Compactor } from './Compactor.js';
import type { Telemetry } from './Telemetry.js';
import type { TickScheduler } from './TickScheduler.js';

/**
 * A live board whose stored log is this large is compacted, and answers sync step 1, from the log
 * in the `Compactor`'s worker, off the event loop; a smaller one from its doc, at once.
 */
const LARGE_LOG_BYTES = 4 * 1024 * 1024;

/** Bytes of updates merged into one record at most (merging costs about 50 ms a MiB). */
const MAX_MERGE_BYTES = 256 * 1024;

/** What a room's log uses of what every room of a server shares (see RoomContext). */
export interface RoomLogContext {
  readonly store: RoomStore;
  readonly limits: RoomLimits;
  readonly logger: Logger;
  readonly scheduler: TickScheduler;
  readonly compactor: Compactor;
  readonly telemetry: Telemetry;
}

/** What a room's log asks of its room. */
export interface RoomLogHooks {
  /** The whole document, encoded now (a board up to LARGE_LOG_BYTES is compacted from it). */
  readonly snapshot: () => Uint8Array;
  /** Relays an update now durable to every member but `except` (its sole sender, if one). */
  readonly relay: (update: Uint8Array, except: unknown) => void;
  /** The updates of these origins (their senders) are durable. */
  readonly durable: (origins: ReadonlySet<unknown>) => void;
  /** A write or a compaction failed: the room stops accepting writes. */
  readonly fail: (error: unknown) => void;
  /** A drain ended with nothing more to write. */
  readonly idle: () => void;
}

/**
 * A room's write path (see Room for the write-ahead rule it keeps): what its doc integrated,
 * batched, appended to the store and only then relayed; what is durable so far and who waits for
 * it; compaction of the stored log.
 *
 * Updates written in one turn of the event loop are merged and appended as one record, then
 * relayed as one message. One append is in flight at a time; what is written meanwhile forms the
 * next batch.
 */
export class RoomLog {
  private batch: Uint8Array[] = [];
  /** The origin of each update in `batch`. */
  private batchOrigins: unknown[] = [];
  /** Updates applied so far, and how many of them are durable. */
  private appliedSeq = 0;
  private durableSeq = 0;
  private readonly durableWaiters: { seq: number; run: () => void; abandon?: () => void }[] = [];
  private drainScheduled = false;
  private draining = false;
  /** Set once the room failed: nothing more is written. */
  private stopped = false;
  private runningCompaction: Promise<void> | null = null;
  /** Bytes the store holds of the room (snapshot and tail). */
  private storedBytes: number;
  private tailCount: number;
  private tailBytes: number;
  /** When the first update of the batch being gathered was received (performance.now()). */
  private batchStartedAt = 0;

  private readonly store: RoomStore;
  private readonly limits: RoomLimits;
  private readonly logger: Logger;
  private readonly telemetry: Telemetry;

  constructor(
    private readonly id: RoomId,
    stored: StoredRoom,
    private readonly context: RoomLogContext,
    private readonly hooks: RoomLogHooks,
  ) {
    ({ store: this.store, limits: this.limits, logger: this.logger, telemetry: this.telemetry } = context);
    this.storedBytes = stored.updates.reduce((sum, update) => sum + update.length, 0);
    this.tailCount = stored.tailCount;
    this.tailBytes = stored.tailBytes;
  }

  /** The stored log is LARGE_LOG_BYTES or more: it is read and compacted off the event loop. */
  get isLarge(): boolean {
    return this.storedBytes >= LARGE_LOG_BYTES;
  }

  /** True while a drain is scheduled or running. */
  get busy(): boolean {
    return this.draining || this.drainScheduled;
  }

  /** The compaction running, if any (see compact). */
  get compaction(): Promise<void> | null {
    return this.runningCompaction;
  }

  /** The tail is long enough to be compacted when the room unloads, so a load reads one snapshot. */
  get compactsOnUnload(): boolean {
    return this.tailCount >= this.limits.compactOnUnloadAfterUpdates;
  }

  /** Writes an update the doc integrated, with the others of this turn, then relays it. */
  write(update: Uint8Array, origin: unknown): void {
    if (this.batch.length === 0) this.batchStartedAt = performance.now();
    this.batch.push(update);
    this.batchOrigins.push(origin);
    this.appliedSeq++;
    if (this.drainScheduled || this.draining) return;
    this.drainScheduled = true;
    // The next check phase rather than a microtask: every frame read in this I/O phase joins the
    // batch, and every room drains in the same callback, so the store writes them together.
    this.context.scheduler.queue(this.drainTask);
  }

  /** Counts an update another server process appended to the stored log. */
  countAppended(bytes: number): void {
    this.tailCount++;
    this.tailBytes += bytes;
    this.storedBytes += bytes;
  }

  /** Runs `run` once everything applied so far is durable; `abandon` instead if the room fails first. */
  afterDurable(run: () => void, abandon?: () => void): void {
    if (this.durableSeq >= this.appliedSeq) run();
    else this.durableWaiters.push({ seq: this.appliedSeq, run, abandon });
  }

  /** Drops the updates not written yet (the room was deleted, or failed). */
  drop(): void {
    this.batch = [];
    this.batchOrigins = [];
  }

  /** Tells whoever waits for writes to be durable that they will not be. */
  abandonWaiters(): void {
    for (const waiter of this.durableWaiters.splice(0)) waiter.abandon?.();
  }

  /** The room failed: waiters are abandoned, nothing more is written. */
  stop(): void {
    this.stopped = true;
    this.abandonWaiters();
    this.drop();
  }

  private readonly drainTask = () => {
    this.drainScheduled = false;
    void this.drain();
  };

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.batch.length > 0 && !this.stopped) {
        // At most MAX_MERGE_BYTES merged at once (what piled up during a long write stays cheap
        // to merge); the rest is the next record.
        let take = 1;
        let bytes = this.batch[0]!.length;
        while (take < this.batch.length && bytes + this.batch[take]!.length <= MAX_MERGE_BYTES)
          bytes += this.batch[take++]!.length;
        const updates = this.batch.splice(0, take);
        const origins = new Set(this.batchOrigins.splice(0, take));
        const seq = this.appliedSeq - this.batch.length;
        const receivedAt = this.batchStartedAt;
        if (this.batch.length > 0) this.batchStartedAt = performance.now();
        const merged = updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates);
        await this.store.append(this.id, merged);
        this.telemetry.durable((performance.now() - receivedAt) / 1000);
        this.storedBytes += merged.length;
        this.tailCount++;
        this.tailBytes += merged.length;
        this.durableSeq = seq;
        // A sole sender already has its update; several senders each lack the others'.
        this.hooks.relay(merged, origins.size === 1 ? origins.values().next().value : null);
        this.telemetry.relayed((performance.now() - receivedAt) / 1000);
        this.hooks.durable(origins);
        this.runDurableWaiters();
        if (
          !this.runningCompaction &&
          (this.tailCount >= this.limits.compactAfterUpdates ||
            this.tailBytes >= this.limits.compactAfterBytes)
        ) {
          // Appends go on while it runs: a large board's takes most of a second.
          this.runningCompaction = this.compact().then(
            () => {
              this.runningCompaction = null;
            },
            (error: unknown) => {
              this.runningCompaction = null;
              this.hooks.fail(error);
            },
          );
        }
      }
    } catch (error) {
      this.hooks.fail(error);
    } finally {
      this.draining = false;
      if (!this.drainScheduled) this.hooks.idle();
    }
  }

  /**
   * Replaces the stored log, as it is when called, with one snapshot. Started between two writes
   * of the room (every update appended so far is durable); later appends go on meanwhile and stay
   * after the snapshot. A board up to LARGE_LOG_BYTES is encoded from its doc at once (which holds
   * at least what the log does; an update it holds twice is harmless); a larger one is built
   * from its stored log, off the event loop (the `Compactor`).
   */
  async compact(): Promise<void> {
    const started = performance.now();
    if (this.store.compactFromLog) {
      // A shared store: from what it holds, which this process's doc may not all have yet.
      const done = await this.store.compactFromLog(this.id, (log) => this.context.compactor.snapshot(log));
      if (!done) return;
      this.tailCount = Math.max(0, this.tailCount - done.updates);
      this.tailBytes = Math.max(0, this.tailBytes - done.bytes);
      this.storedBytes = done.snapshot + this.tailBytes;
      const ms = performance.now() - started;
      this.telemetry.compacted(ms / 1000);
      this.logger.debug({ room: this.id, updates: done.updates, bytes: done.snapshot, ms }, 'room.compact');
      return;
    }
    const end = this.store.logEnd(this.id);
    const replaced = { count: this.tailCount, bytes: this.tailBytes, stored: this.storedBytes };
    const snapshot = this.isLarge
      ? await this.context.compactor.snapshot(await this.store.readLog(this.id))
      : this.hooks.snapshot();
    await this.store.compact(this.id, snapshot, end);
    this.storedBytes = snapshot.length + this.storedBytes - replaced.stored;
    this.tailCount -= replaced.count;
    this.tailBytes -= replaced.bytes;
    const ms = performance.now() - started;
    this.telemetry.compacted(ms / 1000);
    this.logger.debug({ room: this.id, updates: replaced.count, bytes: snapshot.length, ms }, 'room.compact');
  }

  private runDurableWaiters(): void {
    while (this.durableWaiters.length > 0 && this.durableWaiters[0]!.seq <= this.durableSeq) {
      this.durableWaiters.shift()!.run();
    }
  }
}
