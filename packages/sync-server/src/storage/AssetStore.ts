import type { ImageType, RoomId } from '@inkroom/shared';

/** A stored image: its bytes and type. */
export interface Asset {
  readonly bytes: Uint8Array;
  readonly type: ImageType;
}

/**
 * Images, stored once each under their SHA-256 (hex), whichever rooms use them; each room
 * counts the bytes of the images uploaded to it (its limit).
 */
export interface AssetStore {
  get(hash: string): Promise<Asset | null>;
  /** Stores an image for a room; returns the room's image bytes afterwards. Idempotent. */
  put(room: RoomId, hash: string, asset: Asset): Promise<number>;
  /** Bytes of the images uploaded to a room, each counted once. */
  roomBytes(room: RoomId): Promise<number>;
  /** Whether the room already counts this image. */
  roomHas(room: RoomId, hash: string): Promise<boolean>;
  /** Every stored image (backups). */
  files(): AsyncIterable<{ hash: string; asset: Asset }>;
  /** Which rooms count which images, and their sizes (backups). */
  roomFiles(): AsyncIterable<{ room: RoomId; hash: string; bytes: number }>;
  /** Stores an image without counting it for a room (a restore). */
  putFile(hash: string, asset: Asset): Promise<void>;
  /** Counts a stored image for a room (a restore). */
  addToRoom(room: RoomId, hash: string, bytes: number): Promise<void>;
}
