import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';

/** How long a local edit stays in the journal: far longer than IndexedDB takes to commit it. */
const KEEP_MS = 2000;

interface Entry {
  at: number;
  update: Uint8Array;
}

/**
 * This page's own edits of the last two seconds, written synchronously to localStorage when the
 * page is hidden or left. IndexedDB commits asynchronously, so an edit made a few milliseconds
 * before a reload or a close could be lost with the page; the journal survives it, and is applied
 * (harmlessly again, if IndexedDB did keep it) when the room next opens on this device. Edits are
 * only kept in memory until then: nothing is written per pointer move.
 */
export class RecentEdits {
  private entries: Entry[] = [];

  constructor(
    private readonly key: string,
    private readonly doc: Y.Doc,
    /** Whether an update's origin is someone else's (the server, the local copy): those are not journalled. */
    private readonly isRemote: (origin: unknown) => boolean,
  ) {}

  /** Applies what a previous page left, then records this page's edits. */
  start(): void {
    const now = Date.now();
    for (const update of this.read()) {
      try {
        Y.applyUpdate(this.doc, update, this);
        // Kept until this page's own copy has surely stored it too.
        this.entries.push({ at: now, update });
      } catch {
        // A damaged entry is skipped; the others still apply.
      }
    }
    this.forget();
    this.doc.on('update', this.onUpdate);
    globalThis.addEventListener?.('pagehide', this.save);
    globalThis.document?.addEventListener('visibilitychange', this.onVisibility);
  }

  stop(): void {
    this.doc.off('update', this.onUpdate);
    globalThis.removeEventListener?.('pagehide', this.save);
    globalThis.document?.removeEventListener('visibilitychange', this.onVisibility);
    // The board is being closed, not the page: its edits are in IndexedDB by the time it matters.
    this.entries = [];
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || this.isRemote(origin)) return;
    this.prune(Date.now());
    this.entries.push({ at: Date.now(), update });
  };

  /** A page can be discarded without pagehide once hidden (mobile): save then too. */
  private readonly onVisibility = () => {
    if (globalThis.document?.visibilityState === 'hidden') this.save();
  };

  private readonly save = () => {
    this.prune(Date.now());
    if (this.entries.length === 0) return this.forget();
    try {
      globalThis.localStorage?.setItem(this.key, JSON.stringify(this.entries.map((e) => toBase64(e.update))));
    } catch {
      // Storage full or unavailable: the journal is a safety net, not the store.
    }
  };

  private prune(now: number): void {
    while (this.entries.length > 0 && now - this.entries[0]!.at >= KEEP_MS) this.entries.shift();
  }

  private read(): Uint8Array[] {
    try {
      const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(this.key) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((e) => typeof e === 'string').map((e) => fromBase64(e))
        : [];
    } catch {
      return [];
    }
  }

  private forget(): void {
    try {
      globalThis.localStorage?.removeItem(this.key);
    } catch {
      // Unavailable storage holds nothing to forget.
    }
  }
}
