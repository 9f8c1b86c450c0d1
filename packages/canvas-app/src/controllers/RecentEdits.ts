import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';

/** How long a local edit stays in the journal: far longer than IndexedDB takes to commit it. */
const KEEP_MS = 2000;

interface Entry {
  at: number;
  update: string;
}

/**
 * The last two seconds of this page's own edits, written synchronously to localStorage. IndexedDB
 * commits asynchronously, so an edit made a few milliseconds before the page is closed or
 * reloaded could be lost with the page; the journal survives it, and is applied (harmlessly
 * again, if IndexedDB did keep it) when the room is next opened on this device.
 */
export class RecentEdits {
  private entries: Entry[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly key: string,
    private readonly doc: Y.Doc,
    /** Whether an update's origin is someone else's (the server, the local copy): those are not journalled. */
    private readonly isRemote: (origin: unknown) => boolean,
  ) {}

  /** Applies what a previous page left, then records this page's edits. */
  start(): void {
    const left = this.read();
    for (const entry of left) {
      try {
        Y.applyUpdate(this.doc, fromBase64(entry.update), this);
      } catch {
        // A damaged entry is skipped; the others still apply.
      }
    }
    // Kept until this page's own copy has surely stored them too.
    if (left.length > 0) this.remember(left.map((entry) => ({ at: Date.now(), update: entry.update })));
    this.doc.on('update', this.onUpdate);
  }

  stop(): void {
    this.doc.off('update', this.onUpdate);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || this.isRemote(origin)) return;
    this.remember([{ at: Date.now(), update: toBase64(update) }]);
  };

  private remember(added: Entry[]): void {
    const now = Date.now();
    this.entries = [...this.entries.filter((entry) => now - entry.at < KEEP_MS), ...added];
    this.write();
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.entries = [];
      this.write();
    }, KEEP_MS);
  }

  private read(): Entry[] {
    try {
      const parsed: unknown = JSON.parse(globalThis.localStorage?.getItem(this.key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((e): e is Entry => typeof e?.update === 'string') : [];
    } catch {
      return [];
    }
  }

  private write(): void {
    try {
      if (this.entries.length === 0) globalThis.localStorage?.removeItem(this.key);
      else globalThis.localStorage?.setItem(this.key, JSON.stringify(this.entries));
    } catch {
      // Storage full or unavailable: the journal is a safety net, not the store.
    }
  }
}
