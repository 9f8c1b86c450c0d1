import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addElement, encodeUpdate, listElements } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CLI_PATH, type CliProcess, runCli } from './helpers/cli.js';
import { connectClient, waitFor } from './helpers/clients.js';

describe('inkroom-server CLI', () => {
  const running: CliProcess[] = [];
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inkroom-cli-'));
    dirs.push(dir);
    return dir;
  };
  const run = (args: string[], env?: Record<string, string>) => {
    const p = runCli(args, env);
    running.push(p);
    return p;
  };
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('--help prints usage and exits 0', async () => {
    const p = run(['--help']);
    expect((await p.exited).code).toBe(0);
    expect(p.stdout()).toMatch(/Usage: inkroom-server/);
    expect(p.stdout()).toMatch(/--port/);
  });

  for (const args of [
    ['--bogus'],
    ['--port', 'abc'],
    ['--port', '70000'],
    ['extra-positional'],
    ['--port'],
    ['--auth', 'maybe'],
    ['--max-token-ttl', '5x'],
    ['--create-rooms', 'everyone'],
    ['--redis', 'http://127.0.0.1:6379'],
    ['--redis', 'not a url'],
    ['--redis-durability', 'loose'],
    ['token', '--scope', 'write'],
    ['token', '--room', 'r', '--scope', 'admin'],
    ['token', '--room', 'r', '--ttl', '30d'],
  ]) {
    it(`rejects ${args.join(' ')} with usage and a non-zero exit`, async () => {
      const p = run(args);
      const { code } = await p.exited;
      expect(code).toBe(2);
      // The message names what is wrong, and points at the usage.
      expect(p.stderr()).toMatch(/Usage: inkroom-server|--help lists every setting/);
      const flag = args.find((arg) => arg.startsWith('--'));
      if (flag && args.length > 1 && args[0] !== 'token') expect(p.stderr()).toContain(flag);
    });
  }

  it('--auth tokens without a signing key, or with a short one, exits non-zero naming it', async () => {
    const none = run(['--port', '0', '--auth', 'tokens', '--data', await tempDir()]);
    expect((await none.exited).code).toBe(1);
    expect(none.stderr()).toMatch(/--auth tokens needs a signing key/);
    const short = run(['--port', '0', '--auth', 'tokens', '--data', await tempDir()], {
      INKROOM_AUTH_SECRET: 'too-short',
    });
    expect((await short.exited).code).toBe(1);
    expect(short.stderr()).toMatch(/too short/);
    expect(short.stderr()).not.toContain('too-short');
    const missing = run(['--port', '0', '--auth', 'tokens', '--auth-secret-file', '/nonexistent/key']);
    expect((await missing.exited).code).not.toBe(0);
    expect(missing.stderr()).toMatch(/--auth-secret-file/);
  });

  it('`token` prints a token alone that opens its room on a --auth tokens server, and no secret is logged', async () => {
    const secret = 'cli-suite-signing-secret-0123456789abcdef';
    const admin = 'cli-suite-admin-token-0123456789';
    const env = { INKROOM_AUTH_SECRET: secret, INKROOM_ADMIN_TOKEN: admin, LOG_LEVEL: 'debug' };
    const minted = run(
      ['token', '--room', 'cli-secure', '--scope', 'write', '--ttl', '15m', '--name', 'Ada'],
      env,
    );
    expect((await minted.exited).code).toBe(0);
    const lines = minted.stdout().split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const token = lines[0]!;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const server = run(
      ['--host', '127.0.0.1', '--port', '0', '--auth', 'tokens', '--data', await tempDir()],
      env,
    );
    const url = (await server.url).replace('http', 'ws');
    const client = connectClient(url, 'cli-secure', { params: { token } });
    await client.synced;
    const refused = connectClient(url, 'cli-secure');
    const code = await new Promise<number>((resolve) =>
      refused.provider.once('closed', (event: { code: number }) => resolve(event.code)),
    );
    expect(code).toBe(4401);
    client.destroy();
    refused.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    const output = server.stdout() + server.stderr();
    expect(output).toMatch(/auth\.denied/);
    for (const hidden of [secret, admin, token]) expect(output).not.toContain(hidden);
  });

  it('--auth links keeps a signing key in the data folder, which `token` uses too', async () => {
    const data = await tempDir();
    const server = run(['--host', '127.0.0.1', '--port', '0', '--auth', 'links', '--data', data]);
    const url = await server.url;
    const key = await readFile(join(data, 'auth-secret'), 'utf8');
    expect(key.trim().length).toBeGreaterThanOrEqual(32);
    const minted = run(['token', '--room', 'from-cli', '--scope', 'read', '--data', data]);
    expect((await minted.exited).code).toBe(0);
    const client = connectClient(url.replace('http', 'ws'), 'from-cli', {
      params: { token: minted.stdout().trim() },
    });
    await client.synced;
    client.destroy();
    server.child.kill('SIGTERM');
    await server.exited;
    expect(server.stdout()).not.toContain(key.trim());
  });

  it('warns when it listens beyond loopback with --auth off', async () => {
    const p = run(['--host', '0.0.0.0', '--port', '0', '--data', await tempDir()]);
    await p.url;
    await waitFor(() => p.stdout().includes('auth.off'), 'the warning');
    p.child.kill('SIGTERM');
    await p.exited;
  });

  it('--port 0 picks a free port, prints its URL, serves /healthz, and stops cleanly on SIGTERM', async () => {
    const data = join(await tempDir(), 'data');
    const p = run(['--host', '127.0.0.1', '--port', '0', '--data', data]);
    const url = await p.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', rooms: 0, connections: 0 });

    const client = connectClient(url.replace('http', 'ws'), 'cli-room');
    const witness = connectClient(url.replace('http', 'ws'), 'cli-room');
    await Promise.all([client.synced, witness.synced]);
    const during = await (await fetch(`${url}/healthz`)).json();
    expect(during).toMatchObject({ rooms: 1, connections: 2 });
    addElement(client.doc, { kind: 'rectangle', width: 5, height: 5 });
    await waitFor(() => listElements(witness.doc).length === 1, 'the witness to receive the rectangle');
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    client.destroy();
    witness.destroy();
    expect(await readdir(data)).toContain('CURRENT');

    const again = run(['--host', '127.0.0.1', '--port', '0', '--data', data]);
    const reader = connectClient((await again.url).replace('http', 'ws'), 'cli-room');
    await reader.synced;
    expect(listElements(reader.doc)).toHaveLength(1);
    reader.destroy();
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  });

  /** Bytes of V8's young generation (new space) of the server, from its /metrics. */
  async function youngGeneration(url: string): Promise<number> {
    const metrics = await (await fetch(`${url}/metrics`)).text();
    return Number(/nodejs_heap_space_size_total_bytes\{space="new"\} (\d+)/.exec(metrics)![1]);
  }

  for (const [how, command, args] of [
    ['executed, as the installed bin is', CLI_PATH, []],
    ['with plain node', process.execPath, [CLI_PATH]],
  ] as const) {
    it(`runs ${how}, the server's young generation capped under load either way`, async () => {
      const data = await tempDir();
      const child = spawn(command, [...args, '--host', '127.0.0.1', '--port', '0', '--data', data], {
        env: { ...process.env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          child.stderr!.on('data', (chunk: Buffer) => {
            out += chunk.toString();
            const match = /listening on (http:\/\/\S+:\d+)/.exec(out);
            if (match) resolve(match[1]!);
          });
          child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
        });
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
        // A busy room: 4,000 updates of about 1 KB from one socket.
        const socket = new WebSocket(`${url.replace('http', 'ws')}/busy`);
        await new Promise((resolve) => socket.once('open', resolve));
        const doc = new Y.Doc();
        doc.on('update', (update: Uint8Array) => socket.send(encodeUpdate(update)));
        for (let i = 0; i < 4000; i++) doc.getMap('m').set(`k${i % 50}`, 'x'.repeat(1000));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        socket.close();
        expect(await youngGeneration(url)).toBeLessThanOrEqual(8 * 2 ** 20);
      } finally {
        // Stopped even when an expectation failed: a server left running outlives the test run.
        child.kill('SIGTERM');
      }
      expect(await exited).toBe(0);
    });
  }

  it('reads HOST, PORT and DATA_DIR from the environment; flags win', async () => {
    const data = await tempDir();
    const p = run(['--port', '0'], { HOST: '127.0.0.1', PORT: '1', DATA_DIR: data });
    expect(await p.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await readdir(data)).toContain('CURRENT');
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('exits non-zero with a clear message when the port is taken', async () => {
    const first = run(['--host', '127.0.0.1', '--port', '0', '--data', await tempDir()]);
    const port = new URL(await first.url).port;
    const second = run(['--host', '127.0.0.1', '--port', port, '--data', await tempDir()]);
    expect((await second.exited).code).toBe(1);
    expect(second.stderr()).toMatch(/EADDRINUSE/);
    first.child.kill('SIGTERM');
    await first.exited;
  });
});
