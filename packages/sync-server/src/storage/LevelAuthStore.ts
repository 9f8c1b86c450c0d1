import type { RoomId } from '@inkroom/shared';
import type { Level } from 'level';
import type { AuthStore, LinkRecord, Revocation } from './AuthStore.js';

/*
 * Key layout, beside the rooms' `room/...` keys in the same database (JSON values):
 *   auth/link/<id>                           a share link
 *   auth/room-link/<encodeURIComponent(room)>/<id>   index of a room's links (empty value)
 *   auth/revoked/<jti|sub>/<encodeURIComponent(value)>   a revocation
 *   auth/claimed/<encodeURIComponent(room)>          a room created through links (empty value)
 */
const LINK = 'auth/link/';
const ROOM_LINK = 'auth/room-link/';
const REVOKED = 'auth/revoked/';
const CLAIMED = 'auth/claimed/';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

function parse<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

function roomIndexPrefix(room: RoomId): string {
  return `${ROOM_LINK}${encodeURIComponent(room)}/`;
}

function revocationKey(revocation: Pick<Revocation, 'kind' | 'value'>): string {
  return `${REVOKED}${revocation.kind}/${encodeURIComponent(revocation.value)}`;
}

/** {@link AuthStore} in the server's LevelDB database. Writes are synchronous to disk. */
export class LevelAuthStore implements AuthStore {
  constructor(private readonly db: Level<string, Uint8Array>) {}

  async putLink(link: LinkRecord): Promise<void> {
    await this.db.batch(
      [
        { type: 'put', key: `${LINK}${link.id}`, value: json(link) },
        { type: 'put', key: `${roomIndexPrefix(link.room)}${link.id}`, value: new Uint8Array() },
      ],
      { sync: true },
    );
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const value = await this.db.get(`${LINK}${id}`);
    return value ? parse<LinkRecord>(value) : null;
  }

  async listLinks(room: RoomId): Promise<LinkRecord[]> {
    const prefix = roomIndexPrefix(room);
    const ids: string[] = [];
    for await (const key of this.db.keys({ gte: prefix, lt: `${prefix}\uffff` }))
      ids.push(key.slice(prefix.length));
    const values = await this.db.getMany(ids.map((id) => `${LINK}${id}`));
    return values.flatMap((value) => (value ? [parse<LinkRecord>(value)] : []));
  }

  async *allLinks(): AsyncIterable<LinkRecord> {
    for await (const value of this.db.values({ gte: LINK, lt: `${LINK}\uffff` }))
      yield parse<LinkRecord>(value);
  }

  async deleteLink(link: LinkRecord): Promise<void> {
    await this.db.batch(
      [
        { type: 'del', key: `${LINK}${link.id}` },
        { type: 'del', key: `${roomIndexPrefix(link.room)}${link.id}` },
      ],
      { sync: true },
    );
  }

  async claimRoom(room: RoomId): Promise<void> {
    await this.db.put(`${CLAIMED}${encodeURIComponent(room)}`, new Uint8Array(), { sync: true });
  }

  async isClaimed(room: RoomId): Promise<boolean> {
    return (await this.db.get(`${CLAIMED}${encodeURIComponent(room)}`)) !== undefined;
  }

  async putRevocation(revocation: Revocation): Promise<void> {
    await this.db.put(revocationKey(revocation), json(revocation), { sync: true });
  }

  async listRevocations(): Promise<Revocation[]> {
    const revocations: Revocation[] = [];
    for await (const value of this.db.values({ gte: REVOKED, lt: `${REVOKED}\uffff` }))
      revocations.push(parse<Revocation>(value));
    return revocations;
  }

  async deleteRevocation(revocation: Revocation): Promise<void> {
    await this.db.del(revocationKey(revocation));
  }
}
