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

function fileOps(hash: string, asset: Asset) {
  return [
    { type: 'put' as const, key: `${ASSET}${hash}`, value: asset.bytes },
    { type: 'put' as const, key: `${TYPE}${hash}`, value: encoder.encode(asset.type) },
  ];
}

function roomOp(room: RoomId, hash: string, bytes: number) {
  return { type: 'put' as const, key: `${roomPrefix(room)}${hash}`, value: encoder.encode(String(bytes)) };
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
    await this.db.batch([...fileOps(hash, asset), roomOp(room, hash, asset.bytes.length)]);
    return this.roomBytes(room);
  }

  async putFile(hash: string, asset: Asset): Promise<void> {
    await this.db.batch(fileOps(hash, asset));
  }

  async addToRoom(room: RoomId, hash: string, bytes: number): Promise<void> {
    await this.db.batch([roomOp(room, hash, bytes)]);
  }

  async *files(): AsyncIterable<{ hash: string; asset: Asset }> {
    for await (const key of this.db.keys({ gte: ASSET, lt: `${ASSET}\uffff` })) {
      const hash = key.slice(ASSET.length);
      const asset = await this.get(hash);
      if (asset) yield { hash, asset };
    }
  }

  async *roomFiles(): AsyncIterable<{ room: RoomId; hash: string; bytes: number }> {
    for await (const [key, value] of this.db.iterator({ gte: ROOM_ASSET, lt: `${ROOM_ASSET}\uffff` })) {
      const rest = key.slice(ROOM_ASSET.length);
      const slash = rest.lastIndexOf('/');
      yield {
        room: decodeURIComponent(rest.slice(0, slash)) as RoomId,
        hash: rest.slice(slash + 1),
        bytes: Number(decoder.decode(value)) || 0,
      };
    }
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
