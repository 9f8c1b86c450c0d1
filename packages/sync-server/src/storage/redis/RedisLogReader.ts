import type { Redis } from 'ioredis';
import { type ReplicaDurability, ReplicaWait } from './replicas.js';

/** How long the blocking XREAD waits before it reads again (rooms followed since are woken for). */
const READ_BLOCK_MS = 2000;

/** A log entry's fields: its update (u) and the node that appended it (n). */
export function readEntry(fields: Buffer[]): { update: Buffer; node: string } {
  let update: Buffer = Buffer.alloc(0);
  let node = '';
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    if (name === 'u') update = fields[i + 1]!;
    else if (name === 'n') node = fields[i + 1]!.toString();
  }
  return { update, node };
}

/** A followed room's log: where it was read up to, and who gets other processes' entries. */
interface Followed {
  readonly room: string;
  /** The log's key. */
  readonly key: string;
  /** The last entry read (by the room's load, then by this reader). */
  read: string;
  readonly listener: (update: Uint8Array) => void;
}

/**
 * One reader for all the rooms a process follows: a blocking XREAD, on a connection of its own,
 * on their logs from where each was read up to, handing other processes' entries to each room's
 * listener in log order. When the rooms followed change, the blocked read is ended (CLIENT
 * UNBLOCK) and made again with them. While Redis does not answer, it reads again every 100 ms.
 * With replicas to wait for, what it read is handed on only once they have it on disk; until then
 * it is read again.
 */
export class RedisLogReader {
  private readonly rooms = new Map<string, Followed>();
  private connection: Redis | null = null;
  private connectionId: number | null = null;
  private reading: Promise<void> | null = null;
  private blocked = false;
  private closed = false;
  /** Wakes the reader waiting for a room to follow. */
  private wake: (() => void) | null = null;

  constructor(
    /** The store's connection: the reader's is made beside it, and unblocks through it. */
    private readonly redis: Redis,
    /** This process's name in log entries: its own entries are not handed back. */
    private readonly nodeId: string,
    private readonly options: {
      /** Replicas to wait for (see ReplicaWait), null: none. */
      durability: ReplicaDurability | null;
      /** The key its fence writes go to. */
      fenceKey: string;
    },
  ) {}

  /** Follows `room`'s log (`key`) from entry `after` on. */
  follow(room: string, key: string, after: string, listener: (update: Uint8Array) => void): void {
    this.rooms.set(room, { room, key, read: after, listener });
    this.reading ??= this.read();
    this.wakeReader();
  }

  /** Stops following `room`: nothing more is handed to its listener. */
  release(room: string): void {
    if (this.rooms.delete(room)) this.wakeReader();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeReader();
    this.connection?.disconnect();
    await this.reading?.catch(() => {});
  }

  private async read(): Promise<void> {
    // Its blocking read waits READ_BLOCK_MS for entries, and then as long as any command.
    const timeout = (this.redis.options.commandTimeout ?? 5000) + READ_BLOCK_MS;
    const connection = this.redis.duplicate({
      enableAutoPipelining: false,
      enableOfflineQueue: true,
      commandTimeout: timeout,
    });
    connection.on('error', () => {});
    this.connection = connection;
    const { durability, fenceKey } = this.options;
    const replicaWait = durability ? new ReplicaWait(connection, durability, fenceKey) : null;
    while (!this.closed) {
      const followed = [...this.rooms.values()];
      if (followed.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        continue;
      }
      try {
        this.connectionId ??= Number(await connection.client('ID'));
        this.blocked = true;
        const found = await connection.xreadBuffer(
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          ...followed.map((room) => room.key),
          ...followed.map((room) => room.read),
        );
        this.blocked = false;
        if (found) await replicaWait?.afterReads();
        const byKey = new Map(followed.map((room) => [room.key, room]));
        for (const [key, entries] of found ?? []) this.deliver(byKey.get(key.toString()), entries);
      } catch {
        this.blocked = false;
        this.connectionId = null;
        // Redis unreachable or the read was ended: read again shortly.
        if (!this.closed) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** Hands other processes' entries of one log to its room, and notes how far it was read. */
  private deliver(room: Followed | undefined, entries: [Buffer, Buffer[]][]): void {
    // A room released while the read was out is not handed anything.
    if (!room || this.rooms.get(room.room) !== room) return;
    for (const [id, fields] of entries) {
      const { update, node } = readEntry(fields);
      room.read = id.toString();
      if (node !== this.nodeId) room.listener(update);
    }
  }

  private wakeReader(): void {
    this.wake?.();
    this.wake = null;
    if (this.blocked && this.connectionId !== null)
      void this.redis.client('UNBLOCK', this.connectionId).catch(() => {});
  }
}
