import type { RoomId } from '@inkroom/shared';
import * as Y from 'yjs';
import type { RoomLimits } from '../config.js';
import type { Logger } from '../logger.js';
import type { VersionInfo, VersionStore } from '../storage/VersionStore.js';
import type { Compactor } from './Compactor.js';
import { parseRetention, type Retention, versionsOverCount, versionsToThin } from './retention.js';

/** What a room's versions use of what every room of a server shares. */
export interface RoomVersionsContext {
  readonly versions: VersionStore;
  readonly compactor: Compactor;
  readonly limits: RoomLimits;
  readonly logger: Logger;
}

/** Longest name a version may be given. */
export const MAX_VERSION_NAME = 120;

/**
 * A room's timeline of versions: one is recorded once the room has been still for
 * `versionAfterMs` after edits (or every `versionEveryMs` while edits go on), one when the room
 * unloads with edits not in a version yet, and one on demand, named. Each holds the names of
 * the people whose edits it holds. A version is taken from what is durable (the board as anyone
 * was ever sent it), and stored as what changed since the version before (see VersionStore),
 * the diff and state vector made in the `Compactor`'s worker, off the event loop. After each,
 * the retention policy thins the older ones. Recordings of one room run one at a time.
 */
export class RoomVersions {
  private readonly authors = new Set<string>();
  /** When the first edit not in a version became durable; null when there is none. */
  private editedSince: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly retention: Retention;

  constructor(
    private readonly room: RoomId,
    private readonly context: RoomVersionsContext,
    /** The board as it is durable now, as one update. */
    private readonly snapshot: () => Promise<Uint8Array>,
  ) {
    this.retention = parseRetention(context.limits.versionRetention);
  }

  /** Edits by these people are durable: a version will hold them. */
  edited(authors: Iterable<string>): void {
    if (this.stopped) return;
    for (const author of authors) this.authors.add(author);
    const now = Date.now();
    this.editedSince ??= now;
    const { versionAfterMs, versionEveryMs } = this.context.limits;
    if (versionAfterMs === 0) return;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(versionAfterMs, this.editedSince + versionEveryMs - now));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.record(null).catch((error: unknown) =>
        this.context.logger.error({ err: error, room: this.room }, 'room.version_error'),
      );
    }, wait);
    this.timer.unref?.();
  }

  /**
   * Records a version now (named, or after activity), once what was applied before is durable.
   * Resolves with it; null when there is nothing to record (no edit since the last, and no name).
   */
  record(name: string | null): Promise<VersionInfo | null> {
    const run = this.queue.then(() => this.recordNow(name));
    this.queue = run.catch(() => {});
    return run;
  }

  /** The room unloads: edits not in a version yet get one (waits for any recording in progress). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.editedSince !== null) await this.record(null);
    else await this.queue;
    this.stopped = true;
  }

  /** The room failed or was deleted: nothing more is recorded. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async recordNow(name: string | null): Promise<VersionInfo | null> {
    if (this.stopped || (name === null && this.editedSince === null)) return null;
    const { versions, compactor, logger } = this.context;
    const authors = [...this.authors].sort();
    this.authors.clear();
    this.editedSince = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const started = performance.now();
    const board = await this.snapshot();
    const previous = await versions.latestStateVector(this.room);
    const [update, stateVector] = await Promise.all([
      previous ? compactor.diff([board], previous) : Promise.resolve(board),
      compactor.stateVector([board]),
    ]);
    const version = await versions.add(this.room, { time: Date.now(), name, authors, update, stateVector });
    const all = await versions.list(this.room);
    const thinned = versionsToThin(all, this.retention, Date.now());
    const doomed = [...thinned, ...versionsOverCount(all, new Set(thinned), this.context.limits.maxVersions)];
    if (doomed.length > 0) await versions.remove(this.room, doomed, (updates) => Y.mergeUpdates(updates));
    logger.debug(
      {
        room: this.room,
        version: version.id,
        bytes: version.bytes,
        thinned: doomed.length,
        ms: performance.now() - started,
      },
      'room.version',
    );
    return version;
  }
}
