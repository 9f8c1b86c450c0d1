// Rooms in Redis with replicas (--redis-replicas): nothing reaches anyone before the replicas
// have it on disk (WAITAOF). Debian's Redis is 7.0, without WAITAOF: these run on Valkey 8
// (Redis 7.2's commands), a real primary and a real replica.
import { addElement, listElements } from '@inkroom/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { type Client, connectClient, waitFor } from './helpers/clients.js';
import { replicasOnline, startRedis, type TestRedis } from './helpers/redis.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis replicas (--redis-replicas)', () => {
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
  const count = (c: Client) => listElements(c.doc).length;

  it('is refused on a Redis older than 7.2, naming the flag and the version', async () => {
    const redis = await startRedis();
    redises.push(redis);
    const refused = runCli([
      '--port',
      '0',
      '--redis',
      redis.url,
      '--redis-replicas',
      '1',
      '--data',
      redis.dir,
    ]);
    expect((await refused.exited).code).toBe(1);
    expect(refused.stderr()).toContain(
      `Redis at ${redis.url}: --redis-replicas needs Redis 7.2 or later (WAITAOF); this Redis is 7.0`,
    );
  });

  it('an update reaches nobody, on any node, until the replica has it on disk; a replica gone too long closes rooms with 4500; after a failover to the replica, everything anyone saw is there', async () => {
    const primary = await startRedis({ server: 'valkey' });
    redises.push(primary);
    const replica = await startRedis({ server: 'valkey', replicaOf: primary.port });
    redises.push(replica);
    await replicasOnline(primary, 1);
    const options = { redis: primary.url, redisReplicas: 1, redisTimeoutMs: 1000 };
    const [one, two] = await Promise.all([startTestServer(options), startTestServer(options)]);
    servers.push(one!, two!);
    // Started asking for more replicas than Redis has: it says so.
    const short = await startTestServer({ redis: primary.url, redisReplicas: 2 });
    servers.push(short);
    expect(short.logs.find((line) => line.msg === 'redis.replicas_missing')).toMatchObject({
      replicas: 1,
      needed: 2,
    });
    const sender = client(one!, 'replicated');
    const neighbour = client(one!, 'replicated');
    const elsewhere = client(two!, 'replicated');
    await Promise.all([sender.synced, neighbour.synced, elsewhere.synced]);
    addElement(sender.doc, { kind: 'sticky', text: 'first' });
    await waitFor(() => count(neighbour) === 1 && count(elsewhere) === 1, 'the first sticky everywhere');

    // The replica stopped for less than the wait (80 % of --redis-timeout): held, then sent.
    replica.freeze();
    addElement(sender.doc, { kind: 'sticky', text: 'held by the replica' });
    await sleep(600);
    const joiner = client(two!, 'replicated');
    await joiner.synced;
    expect([count(neighbour), count(elsewhere), count(joiner)]).toEqual([1, 1, 1]);
    // Redis itself has it: only the replica is missing.
    expect(await primary.client.xlen('inkroom:room:{replicated}:log')).toBe(2);
    replica.thaw();
    await waitFor(
      () => [neighbour, elsewhere, joiner].every((c) => count(c) === 2),
      'the held sticky, once the replica has it',
      5000,
    );

    // The replica stopped for longer: the writer's room closes with 4500 (its client retries),
    // /readyz answers 503, the other node sends nothing; once the replica is back, all converge.
    const codes: number[] = [];
    sender.provider.on(
      'connection-close',
      (event: { code: number } | null) => event && codes.push(event.code),
    );
    replica.freeze();
    addElement(sender.doc, { kind: 'sticky', text: 'while the replica is away' });
    await waitFor(() => codes.includes(4500), "the sender's room closed with 4500", 5000);
    expect((await fetch(`${one!.httpUrl}/readyz`)).status).toBe(503);
    await sleep(1000);
    expect([count(neighbour), count(elsewhere), count(joiner)]).toEqual([2, 2, 2]);
    replica.thaw();
    await waitFor(
      () => [sender, neighbour, elsewhere, joiner].every((c) => count(c) === 3),
      'everyone converged once the replica is back',
      15_000,
    );
    const deadline = Date.now() + 10_000;
    while ((await fetch(`${one!.httpUrl}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('/readyz never answered 200 again');
      await sleep(100);
    }

    // The primary lost (kill -9), the replica made primary: a server on it has all three.
    await primary.kill();
    await replica.client.call('REPLICAOF', 'NO', 'ONE');
    const promoted = await startTestServer({ redis: replica.url, redisReplicas: 0 });
    servers.push(promoted);
    const after = client(promoted, 'replicated');
    await after.synced;
    expect(
      listElements(after.doc)
        .map((e) => (e.kind === 'sticky' ? e.text : ''))
        .sort(),
    ).toEqual(['first', 'held by the replica', 'while the replica is away']);
  });
});
