import type { RoomId } from '@inkroom/shared';
import type { Logger } from '../logger.js';
import { Compactor } from './Compactor.js';
import { Room, type RoomContext } from './Room.js';
import { TickScheduler } from './TickScheduler.js';

interface Entry {
  readonly room: Promise<Room>;
  refs: number;
  unloading: Promise<void> | null;
  /** A write failed: the room is closed to new connections until it has unloaded. */
  failed: boolean;
  /** Resolves once the entry has left the registry. */
  readonly gone: Promise<void>;
  leave: () => void;
}

/** A hold on a loaded room; `release` it when the connection ends. */
export interface RoomLease {
  readonly room: Room;
  release(): void;
}

/**
 * Loads rooms on first use and unloads them once the last lease is released and their writes
 * are flushed. A room that is still unloading is waited for, then loaded afresh, so a board is
 * never in memory twice.
 */
export class RoomRegistry {
  private readonly entries = new Map<RoomId, Entry>();
  private readonly loaded = new Set<Room>();
  private readonly context: RoomContext;

  constructor(context: Omit<RoomContext, 'scheduler' | 'compactor'>) {
    this.context = { ...context, scheduler: new TickScheduler(), compactor: new Compactor() };
  }

  /** Stops what the rooms shared (the compaction worker); call once every room has unloaded. */
  close(): Promise<void> {
    return this.context.compactor.close();
  }

  /** The state vector of a stored log, read off the event loop (the compaction worker). */
  stateVectorOf(log: readonly Uint8Array[]): Promise<Uint8Array> {
    return this.context.compactor.stateVector(log);
  }

  /** Updates merged into one, off the event loop (a version's chain, say). */
  merge(updates: readonly Uint8Array[]): Promise<Uint8Array> {
    return this.context.compactor.merge(updates);
  }

  private get logger(): Logger {
    return this.context.logger;
  }

  /** Rooms in memory (loading, loaded or unloading). */
  get size(): number {
    return this.entries.size;
  }

  /** Resolves once the room is out of memory (at once when it is not loaded). */
  async whenUnloaded(id: RoomId): Promise<void> {
    for (let entry = this.entries.get(id); entry; entry = this.entries.get(id)) await entry.gone;
  }

  /** Whether the room is in memory (loading, loaded or unloading). */
  has(id: RoomId): boolean {
    return this.entries.has(id);
  }

  /** The room if it is loaded now. */
  loadedRoom(id: RoomId): Room | undefined {
    for (const room of this.loaded) if (room.id === id) return room;
    return undefined;
  }

  /** Rooms loaded now. */
  rooms(): IterableIterator<Room> {
    return this.loaded.values();
  }

  async acquire(id: RoomId): Promise<RoomLease> {
    for (;;) {
      const existing = this.entries.get(id);
      if (existing && (existing.unloading || existing.failed)) {
        await existing.gone;
        continue;
      }
      const entry = existing ?? this.load(id);
      entry.refs++;
      let room: Room;
      try {
        room = await entry.room;
      } catch (error) {
        entry.refs--;
        throw error;
      }
      let released = false;
      return {
        room,
        release: () => {
          if (released) return;
          released = true;
          this.release(id, entry, room);
        },
      };
    }
  }

  /**
   * Resolves once every room has unloaded, after every lease was released. Rooms still loading
   * are waited for, since their connections release them as soon as they arrive.
   */
  async whenEmpty(): Promise<void> {
    // Each pass settles what is loading or unloading; a handful of passes covers load-then-unload.
    for (let pass = 0; pass < 100 && this.entries.size > 0; pass++) {
      await Promise.allSettled([...this.entries.values()].map((entry) => entry.unloading ?? entry.room));
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private load(id: RoomId): Entry {
    let leave = () => {};
    const gone = new Promise<void>((resolve) => {
      leave = resolve;
    });
    const room = Room.load(id, this.context);
    const entry: Entry = { room, refs: 0, unloading: null, failed: false, gone, leave };
    this.entries.set(id, entry);
    room.then(
      (loaded) => {
        this.loaded.add(loaded);
        // A failed room unloads as its sockets close; the next connection then loads it afresh.
        loaded.onFailed = () => {
          entry.failed = true;
        };
      },
      () => this.forget(id, entry),
    );
    return entry;
  }

  private release(id: RoomId, entry: Entry, room: Room): void {
    entry.refs--;
    if (entry.refs > 0 || entry.unloading) return;
    entry.unloading = room
      .unload()
      .catch((error: unknown) => this.logger.error({ err: error, room: id }, 'room.error'))
      .finally(() => {
        this.loaded.delete(room);
        this.forget(id, entry);
      });
  }

  private forget(id: RoomId, entry: Entry): void {
    if (this.entries.get(id) === entry) this.entries.delete(id);
    entry.leave();
  }
}
