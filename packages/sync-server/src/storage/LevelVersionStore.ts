import type { RoomId } from '@inkroom/shared';
import type { Level } from 'level';
import {
  type NewVersion,
  planRemoval,
  readVersionMeta,
  type VersionInfo,
  type VersionStore,
  versionInfo,
  versionMeta,
} from './VersionStore.js';

/*
 * Key layout, beside the rooms' keys in the same database (<id> is 16 digits, so keys sort by id):
 *   version-meta/<encodeURIComponent(room)>/<id>     { time, name, authors, bytes } (JSON)
 *   version-data/<encodeURIComponent(room)>/<id>     its update against the version before it
 *   version-sv/<encodeURIComponent(room)>/<id>       the board's state vector as of it
 */
const META = 'version-meta/';
const DATA = 'version-data/';
const SV = 'version-sv/';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const key = (prefix: string, room: RoomId, id?: number) =>
  `${prefix}${encodeURIComponent(room)}/${id === undefined ? '' : String(id).padStart(16, '0')}`;

/** {@link VersionStore} in the server's LevelDB database. */
export class LevelVersionStore implements VersionStore {
  constructor(private readonly db: Level<string, Uint8Array>) {}

  async list(room: RoomId): Promise<VersionInfo[]> {
    const prefix = key(META, room);
    const versions: VersionInfo[] = [];
    for await (const [k, value] of this.db.iterator({ gte: prefix, lt: `${prefix}\uffff` }))
      versions.push(readVersionMeta(Number(k.slice(prefix.length)), decoder.decode(value)));
    return versions;
  }

  async add(room: RoomId, version: NewVersion): Promise<VersionInfo> {
    const prefix = key(META, room);
    let id = 1;
    for await (const k of this.db.keys({ gte: prefix, lt: `${prefix}\uffff`, reverse: true, limit: 1 }))
      id = Number(k.slice(prefix.length)) + 1;
    const added = versionInfo(id, version);
    await this.db.batch([
      { type: 'put', key: key(DATA, room, id), value: version.update },
      { type: 'put', key: key(SV, room, id), value: version.stateVector },
      { type: 'put', key: key(META, room, id), value: encoder.encode(versionMeta(added)) },
    ]);
    return added;
  }

  async chain(room: RoomId, id: number): Promise<Uint8Array[] | null> {
    if ((await this.db.get(key(META, room, id))) === undefined) return null;
    const updates: Uint8Array[] = [];
    for await (const value of this.db.values({ gte: key(DATA, room), lte: key(DATA, room, id) }))
      updates.push(value);
    return updates;
  }

  async latestStateVector(room: RoomId): Promise<Uint8Array | null> {
    const prefix = key(SV, room);
    for await (const value of this.db.values({ gte: prefix, lt: `${prefix}\uffff`, reverse: true, limit: 1 }))
      return value;
    return null;
  }

  async remove(
    room: RoomId,
    ids: readonly number[],
    merge: (updates: Uint8Array[]) => Uint8Array,
  ): Promise<void> {
    const { removed, folds } = planRemoval(await this.list(room), new Set(ids));
    const ops: ({ type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string })[] = [];
    for (const id of removed)
      for (const prefix of [META, DATA, SV]) ops.push({ type: 'del', key: key(prefix, room, id) });
    for (const { into, from } of folds) {
      const updates = await this.db.getMany([...from, into.id].map((id) => key(DATA, room, id)));
      const update = merge(updates.filter((u): u is Uint8Array => u !== undefined));
      ops.push(
        { type: 'put', key: key(DATA, room, into.id), value: update },
        {
          type: 'put',
          key: key(META, room, into.id),
          value: encoder.encode(versionMeta({ ...into, bytes: update.length })),
        },
      );
    }
    await this.db.batch(ops);
  }

  async clear(room: RoomId): Promise<void> {
    for (const prefix of [META, DATA, SV])
      await this.db.clear({ gte: key(prefix, room), lt: `${key(prefix, room)}\uffff` });
  }
}
