import {
  CloseCode,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
  ProtocolError,
  type RoomId,
  VIEWER_PRESENCE_FIELDS,
} from '@inkroom/shared';
import * as Y from 'yjs';
import type { RoomLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomStore, StoredRoom } from '../storage/RoomStore.js';
import type { Cluster, RoomPeers } from './Cluster.js';
import type { Compactor } from './Compactor.js';
import { Integrator } from './Integrator.js';
import { RoomAwareness } from './RoomAwareness.js';
import { CorruptRoomError, checkStateVector, RoomContent } from './RoomContent.js';
import type { Session } from './Session.js';
import type { Telemetry } from './Telemetry.js';
import type { TickScheduler } from './TickScheduler.js';
import {
  firstClocks,
  inspectUpdate,
  readUpdateShape,
  type UpdateLimits,
  type UpdateShape,
} from './update-shape.js';

/** The room's own stored content, as the sender of its pieces while a write makes it a live doc. */
const STORED: RoomMember = { send() {}, close() {} };

/** Another server process sharing the store, as the sender of what it appended (see applyRemote). */
const REMOTE: RoomMember = { send() {}, close() {} };

/** Stored content past this size becomes a live doc in pieces rather than at once. */
const LOAD_IN_PIECES_BYTES = 64 * 1024;

/**
 * A live board whose stored log is this large is compacted, and answers sync step 1, from the log
 * in the `Compactor`'s worker, off the event loop; a smaller one from its doc, at once.
 */
const LARGE_LOG_BYTES = 4 * 1024 * 1024;

/** Updates up to this size are read (`inspectUpdate`) at once; larger ones in steps, in turns. */
const READ_AT_ONCE_BYTES = 256 * 1024;

/** Bytes of updates merged into one record at most (merging costs about 50 ms a MiB). */
const MAX_MERGE_BYTES = 256 * 1024;

/** What the operator's own imports may hold: no limit but the frame's (they are still cut in pieces). */
const TRUSTED: UpdateLimits = {
  maxUpdateStructs: Number.POSITIVE_INFINITY,
  maxUpdateClients: Number.POSITIVE_INFINITY,
  maxUpdateDeleteRanges: Number.POSITIVE_INFINITY,
};

/** Whether an update holds any struct from the clock ranges of retired (deleted) content. */
function carriesRetired(shape: UpdateShape, retired: Map<number, number>): boolean {
  for (const [client, clock] of firstClocks(shape)) {
    const retiredClock = retired.get(client);
    if (retiredClock !== undefined && clock < retiredClock) return true;
  }
  return false;
}

/** The room was deleted; reads of it are refused until it is undeleted. */
export class RoomDeletedError extends Error {
  override name = 'RoomDeletedError';
}

/** What every room of a server shares: storage, limits, logger, the drain scheduler, telemetry. */
export interface RoomContext {
  readonly store: RoomStore;
  readonly limits: RoomLimits;
  readonly logger: Logger;
  readonly scheduler: TickScheduler;
  readonly compactor: Compactor;
  readonly telemetry: Telemetry;
  /** The other processes serving the same rooms, if any (presence is shared with them). */
  readonly cluster?: Cluster | undefined;
}

/** A member of a room: what the room needs of a connection. */
export interface RoomMember {
  send(data: Uint8Array): void;
  close(code: CloseCode): void;
}

/**
 * One board in memory: its content, its presence, its members, and the write-ahead pipeline.
 *
 * Write-ahead: a client's update is applied to the doc at once (which validates it), but nothing
 * derived from it leaves the server until it is in the store. Updates applied in one turn of the
 * event loop are merged into one update, written as one record, then relayed as one message; a
 * sync step 2 computed while some of its content is still being written is held back until that
 * write is done. So whatever a client has received from another survives a `kill -9`.
 */
export class Room {
  private readonly members = new Set<RoomMember>();
  private readonly presence: RoomAwareness;
  private batch: Uint8Array[] = [];
  /** The origin of each update in `batch`. */
  private batchOrigins: unknown[] = [];
  /** Updates applied so far, and how many of them are durable. */
  private appliedSeq = 0;
  private durableSeq = 0;
  private readonly durableWaiters: { seq: number; run: () => void; abandon?: () => void }[] = [];
  private drainScheduled = false;
  private draining = false;
  /** The compaction running, if any (see compact). */
  private compaction: Promise<void> | null = null;
  private readonly idleWaiters: (() => void)[] = [];
  /** Waiting for every submitted update to be integrated. */
  private integratedWaiters: { run: () => void; abandon: () => void }[] = [];
  private readonly integrator: Integrator<RoomMember>;
  /** Bytes the store holds of the room (snapshot and tail). */
  private storedBytes: number;
  private tailCount: number;
  private tailBytes: number;
  private failed = false;
  private deleted: boolean;
  /** Clocks per client of content deleted with the room and not restored (see StoredRoom.retired). */
  private retired: Map<number, number> | null;
  /** Called once when a write fails and the room stops accepting writes. */
  onFailed: (() => void) | null = null;

  private readonly content: RoomContent;
  /** Presence has a small doc of its own: y-protocols' Awareness only needs one for its client id. */
  private readonly presenceDoc = new Y.Doc();
  /** The other processes serving the room (see Cluster). */
  private readonly peers: RoomPeers | null;

  private readonly store: RoomStore;
  private readonly limits: RoomLimits;
  private readonly logger: Logger;
  private readonly telemetry: Telemetry;
  /** When the first update of the batch being gathered was received (performance.now()). */
  private batchStartedAt = 0;

  private constructor(
    readonly id: RoomId,
    stored: StoredRoom,
    content: RoomContent,
    private readonly context: RoomContext,
  ) {
    this.content = content;
    ({ store: this.store, limits: this.limits, logger: this.logger, telemetry: this.telemetry } = context);
    this.storedBytes = stored.updates.reduce((sum, update) => sum + update.length, 0);
    this.tailCount = stored.tailCount;
    this.tailBytes = stored.tailBytes;
    this.deleted = stored.deleted;
    this.retired = stored.retired ? Y.decodeStateVector(stored.retired) : null;
    this.integrator = new Integrator<RoomMember>({
      sliceMs: this.limits.integrateSliceMs,
      msPerSecond: this.limits.integrateMsPerSecond,
      apply: (piece, from) => this.integrate(piece, from),
      accept: (shape) => this.checkRetired(shape),
      refuse: (from, error) => this.refuse(from, error),
      idle: () => this.integrated(),
      slow: (ms, units) =>
        this.logger.warn({ room: this.id, ms: Math.round(ms), units }, 'room.slow_integrate'),
      now: () => performance.now(),
      defer: (task) => setImmediate(task),
    });
    const { cluster } = context;
    this.presence = new RoomAwareness(
      this.presenceDoc,
      this.limits,
      (update) => this.broadcast(encodeAwareness(update), null),
      cluster ? (update) => this.peers?.publish(update) : null,
    );
    this.peers =
      cluster?.join(id, {
        presence: (update, node) => this.presence.applyRemote(update, node),
        asked: () => {
          const states = this.presence.encodeLocal();
          if (states) this.peers?.publish(states);
        },
        gone: (node) => this.presence.removeNode(node),
      }) ?? null;
  }

  /**
   * Loads a room: once its stored updates are read, it can answer any client. The live Y.Doc is
   * built only when someone writes (see RoomContent).
   */
  static async load(id: RoomId, context: RoomContext): Promise<Room> {
    const started = performance.now();
    const stored = await context.store.load(id);
    try {
      let room: Room | null = null;
      const content = await RoomContent.fromStored(
        stored.updates,
        (update, origin) => room!.enqueue(update, origin),
        context.compactor,
      );
      room = new Room(id, stored, content, context);
      const loaded = room;
      context.store.follow?.(id, (update) => loaded.applyRemote(update));
      const ms = performance.now() - started;
      context.telemetry.roomLoaded(ms / 1000);
      context.logger.debug({ room: id, updates: stored.updates.length, ms }, 'room.load');
      return room;
    } catch (error) {
      context.store.release(id);
      throw new Error(`room ${id} holds updates that do not decode`, { cause: error });
    }
  }

  /** Bytes of updates waiting for missing dependencies. */
  get pendingBytes(): number {
    return this.content.pendingBytes;
  }

  /** The room is deleted: it takes no member and no write. */
  get isDeleted(): boolean {
    return this.deleted;
  }

  /**
   * Marks the room deleted and closes every member (4410); it unloads as they go. Whoever waits
   * for writes to be durable is told it is deleted (what waited is not written).
   */
  markDeleted(): void {
    this.deleted = true;
    this.batch = [];
    this.batchOrigins = [];
    this.integrator.clear();
    for (const waiter of this.integratedWaiters.splice(0)) waiter.abandon();
    for (const waiter of this.durableWaiters.splice(0)) waiter.abandon?.();
    for (const member of [...this.members]) member.close(CloseCode.RoomDeleted);
  }

  /** Lifts the deleted mark of a room still in memory (its content was removed). */
  markUndeleted(): void {
    this.deleted = false;
  }

  /** The operator restores content: what was retired may come back. */
  clearRetired(): void {
    this.retired = null;
  }

  /** The room's state vector (to retire its content when it is deleted). */
  stateVector(): Promise<Uint8Array> {
    return this.content.stateVector();
  }

  /** True once a write failed: the room takes no more writes and is on its way out. */
  get isFailed(): boolean {
    return this.failed;
  }

  /** Adds a member and sends it everyone's presence. */
  join(member: RoomMember): void {
    this.members.add(member);
    const states = this.presence.encodeAll();
    if (states) member.send(encodeAwareness(states));
  }

  /**
   * Sends a member our state vector (sync step 1), asking for what we lack. Called after the
   * member's own first frames are answered: for a large board not yet live, computing the state
   * vector costs more than handing a fresh client the stored bytes.
   */
  greet(member: RoomMember): void {
    if (this.failed) return;
    this.content.stateVector().then(
      (stateVector) => {
        if (!this.failed && this.members.has(member)) member.send(encodeSyncStep1(stateVector));
      },
      (error: unknown) => this.fail(error),
    );
  }

  leave(member: RoomMember): void {
    if (!this.members.delete(member)) return;
    this.presence.removeOwner(member);
  }

  /**
   * Applies a document update from a member: checked against the update limits from its bytes,
   * then integrated at once or in pieces (see Integrator). Throws ProtocolError for an update
   * refused before any of it is integrated; a refusal later closes the member. `trusted` (the
   * operator's imports) lifts the update limits.
   */
  applyUpdate(update: Uint8Array, from: RoomMember, trusted = false): void {
    if (this.failed || this.deleted) return;
    const limits = trusted ? TRUSTED : this.limits;
    // A large update is read in steps too: reading 8 MB at once held every room for 50 ms.
    const shape = update.length <= READ_AT_ONCE_BYTES ? inspectUpdate(update, limits) : null;
    if (shape) this.checkRetired(shape);
    if (!this.content.isLive && !this.content.isLoading && this.content.storedBytes > LOAD_IN_PIECES_BYTES) {
      // A large board's first write: its stored content is read and integrated in pieces first.
      this.integrator.prepend(readUpdateShape(this.content.beginLoading(), TRUSTED), STORED);
    }
    this.integrator.submit(shape ?? readUpdateShape(update, limits), from, trusted);
  }

  /** A copy made before the room was deleted (an offline board) must not bring its content back. */
  private checkRetired(shape: UpdateShape): void {
    if (this.retired && carriesRetired(shape, this.retired))
      throw new ProtocolError(CloseCode.RoomDeleted, 'content from before the room was deleted');
  }

  /**
   * Integrates one piece. Returns true when it left more waiting for missing dependencies than
   * before: the rest of its update, which they may be in, is then integrated whole.
   */
  private integrate(piece: Uint8Array, from: RoomMember): boolean {
    if (this.failed || this.deleted) return false;
    const pending = this.content.pendingBytes;
    try {
      if (from === STORED) {
        this.content.loadPiece(piece);
        if (!this.integrator.preparing) this.content.finishLoading();
      } else {
        this.content.apply(piece, from, this.limits.maxPendingUpdateBytes);
      }
    } catch (error) {
      if (!(error instanceof CorruptRoomError)) throw error;
      this.fail(error);
      return false;
    }
    return this.content.pendingBytes > pending;
  }

  /** An update integrated in turns was refused part way: its sender is closed. */
  private refuse(from: RoomMember, error: unknown): void {
    if (from === STORED) {
      // The room's own stored content does not read: the room cannot go on from it.
      this.fail(new CorruptRoomError(`stored content does not read: ${(error as Error).message}`));
      return;
    }
    if (error instanceof ProtocolError) {
      this.logger.warn({ room: this.id, code: error.closeCode, reason: error.message }, 'update.refused');
      from.close(error.closeCode);
    } else {
      this.logger.error({ err: error, room: this.id }, 'update.error');
      from.close(CloseCode.InternalError);
    }
  }

  private integrated(): void {
    for (const waiter of this.integratedWaiters.splice(0)) waiter.run();
    if (!this.draining && !this.drainScheduled) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Runs `run` once every submitted update is integrated; `abandon` if the room fails or is deleted first. */
  private afterIntegrated(run: () => void, abandon: () => void): void {
    if (this.integrator.busy) this.integratedWaiters.push({ run, abandon });
    else run();
  }

  /**
   * Answers a sync step 1: what the asker lacks, sent once all of it is durable. For a large live
   * board, computing it from the doc would hold the event loop (the whole document is walked): it
   * is computed from the stored log instead, off the loop. That is durable already, and whatever
   * becomes durable later reaches the asker, a member, as a relay.
   */
  answerSyncStep1(stateVector: Uint8Array, to: RoomMember): void {
    if (this.failed) return;
    if (this.content.isLive && this.storedBytes >= LARGE_LOG_BYTES) {
      checkStateVector(stateVector);
      const empty = stateVector.length === 1 && stateVector[0] === 0;
      // Read now: whatever is appended after reaches the asker, a member, as a relay.
      const answer = this.store
        .readLog(this.id)
        .then((log) => (empty && log.length === 1 ? log[0]! : this.context.compactor.diff(log, stateVector)));
      answer.then(
        (diff) => to.send(encodeSyncStep2(diff)),
        (error: unknown) => {
          // The asker must not wait for a reply that never comes: it is computed here instead.
          this.logger.error({ err: error, room: this.id }, 'room.diff_error');
          this.answerFromDoc(stateVector, to);
        },
      );
      return;
    }
    this.answerFromDoc(stateVector, to);
  }

  /**
   * Answers from the content: at once from a live doc or small stored bytes, off the event loop
   * from large stored bytes (durable already). Throws ProtocolError for a bad state vector.
   */
  private answerFromDoc(stateVector: Uint8Array, to: RoomMember): void {
    if (this.failed || this.deleted) return;
    this.content.diff(stateVector).then(
      (diff) => {
        if (this.failed || this.deleted) return;
        const reply = encodeSyncStep2(diff);
        this.afterDurable(() => to.send(reply));
      },
      (error: unknown) => {
        if (error instanceof CorruptRoomError) this.fail(error);
        else {
          this.logger.error({ err: error, room: this.id }, 'room.diff_error');
          to.close(CloseCode.InternalError);
        }
      },
    );
  }

  /**
   * The whole document once everything applied so far is durable: what a reader outside the
   * room (a preview) may see, under the same write-ahead rule as a joining client.
   */
  durableSnapshot(): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      if (this.failed || this.deleted) return reject(this.unusable());
      const abandon = () => reject(this.unusable());
      this.afterIntegrated(() => {
        if (this.storedBytes < LARGE_LOG_BYTES) {
          const snapshot = this.content.snapshot();
          this.afterDurable(() => resolve(snapshot), abandon);
          return;
        }
        // A large board: once durable, the stored log is the whole of it, built off the loop.
        this.afterDurable(() => {
          this.store
            .readLog(this.id)
            .then((log) => this.context.compactor.snapshot(log))
            .then(resolve, reject);
        }, abandon);
      }, abandon);
    });
  }

  /** Resolves once everything applied so far is durable; rejects if the room fails or is deleted first. */
  whenDurable(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failed || this.deleted) return reject(this.unusable());
      const abandon = () => reject(this.unusable());
      this.afterIntegrated(() => this.afterDurable(resolve, abandon), abandon);
    });
  }

  private unusable(): Error {
    return this.deleted ? new RoomDeletedError(`room ${this.id} is deleted`) : new Error('room failed');
  }

  /** Applies a member's presence, within what its session allows. */
  applyAwareness(update: Uint8Array, from: RoomMember, session: Session): void {
    const viewer = session.scope === 'read';
    this.presence.apply(update, from, {
      // A viewer speaks for its own client id alone, and publishes no stroke in progress.
      maxClients: viewer ? 1 : this.limits.maxAwarenessClientsPerConnection,
      fields: viewer ? VIEWER_PRESENCE_FIELDS : null,
      name: session.name,
    });
  }

  /** Every awareness state, for a query-awareness. */
  encodeAwarenessStates(): Uint8Array | null {
    return this.presence.encodeAll();
  }

  /** Resolves when every update applied so far has been written (or the room failed). */
  whenIdle(): Promise<void> {
    if (!this.draining && !this.drainScheduled && !this.integrator.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Flushes, compacts when worthwhile, and frees the doc. The room is unusable afterwards. */
  async unload(): Promise<void> {
    await this.whenIdle();
    await this.compaction;
    if (!this.failed && !this.deleted && this.tailCount >= this.limits.compactOnUnloadAfterUpdates) {
      try {
        await this.compact();
      } catch (error) {
        this.logger.error({ err: error, room: this.id }, 'room.compact_error');
      }
    }
    this.peers?.leave();
    this.presence.destroy();
    this.presenceDoc.destroy();
    this.content.destroy();
    this.store.release(this.id);
    this.telemetry.roomUnloaded();
    this.logger.debug({ room: this.id }, 'room.unload');
  }

  /**
   * An update another server process appended to the room's log: durable already, so it is
   * integrated (trusted: that process checked it) and relayed, never appended again.
   */
  applyRemote(update: Uint8Array): void {
    if (this.failed || this.deleted) return;
    this.tailCount++;
    this.tailBytes += update.length;
    this.storedBytes += update.length;
    this.applyUpdate(update, REMOTE, true);
  }

  private enqueue(update: Uint8Array, origin: unknown): void {
    if (origin === REMOTE) {
      this.broadcast(encodeUpdate(update), null);
      return;
    }
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

  private readonly drainTask = () => {
    this.drainScheduled = false;
    void this.drain();
  };

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.batch.length > 0 && !this.failed) {
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
        this.broadcast(encodeUpdate(merged), origins.size === 1 ? origins.values().next().value : null);
        this.telemetry.relayed((performance.now() - receivedAt) / 1000);
        this.runDurableWaiters();
        if (
          !this.compaction &&
          (this.tailCount >= this.limits.compactAfterUpdates ||
            this.tailBytes >= this.limits.compactAfterBytes)
        ) {
          // Appends go on while it runs: a large board's takes most of a second.
          this.compaction = this.compact().then(
            () => {
              this.compaction = null;
            },
            (error: unknown) => {
              this.compaction = null;
              this.fail(error);
            },
          );
        }
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = false;
      if (!this.drainScheduled && !this.integrator.busy)
        for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  /**
   * Replaces the stored log, as it is when called, with one snapshot. Started between two writes
   * of the room (every update appended so far is durable); later appends go on meanwhile and stay
   * after the snapshot. A board up to LARGE_LOG_BYTES is encoded from its doc at once (which holds
   * at least what the log does; an update it holds twice is harmless); a larger one is built
   * from its stored log, off the event loop (the `Compactor`).
   */
  private async compact(): Promise<void> {
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
    const snapshot =
      this.storedBytes >= LARGE_LOG_BYTES
        ? await this.context.compactor.snapshot(await this.store.readLog(this.id))
        : this.content.snapshot();
    await this.store.compact(this.id, snapshot, end);
    this.storedBytes = snapshot.length + this.storedBytes - replaced.stored;
    this.tailCount -= replaced.count;
    this.tailBytes -= replaced.bytes;
    const ms = performance.now() - started;
    this.telemetry.compacted(ms / 1000);
    this.logger.debug({ room: this.id, updates: replaced.count, bytes: snapshot.length, ms }, 'room.compact');
  }

  /** Runs `run` once everything applied so far is durable; `abandon` instead if the room fails first. */
  private afterDurable(run: () => void, abandon?: () => void): void {
    if (this.durableSeq >= this.appliedSeq) run();
    else this.durableWaiters.push({ seq: this.appliedSeq, run, abandon });
  }

  private runDurableWaiters(): void {
    while (this.durableWaiters.length > 0 && this.durableWaiters[0]!.seq <= this.durableSeq) {
      this.durableWaiters.shift()!.run();
    }
  }

  private broadcast(message: Uint8Array, except: unknown): void {
    for (const member of this.members) if (member !== except) member.send(message);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.telemetry.persistFailed();
    this.logger.error({ err: error, room: this.id }, 'persist.error');
    for (const waiter of this.durableWaiters.splice(0)) waiter.abandon?.();
    this.batch = [];
    this.batchOrigins = [];
    this.integrator.clear();
    for (const waiter of this.integratedWaiters.splice(0)) waiter.abandon();
    for (const member of [...this.members]) member.close(CloseCode.RoomUnavailable);
    this.onFailed?.();
  }
}
