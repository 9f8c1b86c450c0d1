import {
  CloseCode,
  encodeAwareness,
  encodeSyncStep1,
  encodeUpdate,
  ProtocolError,
  type RoomId,
  VIEWER_PRESENCE_FIELDS,
} from '@inkroom/shared';
import * as Y from 'yjs';
import type { RoomLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { RoomStore, StoredRoom } from '../storage/RoomStore.js';
import type { VersionInfo, VersionStore } from '../storage/VersionStore.js';
import type { Cluster, RoomPeers } from './Cluster.js';
import { Integrator } from './Integrator.js';
import { RoomAwareness } from './RoomAwareness.js';
import { CorruptRoomError, checkStateVector, RoomContent } from './RoomContent.js';
import { RoomLog, type RoomLogContext } from './RoomLog.js';
import { RoomVersions } from './RoomVersions.js';
import type { Session } from './Session.js';
import { type AnswerTarget, sendSyncAnswer } from './SyncAnswer.js';
import type { Telemetry } from './Telemetry.js';
import {
  firstClocks,
  inspectUpdate,
  NO_UPDATE_LIMITS,
  readUpdateShape,
  type UpdateShape,
} from './update-shape.js';

/** The room's own stored content, as the sender of its pieces while a write makes it a live doc. */
const STORED: RoomMember = { send() {}, close() {} };

/** Another server process sharing the store, as the sender of what it appended (see applyRemote). */
const REMOTE: RoomMember = { send() {}, close() {} };

/** Stored content past this size becomes a live doc in pieces rather than at once. */
const LOAD_IN_PIECES_BYTES = 64 * 1024;

/** Updates up to this size are read (`inspectUpdate`) at once; larger ones in steps, in turns. */
const READ_AT_ONCE_BYTES = 256 * 1024;

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
export interface RoomContext extends RoomLogContext {
  /** The other processes serving the same rooms, if any (presence is shared with them). */
  readonly cluster?: Cluster | undefined;
  /** Where rooms' versions are kept; none: no versions are recorded. */
  readonly versions?: VersionStore | undefined;
}

/** A member of a room: what the room needs of a connection. */
export interface RoomMember extends AnswerTarget {
  close(code: CloseCode): void;
  /** The name its access token gives the person, if any (versions list whose edits they hold). */
  readonly author?: string | null;
}

/**
 * One board in memory: its content, its presence, its members, and its log (the write-ahead
 * pipeline, see RoomLog).
 *
 * Write-ahead: a client's update is applied to the doc at once (which validates it), but nothing
 * derived from it leaves the server until it is in the store. Updates applied in one turn of the
 * event loop are merged into one update, written as one record, then relayed as one message; a
 * sync step 2 computed while some of its content is still being written is held back until that
 * write is done. So whatever a client has received from another survives a `kill -9`.
 */
export class Room {
  private readonly members = new Set<RoomMember>();
  /** How many sync answers each member was sent: only its latest goes on (see sendAnswer). */
  private readonly answers = new WeakMap<RoomMember, number>();
  private readonly presence: RoomAwareness;
  private readonly log: RoomLog;
  private readonly versions: RoomVersions | null;
  /** Origins whose integrated updates changed the board's elements, until they are durable. */
  private readonly editors = new Set<unknown>();
  private readonly idleWaiters: (() => void)[] = [];
  /** Waiting for every submitted update to be integrated. */
  private integratedWaiters: { run: () => void; abandon: () => void }[] = [];
  private readonly integrator: Integrator<RoomMember>;
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

  private constructor(
    readonly id: RoomId,
    stored: StoredRoom,
    content: RoomContent,
    private readonly context: RoomContext,
  ) {
    this.content = content;
    ({ store: this.store, limits: this.limits, logger: this.logger, telemetry: this.telemetry } = context);
    this.log = new RoomLog(id, stored, context, {
      snapshot: () => this.content.snapshot(),
      relay: (update, except) => this.broadcast(encodeUpdate(update), except),
      fail: (error) => this.fail(error),
      durable: (origins) => {
        // Only edits of the board's elements make a version due (not a schema stamp alone).
        const editing = [...origins].filter((origin) => this.editors.delete(origin));
        if (editing.length > 0) this.versions?.edited(this.authorsOf(editing));
      },
      idle: () => {
        if (!this.integrator.busy) for (const resolve of this.idleWaiters.splice(0)) resolve();
      },
    });
    this.versions = context.versions
      ? new RoomVersions(id, { ...context, versions: context.versions }, () => this.durableSnapshot())
      : null;
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
        (update, origin, elements) => room!.enqueue(update, origin, elements),
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
    this.versions?.stop();
    this.log.drop();
    this.integrator.clear();
    for (const waiter of this.integratedWaiters.splice(0)) waiter.abandon();
    this.log.abandonWaiters();
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
    const limits = trusted ? NO_UPDATE_LIMITS : this.limits;
    // A large update is read in steps too: reading 8 MB at once held every room for 50 ms.
    const shape = update.length <= READ_AT_ONCE_BYTES ? inspectUpdate(update, limits) : null;
    if (shape) this.checkRetired(shape);
    if (!this.content.isLive && !this.content.isLoading && this.content.storedBytes > LOAD_IN_PIECES_BYTES) {
      // A large board's first write: its stored content is read and integrated in pieces first.
      this.integrator.prepend(readUpdateShape(this.content.beginLoading(), NO_UPDATE_LIMITS), STORED);
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
    if (!this.log.busy) for (const resolve of this.idleWaiters.splice(0)) resolve();
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
    if (this.content.isLive && this.log.isLarge) {
      checkStateVector(stateVector);
      const empty = stateVector.length === 1 && stateVector[0] === 0;
      // Read now: whatever is appended after reaches the asker, a member, as a relay.
      const answer = this.store
        .readLog(this.id)
        .then((log) => (empty && log.length === 1 ? log[0]! : this.context.compactor.diff(log, stateVector)));
      answer.then(
        (diff) => this.sendAnswer(diff, to),
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
   * Sends a sync step 2, in pieces when large (see sendSyncAnswer), while `to` is still a member
   * and has asked nothing since: a newer answer covers what the older one had left to send (it
   * is computed against a later state vector), so a socket repeating sync step 1s keeps one
   * answer in flight, not one per ask.
   */
  private sendAnswer(diff: Uint8Array, to: RoomMember): void {
    const asked = (this.answers.get(to) ?? 0) + 1;
    this.answers.set(to, asked);
    sendSyncAnswer(
      diff,
      to,
      () => !this.failed && !this.deleted && this.members.has(to) && this.answers.get(to) === asked,
    );
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
        this.log.afterDurable(() => this.sendAnswer(diff, to));
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
        if (!this.log.isLarge) {
          const snapshot = this.content.snapshot();
          this.log.afterDurable(() => resolve(snapshot), abandon);
          return;
        }
        // A large board: once durable, the stored log is the whole of it, built off the loop.
        this.log.afterDurable(() => {
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
      this.afterIntegrated(() => this.log.afterDurable(resolve, abandon), abandon);
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

  /**
   * Records a version of the room now, named or not (see RoomVersions); null when unnamed and
   * nothing changed since the last one.
   */
  recordVersion(name: string | null): Promise<VersionInfo | null> {
    if (this.failed || this.deleted) return Promise.reject(this.unusable());
    if (!this.versions) return Promise.reject(new Error('this server keeps no versions'));
    return this.versions.record(name);
  }

  /** The names of the people behind these origins (members, and the server's own edits). */
  private authorsOf(origins: readonly unknown[]): string[] {
    const names: string[] = [];
    for (const origin of origins) {
      if (typeof origin !== 'object' || origin === null) continue;
      const member = origin as RoomMember;
      const name = member.author ?? (this.members.has(member) ? this.presence.nameOf(member) : null);
      if (name) names.push(name);
    }
    return names;
  }

  /** Resolves when every update applied so far has been written (or the room failed). */
  whenIdle(): Promise<void> {
    if (!this.log.busy && !this.integrator.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Flushes, compacts when worthwhile, and frees the doc. The room is unusable afterwards. */
  async unload(): Promise<void> {
    await this.whenIdle();
    // Edits not in a version yet get one before the room leaves memory.
    await this.versions
      ?.flush()
      .catch((error: unknown) => this.logger.error({ err: error, room: this.id }, 'room.version_error'));
    await this.log.compaction;
    if (!this.failed && !this.deleted && this.log.compactsOnUnload) {
      try {
        await this.log.compact();
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
    this.log.countAppended(update.length);
    this.applyUpdate(update, REMOTE, true);
  }

  /** What the doc integrated: written ahead, or relayed at once if another process wrote it. */
  private enqueue(update: Uint8Array, origin: unknown, elements: boolean): void {
    // A person who changed the board's elements is an author of its next version: a member, or
    // the server acting for someone named (a restore). A schema stamp is nobody's edit, and an
    // operator's import nobody's activity: a 16 MB board imported would otherwise be written
    // again at once as a version, twice the disk writes every room waits on.
    if (elements && (this.members.has(origin as RoomMember) || (origin as RoomMember | null)?.author))
      this.editors.add(origin);
    if (origin === REMOTE) {
      this.broadcast(encodeUpdate(update), null);
      return;
    }
    this.log.write(update, origin);
  }

  private broadcast(message: Uint8Array, except: unknown): void {
    for (const member of this.members) if (member !== except) member.send(message);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.versions?.stop();
    this.telemetry.persistFailed();
    this.logger.error({ err: error, room: this.id }, 'persist.error');
    this.log.stop();
    this.integrator.clear();
    for (const waiter of this.integratedWaiters.splice(0)) waiter.abandon();
    for (const member of [...this.members]) member.close(CloseCode.RoomUnavailable);
    this.onFailed?.();
  }
}
