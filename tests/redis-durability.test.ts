// Redis as Inkroom will require it (issue: scale past one machine): a real redis-server, its
// durability settings read back, and an acknowledged write surviving `kill -9`.
import { DURABLE_REDIS, durabilityProblems } from '@inkroom/sync-server';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from './helpers/redis.js';

describe('Redis durability', () => {
  const started: TestRedis[] = [];
  afterEach(async () => {
    for (const redis of started.splice(0)) await redis.cleanup();
  });

  it('a Redis set up as Inkroom asks passes the check, and keeps an acknowledged write through kill -9', async () => {
    const redis = await startRedis();
    started.push(redis);
    expect(await durabilityProblems(redis.client)).toEqual([]);
    await redis.client.xadd('room/test', '*', 'u', 'acknowledged');
    await redis.kill();
    await redis.restart();
    const entries = await redis.client.xrange('room/test', '-', '+');
    expect(entries.map(([, fields]) => fields)).toEqual([['u', 'acknowledged']]);
  });

  it("Redis's defaults are named, setting by setting, with what each needs to be", async () => {
    const redis = await startRedis({ durable: false });
    started.push(redis);
    const problems = await durabilityProblems(redis.client);
    expect(problems).toEqual([
      'appendonly is "no", needs "yes"',
      'appendfsync is "everysec", needs "always"',
    ]);
    expect(Object.keys(DURABLE_REDIS)).toContain('maxmemory-policy');
  });
});
