import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addElement, listElements } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, runCli } from './helpers/cli.js';
import { connectClient, waitFor } from './helpers/clients.js';

const ADMIN = 'admin-cli-suite-token-0123456789';
const env = { INKROOM_ADMIN_TOKEN: ADMIN };

describe('inkroom-server rooms, backup and restore against a running server', () => {
  const running: CliProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inkroom-admin-cli-'));
    dirs.push(dir);
    return dir;
  };
  /** Runs a command to its end; resolves with its exit code and output. */
  const command = async (args: string[]) => {
    const p = runCli(args, env);
    running.push(p);
    const { code } = await p.exited;
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  };
  const serve = async (data: string) => {
    const p = runCli(['--host', '127.0.0.1', '--port', '0', '--data', data], env);
    running.push(p);
    return (await p.url).replace('localhost', '127.0.0.1');
  };

  it('lists, shows, exports, deletes and imports rooms; backs up and restores them all', async () => {
    const dir = await tempDir();
    const url = await serve(join(dir, 'data'));
    const wsUrl = url.replace('http', 'ws');
    for (const [i, room] of ['alpha', 'beta', 'team/gamma'].entries()) {
      const client = connectClient(wsUrl, room);
      await client.synced;
      for (let n = 0; n <= i; n++) addElement(client.doc, { kind: 'sticky', text: `${room}-${n}` });
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.destroy();
    }
    const server = ['--server', url];
    const ls = await command(['rooms', 'ls', ...server]);
    expect(ls.code).toBe(0);
    expect(
      ls.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual(['name', 'alpha', 'beta', 'team/gamma']);
    const info = await command(['rooms', 'info', 'beta', ...server]);
    expect(JSON.parse(info.stdout)).toMatchObject({ name: 'beta', deletedAt: null });
    const exported = join(dir, 'beta.json');
    expect(
      (await command(['rooms', 'export', 'beta', '--format', 'json', '--out', exported, ...server])).code,
    ).toBe(0);
    expect(JSON.parse(await readFile(exported, 'utf8')).elements).toHaveLength(2);
    expect((await command(['rooms', 'rm', 'beta', ...server])).code).toBe(0);
    expect(
      JSON.parse((await command(['rooms', 'info', 'beta', ...server])).stdout).deletedAt,
    ).toBeGreaterThan(0);
    const refused = await command(['rooms', 'import', 'beta', exported, '--format', 'json', ...server]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/410: the room is deleted: undelete it first/);
    expect((await command(['rooms', 'undelete', 'beta', ...server])).code).toBe(0);
    const imported = await command(['rooms', 'import', 'beta', exported, '--format', 'json', ...server]);
    expect(imported.code).toBe(0);

    // The documented form: the server's own config file names its port and the admin token file.
    const port = new URL(url).port;
    await writeFile(join(dir, 'admin.token'), ADMIN);
    await writeFile(
      join(dir, 'inkroom.json'),
      JSON.stringify({ host: '127.0.0.1', port: Number(port), adminTokenFile: 'admin.token' }),
    );
    const backupFile = join(dir, 'backup.ndjson');
    const backup = await command(['backup', '--config', join(dir, 'inkroom.json'), '--out', backupFile]);
    expect(backup.code).toBe(0);
    expect(backup.stderr).toMatch(/backed up 3 rooms/);
    // A new, empty server takes the backup back.
    const other = await serve(join(dir, 'other'));
    const restore = await command(['restore', backupFile, '--server', other]);
    expect(restore.code).toBe(0);
    expect(restore.stderr).toMatch(/restored 3 rooms/);
    for (const [room, count] of [
      ['alpha', 1],
      ['beta', 2],
      ['team/gamma', 3],
    ] as const) {
      const client = connectClient(other.replace('http', 'ws'), room);
      await client.synced;
      await waitFor(() => listElements(client.doc).length === count, `${room} restored`);
      client.destroy();
    }
  });

  it('says what is wrong: no admin token, a server that is not there, an unknown command', async () => {
    const noToken = runCli(['rooms', 'ls', '--server', 'http://127.0.0.1:9'], { INKROOM_ADMIN_TOKEN: '' });
    running.push(noToken);
    expect((await noToken.exited).code).toBe(2);
    expect(noToken.stderr()).toMatch(/admin token is needed/);
    const unreachable = await command(['rooms', 'ls', '--server', 'http://127.0.0.1:9']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9/);
    const unknown = await command(['rooms', 'frobnicate', '--server', 'http://127.0.0.1:9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command frobnicate/);
    // The token never reaches the output.
    for (const output of [unreachable, unknown]) expect(output.stdout + output.stderr).not.toContain(ADMIN);
  });
});
