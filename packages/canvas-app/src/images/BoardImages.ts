import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { createStore, del, entries, get, set, type UseStore } from 'idb-keyval';

/** Where a room's images are, and the token to read or add them with. */
export interface AssetEndpoint {
  /** The image's URL on the server (`.../api/rooms/<room>/assets/<hash>`). */
  url(hash: string): string;
  token: string | null;
}

/** An image file waiting to be uploaded, kept in IndexedDB until the server has it. */
interface Pending {
  readonly url: string;
  readonly bytes: Uint8Array;
  readonly type: string;
}

type Entry =
  | { state: 'loading' }
  | { state: 'ready'; bitmap: ImageBitmap }
  | { state: 'missing'; retryAt: number; tries: number };

/**
 * How long a missing image waits before it is asked for again: soon at first (a peer's image
 * arrives in the document a moment before its file reaches the server), then up to 10 s.
 */
const retryMs = (tries: number) => Math.min(10_000, 250 * 2 ** tries);

let pendingStore: UseStore | null = null;
/** One IndexedDB store for every board of the page: uploads waiting, by their URL. */
function pendingUploads(): UseStore | null {
  if (typeof indexedDB === 'undefined') return null;
  pendingStore ??= createStore('inkroom-images', 'pending');
  return pendingStore;
}

/** The SHA-256 of an image file, in hex: its name on the server. */
export function assetHash(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/**
 * A board's images: decoded once each (by their hash) for the canvas, fetched from the server
 * with the board's token; and the files added here, shown at once from memory and kept in
 * IndexedDB until they are uploaded, so an image added offline survives a reload and goes up
 * when the server is back. An image that cannot be had is drawn as a placeholder, and asked for
 * again now and then.
 */
export class BoardImages {
  private readonly entries = new Map<string, Entry>();
  /** Files added on this page, by hash, until the server has them. */
  private readonly local = new Map<string, Pending>();
  private uploading = false;
  /** Retries waiting to be asked for again (cleared by `destroy`). */
  private readonly retries = new Set<ReturnType<typeof setTimeout>>();
  private destroyed = false;

  constructor(
    private readonly endpoint: () => AssetEndpoint | null,
    /** An image became ready to draw. */
    private readonly changed: () => void,
  ) {}

  /**
   * Lets go of the decoded images and stops asking for missing ones (the board left the room).
   * Files waiting to be uploaded stay in IndexedDB for the next board of the room.
   */
  destroy(): void {
    this.destroyed = true;
    for (const retry of this.retries) clearTimeout(retry);
    this.retries.clear();
    for (const entry of this.entries.values()) if (entry.state === 'ready') entry.bitmap.close();
    this.entries.clear();
  }

  /** An image's address on the server; null without a room. */
  urlOf(hash: string): string | null {
    return this.endpoint()?.url(hash) ?? null;
  }

  /** The decoded image to draw, or null while it loads or when it is missing (a placeholder). */
  bitmap(hash: string): ImageBitmap | null {
    const entry = this.entries.get(hash);
    if (entry?.state === 'ready') return entry.bitmap;
    if (this.destroyed) return null;
    if (!entry || (entry.state === 'missing' && performance.now() > entry.retryAt)) void this.load(hash);
    return null;
  }

  /** Adds an image file to the board's room: shown now, uploaded now or when the server is back. */
  async add(bytes: Uint8Array, type: string): Promise<string> {
    const hash = assetHash(bytes);
    const endpoint = this.endpoint();
    if (!endpoint) throw new Error('the board has no room to add images to');
    const pending: Pending = { url: endpoint.url(hash), bytes, type };
    this.local.set(hash, pending);
    const store = pendingUploads();
    if (store) await set(pending.url, pending, store).catch(() => {});
    if (this.entries.get(hash)?.state !== 'ready') void this.load(hash);
    void this.upload();
    return hash;
  }

  /** Sends what waits to be uploaded (on this page or left by an earlier one), oldest first. */
  async upload(): Promise<void> {
    const endpoint = this.endpoint();
    if (this.uploading || !endpoint) return;
    this.uploading = true;
    try {
      const store = pendingUploads();
      const waiting = new Map<string, Pending>([...this.local.values()].map((p) => [p.url, p]));
      if (store)
        for (const [url, pending] of await entries<string, Pending>(store)) waiting.set(url, pending);
      for (const [url, pending] of waiting) {
        // Only this room's files go with this room's token.
        if (!url.startsWith(endpoint.url(''))) continue;
        const response = await fetch(url, {
          method: 'PUT',
          body: pending.bytes as BufferSource,
          headers: {
            'content-type': pending.type,
            ...(endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {}),
          },
        }).catch(() => null);
        // Offline, or the server is down: tried again when the board reconnects.
        if (!response) break;
        if (response.ok || response.status === 400 || response.status === 415 || response.status === 413) {
          // Stored, or never will be (the board shows a placeholder): either way it stops waiting.
          if (!response.ok) console.error(`inkroom: an image was refused: ${(await response.json()).error}`);
          if (store) await del(url, store).catch(() => {});
          for (const [hash, local] of this.local) if (local.url === url) this.local.delete(hash);
        }
      }
    } finally {
      this.uploading = false;
    }
  }

  private async load(hash: string): Promise<void> {
    const before = this.entries.get(hash);
    const tries = before?.state === 'missing' ? before.tries + 1 : 0;
    this.entries.set(hash, { state: 'loading' });
    try {
      const blob = await this.fileOf(hash);
      const bitmap = await createImageBitmap(blob);
      if (this.destroyed) {
        bitmap.close();
        return;
      }
      this.entries.set(hash, { state: 'ready', bitmap });
      this.changed();
    } catch {
      if (this.destroyed) return;
      const wait = retryMs(tries);
      this.entries.set(hash, { state: 'missing', retryAt: performance.now() + wait, tries });
      // A repaint then asks for it again (if it is still on the board).
      const retry = setTimeout(() => {
        this.retries.delete(retry);
        this.changed();
      }, wait + 10);
      this.retries.add(retry);
    }
  }

  /** The file: added here, waiting in IndexedDB, or from the server. */
  private async fileOf(hash: string): Promise<Blob> {
    const local = this.local.get(hash);
    if (local) return new Blob([local.bytes as BufferSource], { type: local.type });
    const endpoint = this.endpoint();
    if (!endpoint) throw new Error('no server');
    const store = pendingUploads();
    const waiting = store ? await get<Pending>(endpoint.url(hash), store) : undefined;
    if (waiting) return new Blob([waiting.bytes as BufferSource], { type: waiting.type });
    const response = await fetch(endpoint.url(hash), {
      headers: endpoint.token ? { authorization: `Bearer ${endpoint.token}` } : {},
    });
    if (!response.ok) throw new Error(`image ${hash}: ${response.status}`);
    return response.blob();
  }
}
