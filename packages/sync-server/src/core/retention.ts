import { formatDuration, parseDuration } from '../auth/durations.js';

/** Versions up to `maxAgeMs` old are kept one per `everyMs` (the newest of each), or all (0). */
export interface RetentionRule {
  readonly maxAgeMs: number;
  readonly everyMs: number;
}

/** How often versions are kept by age; older than the last rule's age, they go (named ones stay). */
export type Retention = readonly RetentionRule[];

/** Versions for a day, hourly for a week, daily for three months. */
export const DEFAULT_RETENTION = '1d:all,7d:1h,90d:1d';

/**
 * Reads a retention policy such as `1d:all,7d:1h,90d:1d`: for each age (a duration), how often a
 * version is kept up to that age (`all`, or a duration), ages rising. Throws an Error naming what
 * is wrong.
 */
export function parseRetention(text: string): Retention {
  const rules: RetentionRule[] = [];
  for (const part of text.split(',')) {
    const [age, every, extra] = part.trim().split(':');
    const maxAge = age ? parseDuration(age) : null;
    if (maxAge === null || every === undefined || extra !== undefined)
      throw new Error(`"${part.trim()}" is not <age>:<all or interval>, e.g. 7d:1h`);
    const interval = every.trim() === 'all' ? 0 : parseDuration(every);
    if (interval === null) throw new Error(`"${every}" in "${part.trim()}" is neither all nor a duration`);
    const previous = rules.at(-1);
    if (previous && maxAge * 1000 <= previous.maxAgeMs)
      throw new Error(`ages must rise: ${age} comes after ${formatDuration(previous.maxAgeMs / 1000)}`);
    rules.push({ maxAgeMs: maxAge * 1000, everyMs: interval * 1000 });
  }
  return rules;
}

/**
 * The versions a policy lets go at `now`: each version is placed by its age under the first rule
 * that covers it and kept if that rule keeps all, or if it is the newest of its interval (counted
 * from the epoch, so the choice does not move as time passes); past the last rule's age it goes.
 * Named versions and the latest version always stay.
 */
/**
 * The versions to let go so that at most `max` stay: the oldest unnamed ones (never the latest),
 * after those `doomed` already.
 */
export function versionsOverCount(
  versions: readonly { readonly id: number; readonly name: string | null }[],
  doomed: ReadonlySet<number>,
  max: number,
): number[] {
  const left = versions.filter((v) => !doomed.has(v.id));
  const latest = left.at(-1)?.id;
  const extra: number[] = [];
  for (const version of left) {
    if (left.length - extra.length <= max) break;
    if (version.name === null && version.id !== latest) extra.push(version.id);
  }
  return extra;
}

export function versionsToThin(
  versions: readonly { readonly id: number; readonly time: number; readonly name: string | null }[],
  retention: Retention,
  now: number,
): number[] {
  const latest = versions.reduce<number | null>((max, v) => (max === null || v.id > max ? v.id : max), null);
  const newestOf = new Map<string, { id: number; time: number }>();
  const placed: { id: number; bucket: string | null }[] = [];
  for (const version of versions) {
    if (version.name !== null || version.id === latest) continue;
    const age = now - version.time;
    const index = retention.findIndex((rule) => age <= rule.maxAgeMs);
    if (index < 0) {
      placed.push({ id: version.id, bucket: null });
      continue;
    }
    const rule = retention[index]!;
    if (rule.everyMs === 0) continue;
    const bucket = `${index}:${Math.floor(version.time / rule.everyMs)}`;
    placed.push({ id: version.id, bucket });
    const newest = newestOf.get(bucket);
    if (!newest || version.time > newest.time || (version.time === newest.time && version.id > newest.id))
      newestOf.set(bucket, { id: version.id, time: version.time });
  }
  return placed
    .filter(({ id, bucket }) => bucket === null || newestOf.get(bucket)!.id !== id)
    .map(({ id }) => id);
}
