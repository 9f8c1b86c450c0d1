import type { ImageType, RoomId } from '@inkroom/shared';
import type { Redis } from 'ioredis';
import type { Asset, AssetStore } from '../AssetStore.js';
import { scanKeys } from './scan.js';

/*
 * Key layout, under the store's prefix:
 *   <p>:asset:<sha256>                 a hash: b (the image's bytes), t (its type)
 *   <p>:room-assets:{<enc room>}       a hash: sha256 -> its size, the images counted for the room
 */

/**
 * {@link AssetStore} on Redis, shared by every process serving the rooms: an image uploaded
 * through one is served by all. Images live in Redis's memory (and its append-only file): size
 * `maxmemory` for them (`--max-room-image-bytes` bounds each room's).
 */
export class RedisAssetStore implements AssetStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'inkroom',
  ) {}

  private assetKey(hash: string): string {
    return `${this.prefix}:asset:${hash}`;
  }

  private roomKey(room: RoomId): string {
    return `${this.prefix}:room-assets:{${encodeURIComponent(room)}}`;
  }

  async get(hash: string): Promise<Asset | null> {
    const [bytes, type] = await this.redis.hmgetBuffer(this.assetKey(hash), 'b', 't');
    if (!bytes || !type) return null;
    return { bytes, type: type.toString() as ImageType };
  }

  async put(room: RoomId, hash: string, asset: Asset): Promise<number> {
    await Promise.all([this.putFile(hash, asset), this.addToRoom(room, hash, asset.bytes.length)]);
    return this.roomBytes(room);
  }

  async putFile(hash: string, asset: Asset): Promise<void> {
    await this.redis.hset(this.assetKey(hash), 'b', Buffer.from(asset.bytes), 't', asset.type);
  }

  async addToRoom(room: RoomId, hash: string, bytes: number): Promise<void> {
    await this.redis.hset(this.roomKey(room), hash, bytes);
  }

  async roomBytes(room: RoomId): Promise<number> {
    const sizes = await this.redis.hvals(this.roomKey(room));
    return sizes.reduce((sum, size) => sum + (Number(size) || 0), 0);
  }

  async roomHas(room: RoomId, hash: string): Promise<boolean> {
    return (await this.redis.hexists(this.roomKey(room), hash)) === 1;
  }

  async *files(): AsyncIterable<{ hash: string; asset: Asset }> {
    const start = this.assetKey('').length;
    for await (const key of scanKeys(this.redis, this.assetKey('*'))) {
      const hash = key.slice(start);
      const asset = await this.get(hash);
      if (asset) yield { hash, asset };
    }
  }

  async *roomFiles(): AsyncIterable<{ room: RoomId; hash: string; bytes: number }> {
    const start = `${this.prefix}:room-assets:{`.length;
    for await (const key of scanKeys(this.redis, `${this.prefix}:room-assets:*`)) {
      const room = decodeURIComponent(key.slice(start, -1)) as RoomId;
      for (const [hash, bytes] of Object.entries(await this.redis.hgetall(key)))
        yield { room, hash, bytes: Number(bytes) || 0 };
    }
  }
}
