import type { Redis } from 'ioredis';

/** What an update must reach before anyone is sent it, beyond Redis's own answer. */
export interface ReplicaDurability {
  /** Replicas that must have it in their append-only file on disk (WAITAOF), 0: none. */
  readonly replicas: number;
  /** The primary must have it on disk too (its append-only file is on). */
  readonly local: boolean;
  /** How long to wait for them before the write counts as failed, in ms. */
  readonly timeoutMs: number;
}

/**
 * Waits, on one connection, until what it wrote is on disk on the primary and on enough replicas
 * (WAITAOF, Redis 7.2 or later). WAITAOF covers every write the connection made before it, so the
 * calls of one turn of the event loop share one. A connection that only read (a log reader, a
 * load) first makes a write of its own, after the read was answered: Redis's replication offset
 * is one for all clients, so once that write is on the replicas' disks, so is all it read.
 */
export class ReplicaWait {
  private pending: Promise<void> | null = null;
  private fences = 0;

  constructor(
    private readonly connection: Redis,
    private readonly durability: ReplicaDurability,
    /** The key the fence writes go to (short-lived, this process's own). */
    private readonly fenceKey: string,
  ) {}

  /** Resolves once every write this connection made before the call is on the replicas' disks. */
  afterWrites(): Promise<void> {
    // Issued on the next tick, after the writes of this turn that are still being queued.
    this.pending ??= new Promise<void>((resolve) => process.nextTick(resolve)).then(() => {
      this.pending = null;
      return this.wait();
    });
    return this.pending;
  }

  /** Resolves once everything Redis answered reads with before the call is on the replicas' disks. */
  async afterReads(): Promise<void> {
    await this.connection.set(this.fenceKey, ++this.fences, 'PX', 60_000);
    await this.afterWrites();
  }

  private async wait(): Promise<void> {
    const { replicas, local, timeoutMs } = this.durability;
    const [onPrimary, onReplicas] = (await this.connection.call(
      'WAITAOF',
      local ? 1 : 0,
      replicas,
      timeoutMs,
    )) as [number, number];
    if (onReplicas < replicas || (local && onPrimary < 1))
      throw new Error(
        `only ${onReplicas} of the ${replicas} replicas needed had the write on disk after ${timeoutMs} ms`,
      );
  }
}

/**
 * Why `redis` cannot wait for `replicas` replicas, or null when it can: WAITAOF needs Redis 7.2
 * (or Valkey, which reports itself as 7.2).
 */
export async function replicaWaitProblem(redis: Redis, replicas: number): Promise<string | null> {
  if (replicas === 0) return null;
  const info = await redis.info('server');
  const version = /^redis_version:(\d+)\.(\d+)/m.exec(info);
  const [major, minor] = version ? [Number(version[1]), Number(version[2])] : [0, 0];
  if (major > 7 || (major === 7 && minor >= 2)) return null;
  return `--redis-replicas needs Redis 7.2 or later (WAITAOF); this Redis is ${version ? `${major}.${minor}` : 'of an unknown version'}`;
}

/** How many replicas are connected to `redis` now (INFO replication). */
export async function connectedReplicas(redis: Redis): Promise<number> {
  return Number(/^connected_slaves:(\d+)/m.exec(await redis.info('replication'))?.[1] ?? 0);
}
