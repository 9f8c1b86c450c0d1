// The server with its rooms in Redis (--redis): a stock y-websocket client against a real redis-server.
import { addElement, listElements } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { startRedis, type TestRedis } from './helpers/redis.js';
import { noteSecret } from './helpers/secret-scan.js';
import { startTestServer, type TestServer } from './helpers/server.js';

describe('rooms kept in Redis', () => {
  const redises: TestRedis[] = [];
  const servers: TestServer[] = [];
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    for (const t of servers.splice(0)) await t.cleanup();
    for (const r of redises.splice(0)) await r.cleanup();
  });
  const client = (t: TestServer, room: string) => {
    const c = connectClient(t.wsUrl, room);
    clients.push(c);
    return c;
  };

  it('a board lives in Redis, not the data folder, and what another client saw survives kill -9 of Redis', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const first = await startTestServer({ redis: redis.url });
    servers.push(first);
    const a = client(first, 'shared');
    const b = client(first, 'shared');
    await Promise.all([a.synced, b.synced]);
    addElement(a.doc, { kind: 'sticky', text: 'seen by b' });
    await waitFor(() => listElements(b.doc).length === 1, 'b sees the sticky');
    expect(await redis.client.exists('inkroom:room:{shared}:log')).toBe(1);
    await redis.kill();
    await redis.restart();
    // Another server, with a data folder of its own, on the same Redis.
    const second = await startTestServer({ redis: redis.url });
    servers.push(second);
    const c = client(second, 'shared');
    await c.synced;
    expect(listElements(c.doc).map((e) => e.kind === 'sticky' && e.text)).toEqual(['seen by b']);
    expect(first.logs.find((line) => line.msg === 'redis.connected')).toMatchObject({
      redis: redis.url,
    });
  });

  it('a Redis that could lose acknowledged writes is refused, naming each setting, unless relaxed', async () => {
    const redis = await startRedis({ durable: false });
    redises.push(redis);
    const password = 'redis-password-never-logged';
    noteSecret(password);
    const url = redis.url.replace('redis://', `redis://default:${password}@`);
    const refused = runCli(['--port', '0', '--redis', url, '--data', redis.dir]);
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr()).toContain(`Redis at ${redis.url} could lose acknowledged writes`);
    expect(refused.stderr()).toContain('appendfsync is "everysec", needs "always"');
    expect(refused.stderr()).toContain('--redis-durability relaxed');
    const relaxed = runCli([
      '--port',
      '0',
      '--redis',
      url,
      '--redis-durability',
      'relaxed',
      '--data',
      redis.dir,
    ]);
    await relaxed.url;
    relaxed.child.kill('SIGTERM');
    expect((await relaxed.exited).code).toBe(0);
    expect(relaxed.stderr() + relaxed.stdout()).toContain('redis.not_durable');
  });
});
