import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DURABLE_REDIS } from '@inkroom/sync-server';
import { Redis } from 'ioredis';
import { freePort } from './ports.js';

/** Debian's redis-server (installed by the test command), or REDIS_SERVER_PATH. */
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

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

/**
 * A real redis-server on a free loopback port, in a temp folder, with the durable settings
 * Inkroom asks for (append-only file, fsync on every write, no eviction) unless `durable` is
 * false (Redis's defaults, as an operator might leave them).
 */
export async function startRedis({ durable = true }: { durable?: boolean } = {}): Promise<TestRedis> {
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
  ];
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
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
