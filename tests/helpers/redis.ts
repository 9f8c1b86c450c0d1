import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DURABLE_REDIS } from '@inkroom/sync-server';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

/** Debian's redis-server (installed by the test command), or REDIS_SERVER_PATH. */
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
/**
 * Debian's valkey-server (installed by the test command), or VALKEY_SERVER_PATH: the Redis 7.2
 * commands (WAITAOF) that Debian's Redis 7.0 lacks.
 */
const VALKEY_SERVER = process.env.VALKEY_SERVER_PATH ?? '/usr/bin/valkey-server';

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** A client of its own, for the test (closed by `cleanup`). */
  readonly client: Redis;
  /** `kill -9`, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same folder and port. */
  restart(): Promise<void>;
  /** `kill -STOP` (it stops answering, its connections stay open) and `kill -CONT`. */
  freeze(): void;
  thaw(): void;
  cleanup(): Promise<void>;
}

export interface RedisOptions {
  /** Inkroom's durable settings (default), or Redis's defaults, as an operator might leave them. */
  durable?: boolean;
  /** Debian's Redis 7.0 (default), or Valkey 8 (Redis 7.2's commands). */
  server?: 'redis' | 'valkey';
  /** A replica of the one on this port. */
  replicaOf?: number;
}

/**
 * A real redis-server on a free loopback port, in a temp folder, with the durable settings
 * Inkroom asks for (append-only file, fsync on every write, no eviction) unless `durable` is
 * false.
 */
export async function startRedis({
  durable = true,
  server = 'redis',
  replicaOf,
}: RedisOptions = {}): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'inkroom-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    ...(durable ? Object.entries(DURABLE_REDIS).flatMap(([name, value]) => [`--${name}`, value]) : []),
    ...(replicaOf === undefined ? [] : ['--replicaof', '127.0.0.1', String(replicaOf)]),
  ];
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(server === 'valkey' ? VALKEY_SERVER : REDIS_SERVER, args, { stdio: 'ignore' });
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    // Refused connections while it starts are expected: answered by the loop below.
    probe.on('error', () => {});
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch (error) {
        probe.disconnect();
        if (Date.now() > deadline)
          throw new Error(`redis-server did not answer on ${port}: ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const stop = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill(signal);
    });
  await launch();
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  // It reconnects by itself after `kill` and `restart`; what failed meanwhile fails its command.
  client.on('error', () => {});
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    client,
    kill: () => stop('SIGKILL'),
    freeze: () => (child as ChildProcess | null)?.kill('SIGSTOP'),
    thaw: () => (child as ChildProcess | null)?.kill('SIGCONT'),
    restart: launch,
    cleanup: async () => {
      (child as ChildProcess | null)?.kill('SIGCONT');
      client.disconnect();
      await stop('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once `primary` has `count` replicas in sync (a replica's first sync takes a moment). */
export async function replicasOnline(primary: TestRedis, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const info = await primary.client.info('replication');
    if ((info.match(/^slave\d+:.*state=online/gm) ?? []).length >= count) return;
    if (Date.now() > deadline) throw new Error(`no ${count} replicas in sync after 20 s:\n${info}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
