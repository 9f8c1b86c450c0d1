import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCli, printableConfig, type ResolvedConfig, USAGE } from './cli-args.js';
import { DEFAULT_CONFIG } from './config.js';
import { ConfigError, parseBytes, SETTINGS } from './settings.js';

describe('one config: file, environment, flags', () => {
  let dir: string;
  const file = (name: string, content: unknown) =>
    writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content)).then(() =>
      join(dir, name),
    );
  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}): Promise<ResolvedConfig> => {
    const result = await parseCli(argv, env);
    if (result.kind !== 'run') throw new Error(`expected run, got ${result.kind}`);
    return result.config;
  };
  const error = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
    parseCli(argv, env).then(
      () => {
        throw new Error('expected an error');
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      },
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'inkroom-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('layers defaults < file < environment < flags', async () => {
    const config = await file('a.json', {
      port: 2000,
      host: '0.0.0.0',
      maxMessageBytes: '8MiB',
      pingIntervalMs: 10_000,
    });
    expect(await run([])).toMatchObject({ port: DEFAULT_CONFIG.port, host: 'localhost' });
    expect(await run(['--config', config])).toMatchObject({
      port: 2000,
      host: '0.0.0.0',
      maxMessageBytes: 8 * 2 ** 20,
      pingIntervalMs: 10_000,
    });
    expect(await run(['--config', config], { PORT: '3000' })).toMatchObject({ port: 3000, host: '0.0.0.0' });
    expect(await run(['--config', config, '--port', '4000'], { PORT: '3000' })).toMatchObject({ port: 4000 });
    // A switch a file turns on, a flag turns off.
    const on = await file('on.json', { trustProxy: true });
    expect((await run(['--config', on])).trustProxy).toBe(true);
    expect((await run(['--config', on, '--no-trust-proxy'])).trustProxy).toBe(false);
    expect((await run(['--no-sync-writes'], { INKROOM_SYNC_WRITES: 'true' })).syncWrites).toBe(false);
    expect(await run(['--sync-writes', '--ping-interval', '2m', '--close-grace', '500ms'])).toMatchObject({
      syncWrites: true,
      pingIntervalMs: 120_000,
      closeGraceMs: 500,
    });
  });

  it('reads secrets from files (flags, the file) or the environment, and prints them redacted', async () => {
    const key = await file('key', `${'k'.repeat(40)}\n`);
    const admin = await file('admin', 'an-admin-token-of-some-length');
    const config = await file('b.json', { authSecretFile: key, adminTokenFile: admin, auth: 'tokens' });
    const resolved = await run(['--config', config]);
    expect(resolved.authSecret).toBe('k'.repeat(40));
    expect(resolved.adminToken).toBe('an-admin-token-of-some-length');
    expect((await run([], { INKROOM_AUTH_SECRET: 's'.repeat(40) })).authSecret).toBe('s'.repeat(40));
    const printed = printableConfig(resolved);
    expect(JSON.parse(printed)).toMatchObject({
      auth: 'tokens',
      authSecret: '[redacted]',
      adminToken: '[redacted]',
    });
    expect(printed).not.toContain('k'.repeat(40));
    expect(printed).not.toContain('an-admin-token');
  });

  it('names the setting and its source for every bad value, never a secret', async () => {
    expect(await error([], { INKROOM_MAX_MESSAGE_BYTES: 'lots' })).toMatch(
      /invalid maxMessageBytes \(INKROOM_MAX_MESSAGE_BYTES\)/,
    );
    expect(await error(['--port', '70000'])).toMatch(/invalid port \(--port\)/);
    expect(await error(['--auth', 'maybe'])).toMatch(/invalid auth \(--auth\).*off, links, tokens/);
    expect(await error(['--log-level', 'loud'])).toMatch(/invalid logLevel/);
    expect(await error(['--compact-after-updates', '0'])).toMatch(/invalid compactAfterUpdates/);
    expect(await error(['--ping-interval', '10ms'])).toMatch(/invalid pingIntervalMs.*at least 1000 ms/);
    expect(await error(['--redis-replicas', '1'])).toMatch(
      /invalid redisReplicas: .*only with rooms in Redis/,
    );
    expect(await error(['--redis-replicas=-1'])).toMatch(/invalid redisReplicas \(--redis-replicas\)/);
    const bad = await file('c.json', { port: 'eighty' });
    expect(await error(['--config', bad])).toMatch(/invalid port \(port in .*c\.json\)/);
    expect(await error(['--config', await file('d.json', { bogus: 1 })])).toMatch(/unknown setting "bogus"/);
    expect(await error(['--config', await file('e.json', { authSecret: 'x'.repeat(40) })])).toMatch(
      /put the secret authSecret in a file/,
    );
    expect(await error(['--config', await file('f.json', '{ nope')])).toMatch(/not valid JSON/);
    expect(await error(['--config', join(dir, 'missing.json')])).toMatch(/cannot read --config/);
    const message = await error(['--admin-token-file', await file('short', 'short')]);
    expect(message).toMatch(/too short/);
    expect(message).not.toContain('short\n');
  });

  it('lists every setting in --help with its flag, variable and default', () => {
    for (const setting of SETTINGS) {
      expect(USAGE).toContain(`--${setting.flag}`);
      expect(USAGE).toContain(`env ${setting.env}`);
    }
    // Every setting of the server's config is in the table, but the static folder (the app's build).
    const keys = new Set(SETTINGS.map((s) => s.key));
    for (const key of Object.keys(DEFAULT_CONFIG)) if (key !== 'staticDir') expect(keys).toContain(key);
  });

  it('reads sizes with units', () => {
    expect(parseBytes('65536')).toBe(65536);
    expect(parseBytes('64KiB')).toBe(65536);
    expect(parseBytes('16 MiB')).toBe(16 * 2 ** 20);
    expect(parseBytes('1MB')).toBe(1_000_000);
    for (const bad of ['', '0', '-1', '1XB', 'MiB', '1.5']) expect(parseBytes(bad)).toBeNull();
  });
});
