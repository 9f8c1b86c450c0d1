import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DURABLE_REDIS } from '../../packages/sync-server/src/storage/redis/durability.js';
import type { Dialect } from './wire.js';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_DIR = join(BENCH_DIR, '..');

/** A server under test, started as its own process so its CPU and memory can be read apart. */
export interface ServerSpec {
  readonly name: string;
  readonly dialect: Dialect;
  /** Stores rooms on disk (so the cold-load test applies). */
  readonly persistent: boolean;
  /** Keeps a Y.Doc (so a late joiner can be checked against what was sent). */
  readonly crdt: boolean;
  /** Several processes on one Redis (started beside them), clients spread over them. */
  readonly nodes?: number;
  /** The loads it runs, when not all. */
  readonly loads?: readonly string[];
  command(port: number, dataDir: string, redisUrl?: string): { args: string[]; env: Record<string, string> };
}

/** Node flags a script asks for in its `#!/usr/bin/env -S node <flags>` line. */
function shebangFlags(script: string): string[] {
  const first = readFileSync(script, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#!\/usr\/bin\/env -S node (.+)$/.exec(first);
  return match ? match[1]!.trim().split(/\s+/) : [];
}

/** With BENCH_CPU_PROF=<dir>, every Node server writes a CPU profile per thread there as it exits. */
const profile = process.env.BENCH_CPU_PROF
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
  : [];
const node = (script: string, args: string[] = []) => [...profile, ...shebangFlags(script), script, ...args];

/** Inkroom's CLI as `pnpm start` and the installed bin run it: with the Node flags of its shebang. */
function inkroomCommand(port: number, dataDir: string, extra: string[] = []) {
  return {
    args: node(join(REPO_DIR, 'packages/sync-server/dist/cli.js'), [
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--data',
      dataDir,
      // Every load comes from one address, 127.0.0.1: the per-address limits a public server
      // keeps would stop it long before the load means anything. Per-socket limits stay.
      '--max-connections-per-ip',
      '1000000',
      '--new-rooms-per-minute',
      '1000000',
      ...extra,
    ]),
    env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' },
  };
}

/** Debian's redis-server, or REDIS_SERVER_PATH. */
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

export const SERVERS: readonly ServerSpec[] = [
  {
    name: 'inkroom',
    dialect: 'y-websocket',
    persistent: true,
    crdt: true,
    command: (port, dataDir) => inkroomCommand(port, dataDir),
  },
  {
    // Three processes on one Redis with the durable settings (fsync on every write), each
    // client on one of them in turn: a room's clients are spread over all three.
    name: 'inkroom×3+redis',
    dialect: 'y-websocket',
    persistent: true,
    crdt: true,
    nodes: 3,
    loads: ['2', '3a', '3b', '3c'],
    command: (port, dataDir, redisUrl) => inkroomCommand(port, dataDir, ['--redis', redisUrl!]),
  },
  {
    name: 'reference+leveldb',
    dialect: 'y-websocket',
    persistent: true,
    crdt: true,
    command: (port, dataDir) => ({
      args: node(join(BENCH_DIR, 'peers/node_modules/@y/websocket-server/src/server.js')),
      env: { HOST: '127.0.0.1', PORT: String(port), YPERSISTENCE: dataDir },
    }),
  },
  {
    name: 'reference',
    dialect: 'y-websocket',
    persistent: false,
    crdt: true,
    command: (port) => ({
      args: node(join(BENCH_DIR, 'peers/node_modules/@y/websocket-server/src/server.js')),
      env: { HOST: '127.0.0.1', PORT: String(port) },
    }),
  },
  {
    name: 'hocuspocus+sqlite',
    dialect: 'hocuspocus',
    persistent: true,
    crdt: true,
    command: (port, dataDir) => ({
      args: node(join(BENCH_DIR, 'peers/hocuspocus.mjs')),
      env: { HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
    }),
  },
  {
    name: 'raw-relay',
    dialect: 'y-websocket',
    persistent: false,
    crdt: false,
    command: (port) => ({
      args: node(join(BENCH_DIR, 'peers/relay.mjs')),
      env: { HOST: '127.0.0.1', PORT: String(port) },
    }),
  },
];

export interface RunningServer {
  readonly spec: ServerSpec;
  readonly pid: number;
  readonly url: string;
  /** Every process's URL, clients spread over them (one for a single process). */
  readonly urls: readonly string[];
  /** Every process whose CPU counts, by name (the server; with Redis, each node and Redis). */
  readonly processes: readonly { name: string; pid: number }[];
  readonly dataDir: string;
  /** Stops gracefully (SIGTERM, then SIGKILL after 10 s); the data folder is kept. */
  stop(): Promise<void>;
  /** Starts the same server again on the same data folder. */
  restart(): Promise<RunningServer>;
  /** Stops and deletes the data folder. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before listening`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not listen on ${port} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A started process: its pid, and how to stop it. */
interface Started {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Starts `spec` on a free port; `dataDir` defaults to a fresh temporary folder. */
export async function startServer(spec: ServerSpec, dataDir?: string): Promise<RunningServer> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), `inkroom-bench-${spec.name}-`)));
  if (spec.nodes) return startCluster(spec, dir);
  const { child, port } = await startProcess(spec, dir);
  const stop = () => stopChild(child);
  const url = `ws://127.0.0.1:${port}`;
  return {
    spec,
    pid: child.pid!,
    url,
    urls: [url],
    processes: [{ name: spec.name, pid: child.pid! }],
    dataDir: dir,
    stop,
    restart: async () => {
      await stop();
      return startServer(spec, dir);
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A redis-server with the settings Inkroom asks for, in `dir`, and `spec.nodes` Inkroom processes on it. */
async function startCluster(spec: ServerSpec, dir: string): Promise<RunningServer> {
  const redisPort = await freePort();
  await mkdir(join(dir, 'redis'), { recursive: true });
  const redis = spawn(
    REDIS_SERVER,
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      join(dir, 'redis'),
      '--save',
      '',
      ...Object.entries(DURABLE_REDIS).flatMap(([name, value]) => [`--${name}`, value]),
    ],
    { stdio: 'ignore' },
  );
  const nodes: Started[] = [];
  const stop = async () => {
    await Promise.all(nodes.map(({ child }) => stopChild(child)));
    await stopChild(redis);
  };
  try {
    await waitForPort(redisPort, redis);
    for (let i = 0; i < spec.nodes!; i++)
      nodes.push(await startProcess(spec, join(dir, `node-${i + 1}`), `redis://127.0.0.1:${redisPort}`));
  } catch (error) {
    await stop();
    throw error;
  }
  const urls = nodes.map(({ port }) => `ws://127.0.0.1:${port}`);
  return {
    spec,
    pid: nodes[0]!.child.pid!,
    url: urls[0]!,
    urls,
    processes: [
      ...nodes.map(({ child }, i) => ({ name: `node ${i + 1}`, pid: child.pid! })),
      { name: 'redis', pid: redis.pid! },
    ],
    dataDir: dir,
    stop,
    restart: async () => {
      throw new Error(`${spec.name} does not restart`);
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts one process of `spec` on a free port, and waits until it listens. */
async function startProcess(spec: ServerSpec, dir: string, redisUrl?: string): Promise<Started> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const { args, env } = spec.command(port, dir, redisUrl);
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of every server process there (node --cpu-prof);
  // BENCH_NODE_ARGS adds Node flags to every server process (e.g. --trace-gc), and
  // BENCH_SERVER_STDOUT=1 shows what the servers print.
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE]
    : [];
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...profile, ...extra, ...args], {
    cwd: BENCH_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', process.env.BENCH_SERVER_STDOUT ? 'inherit' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${spec.name}: ${(error as Error).message}\n${stderr}`);
  }
  return { child, port };
}
