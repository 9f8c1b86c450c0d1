import type { Redis } from 'ioredis';

/**
 * What Redis must be set to for Inkroom's promise (nothing is relayed before it is durable, and
 * no acknowledged update is lost when Redis is killed) to hold when rooms are kept in Redis: every
 * write in the append-only file and on disk before Redis answers, also while the file is
 * rewritten, and nothing ever evicted.
 */
export const DURABLE_REDIS: Readonly<Record<string, string>> = {
  appendonly: 'yes',
  appendfsync: 'always',
  'no-appendfsync-on-rewrite': 'no',
  'maxmemory-policy': 'noeviction',
};

/**
 * How `redis` falls short of {@link DURABLE_REDIS}: one line per setting, naming what it is and
 * what it needs to be; empty when it is durable.
 */
export async function durabilityProblems(redis: Redis): Promise<string[]> {
  const problems: string[] = [];
  for (const [name, needed] of Object.entries(DURABLE_REDIS)) {
    const [, value] = (await redis.config('GET', name)) as [string, string];
    if (value !== needed)
      problems.push(`${name} is ${value === undefined ? 'unset' : `"${value}"`}, needs "${needed}"`);
  }
  return problems;
}
