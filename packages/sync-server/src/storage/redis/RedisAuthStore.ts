import { randomBytes } from 'node:crypto';
import type { RoomId } from '@inkroom/shared';
import type { Redis } from 'ioredis';
import type { AuthStore, LinkRecord, Revocation } from '../AuthStore.js';
import { scanKeys } from './scan.js';

/*
 * Key layout, under the store's prefix (JSON values):
 *   <p>:auth:link:<id>                    a share link
 *   <p>:auth:room-links:{<enc room>}      a set: the ids of a room's links
 *   <p>:auth:revoked                      a hash: <jti|sub>/<value> -> a revocation
 *   <p>:auth:claimed                      a set: rooms created through links (encoded names)
 *   <p>:auth:secret                       the signing secret `--auth links` made, when none was given
 */

function revocationField(revocation: Pick<Revocation, 'kind' | 'value'>): string {
  return `${revocation.kind}/${revocation.value}`;
}

/**
 * {@link AuthStore} on Redis, shared by every process serving the rooms: a link made on one is
 * good on all, and a revocation written by one is read by all (`revocationsOf`). A write resolves
 * once Redis answered it (on disk, with the settings `durability.ts` asks for).
 */
export class RedisAuthStore implements AuthStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'inkroom',
  ) {}

  private linkKey(id: string): string {
    return `${this.prefix}:auth:link:${id}`;
  }

  private roomLinksKey(room: RoomId): string {
    return `${this.prefix}:auth:room-links:{${encodeURIComponent(room)}}`;
  }

  private get revokedKey(): string {
    return `${this.prefix}:auth:revoked`;
  }

  private get claimedKey(): string {
    return `${this.prefix}:auth:claimed`;
  }

  /**
   * The signing secret every process of `--auth links` shares when none is given: made by the
   * first (48 random bytes, base64url), read by the others.
   */
  async sharedSecret(): Promise<string> {
    const key = `${this.prefix}:auth:secret`;
    await this.redis.set(key, randomBytes(48).toString('base64url'), 'NX');
    const secret = await this.redis.get(key);
    if (secret === null) throw new Error(`${key} is gone from Redis`);
    return secret;
  }

  async putLink(link: LinkRecord): Promise<void> {
    await exec(
      this.redis
        .multi()
        .set(this.linkKey(link.id), JSON.stringify(link))
        .sadd(this.roomLinksKey(link.room), link.id),
    );
  }

  async getLink(id: string): Promise<LinkRecord | null> {
    const value = await this.redis.get(this.linkKey(id));
    return value === null ? null : (JSON.parse(value) as LinkRecord);
  }

  async listLinks(room: RoomId): Promise<LinkRecord[]> {
    const ids = await this.redis.smembers(this.roomLinksKey(room));
    if (ids.length === 0) return [];
    const values = await this.redis.mget(ids.map((id) => this.linkKey(id)));
    return values.flatMap((value) => (value === null ? [] : [JSON.parse(value) as LinkRecord]));
  }

  async *allLinks(): AsyncIterable<LinkRecord> {
    for await (const key of scanKeys(this.redis, this.linkKey('*'))) {
      const value = await this.redis.get(key);
      if (value !== null) yield JSON.parse(value) as LinkRecord;
    }
  }

  async deleteLink(link: LinkRecord): Promise<void> {
    await exec(this.redis.multi().del(this.linkKey(link.id)).srem(this.roomLinksKey(link.room), link.id));
  }

  async claimRoom(room: RoomId): Promise<void> {
    await this.redis.sadd(this.claimedKey, encodeURIComponent(room));
  }

  async isClaimed(room: RoomId): Promise<boolean> {
    return (await this.redis.sismember(this.claimedKey, encodeURIComponent(room))) === 1;
  }

  async putRevocation(revocation: Revocation): Promise<void> {
    await this.redis.hset(this.revokedKey, revocationField(revocation), JSON.stringify(revocation));
  }

  async listRevocations(): Promise<Revocation[]> {
    const all = await this.redis.hvals(this.revokedKey);
    return all.map((value) => JSON.parse(value) as Revocation);
  }

  async deleteRevocation(revocation: Revocation): Promise<void> {
    await this.redis.hdel(this.revokedKey, revocationField(revocation));
  }

  async revocationsOf(jti: string | null, sub: string | null): Promise<Revocation[]> {
    const fields = [
      ...(jti === null ? [] : [revocationField({ kind: 'jti', value: jti })]),
      ...(sub === null ? [] : [revocationField({ kind: 'sub', value: sub })]),
    ];
    if (fields.length === 0) return [];
    const values = await this.redis.hmget(this.revokedKey, ...fields);
    return values.flatMap((value) => (value === null ? [] : [JSON.parse(value) as Revocation]));
  }
}

/** Runs a transaction; throws its first error. */
async function exec(transaction: ReturnType<Redis['multi']>): Promise<void> {
  const results = await transaction.exec();
  if (!results) throw new Error('a Redis transaction was aborted');
  for (const [error] of results) if (error) throw error;
}
