import type { RoomId } from '@inkroom/shared';

/** What a version says about itself (its content is read separately). */
export interface VersionInfo {
  /** Its number within the room, in the order versions were made (ids are never reused). */
  readonly id: number;
  /** When it was made (ms since the epoch). */
  readonly time: number;
  /** A name someone gave it, or null for one made after a period of activity. */
  readonly name: string | null;
  /** The people whose edits it holds that the version before it did not. */
  readonly authors: readonly string[];
  /** Bytes it stores: its update against the version before it. */
  readonly bytes: number;
}

/** A version to add: what it says, its update against the room's latest version, and its state vector. */
export interface NewVersion {
  readonly time: number;
  readonly name: string | null;
  readonly authors: readonly string[];
  /** The board as of this version, less what the latest version already holds (whole for the first). */
  readonly update: Uint8Array;
  /** The board's state vector as of this version: the next version's update is taken against it. */
  readonly stateVector: Uint8Array;
}

/**
 * A room's versions, kept as a chain: each version stores only what the board gained since the
 * version before it (its update against that version's state vector, deletions included), so a
 * version of a 10,000-stroke board costs what changed, not the board. A version is read by
 * merging the chain up to it. Removing a version folds its update into the next one's, so every
 * later version still reads whole.
 */
export interface VersionStore {
  /** The room's versions, oldest first. */
  list(room: RoomId): Promise<VersionInfo[]>;
  /** Adds a version after the latest; resolves once it is durable. */
  add(room: RoomId, version: NewVersion): Promise<VersionInfo>;
  /** The updates of the chain up to and including `id` (merged, they are the version); null for no such version. */
  chain(room: RoomId, id: number): Promise<Uint8Array[] | null>;
  /** The state vector of the room's latest version, or null when it has none. */
  latestStateVector(room: RoomId): Promise<Uint8Array | null>;
  /** Removes versions (not the latest), each folded into the next kept one, in one atomic write. */
  remove(room: RoomId, ids: readonly number[], merge: (updates: Uint8Array[]) => Uint8Array): Promise<void>;
  /** Removes every version of the room (the room was deleted). */
  clear(room: RoomId): Promise<void>;
}

/** A new version as it is listed, once given its id. */
export function versionInfo(id: number, version: NewVersion): VersionInfo {
  return {
    id,
    time: version.time,
    name: version.name,
    authors: version.authors,
    bytes: version.update.length,
  };
}

/** What a store keeps of a version beside its update (its id is its key). */
export function versionMeta(version: VersionInfo): string {
  const { id: _id, ...meta } = version;
  return JSON.stringify(meta);
}

/** A version read back from {@link versionMeta}. */
export function readVersionMeta(id: number, json: string): VersionInfo {
  const meta = JSON.parse(json) as Omit<VersionInfo, 'id'>;
  return { id, time: meta.time, name: meta.name ?? null, authors: meta.authors ?? [], bytes: meta.bytes };
}

/**
 * How removing `doomed` from `versions` (oldest first) is done: each run of removed versions is
 * folded into the next kept version, whose update becomes theirs and its own, merged. The
 * latest version is never removed.
 */
export function planRemoval(
  versions: readonly VersionInfo[],
  doomed: ReadonlySet<number>,
): { removed: number[]; folds: { into: VersionInfo; from: number[] }[] } {
  const latest = versions.at(-1);
  if (latest && doomed.has(latest.id)) throw new Error('the latest version is never removed');
  const removed: number[] = [];
  const folds: { into: VersionInfo; from: number[] }[] = [];
  let run: number[] = [];
  for (const version of versions) {
    if (doomed.has(version.id)) {
      removed.push(version.id);
      run.push(version.id);
    } else if (run.length > 0) {
      folds.push({ into: version, from: run });
      run = [];
    }
  }
  return { removed, folds };
}
