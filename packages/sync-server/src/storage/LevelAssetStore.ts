import type { ImageType, RoomId } from '@inkroom/shared';
import type { Level } from 'level';
import type { Asset, AssetStore } from './AssetStore.js';

/*
 * Key layout, beside the rooms' keys in the same database:
 *   asset/<sha256>                                   the image's bytes
 *   asset-type/<sha256>                              its type (UTF-8)
 *   room-asset/<encodeURIComponent(room)>/<sha256>   its size, for the room's total (UTF-8)
 */
const ASSET = 'asset/';
const TYPE = 'asset-type/';
const ROOM_ASSET = 'room-asset/';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function roomPrefix(room: RoomId): string {
  return `${ROOM_ASSET}${encodeURIComponent(room)}/`;
}

/** {@link AssetStore} in the server's LevelDB database. */
export class LevelAssetStore implements AssetStore {
  constructor(private readonly db: Level<string, Uint8Array>) {}

  async get(hash: string): Promise<Asset | null> {
    const [bytes, type] = await this.db.getMany([`${ASSET}${hash}`, `${TYPE}${hash}`]);
    if (!bytes || !type) return null;
    return { bytes, type: decoder.decode(type) as ImageType };
  }

  async put(room: RoomId, hash: string, asset: Asset): Promise<number> {
    await this.db.batch([
      { type: 'put', key: `${ASSET}${hash}`, value: asset.bytes },
      { type: 'put', key: `${TYPE}${hash}`, value: encoder.encode(asset.type) },
      { type: 'put', key: `${roomPrefix(room)}${hash}`, value: encoder.encode(String(asset.bytes.length)) },
    ]);
    return this.roomBytes(room);
  }

  async roomBytes(room: RoomId): Promise<number> {
    const prefix = roomPrefix(room);
    let total = 0;
    for await (const value of this.db.values({ gte: prefix, lt: `${prefix}\uffff` })) {
      total += Number(decoder.decode(value)) || 0;
    }
    return total;
  }

  async roomHas(room: RoomId, hash: string): Promise<boolean> {
    return (await this.db.get(`${roomPrefix(room)}${hash}`)) !== undefined;
  }
}
