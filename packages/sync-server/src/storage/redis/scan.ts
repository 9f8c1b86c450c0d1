import type { Redis } from 'ioredis';

/** Every key matching `pattern`, a page at a time, each once (SCAN may return a key twice). */
export async function* scanKeys(redis: Redis, pattern: string): AsyncIterable<string> {
  const seen = new Set<string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if (seen.has(key)) continue;
      seen.add(key);
      yield key;
    }
  } while (cursor !== '0');
}
