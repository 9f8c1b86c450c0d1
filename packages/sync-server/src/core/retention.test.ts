import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, parseRetention, versionsOverCount, versionsToThin } from './retention.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('version retention', () => {
  it('reads a policy, and names what is wrong with a bad one', () => {
    expect(parseRetention(DEFAULT_RETENTION)).toEqual([
      { maxAgeMs: DAY, everyMs: 0 },
      { maxAgeMs: 7 * DAY, everyMs: HOUR },
      { maxAgeMs: 90 * DAY, everyMs: DAY },
    ]);
    expect(() => parseRetention('1d')).toThrow(/"1d" is not <age>:<all or interval>/);
    expect(() => parseRetention('1d:sometimes')).toThrow(
      /"sometimes" in "1d:sometimes" is neither all nor a duration/,
    );
    expect(() => parseRetention('7d:1h,1d:all')).toThrow(/ages must rise: 1d comes after 7d/);
    expect(() => parseRetention('')).toThrow(/is not/);
  });

  it('keeps every version for a day, the newest of each hour for a week, of each day for three months', () => {
    const now = Date.UTC(2026, 11, 1, 12);
    const versions: { id: number; time: number; name: string | null }[] = [];
    // A version every 10 minutes for 100 days, oldest first.
    for (let t = now - 100 * DAY, id = 1; t <= now; t += 10 * 60_000, id++)
      versions.push({ id, time: t, name: null });
    const named = versions[5]!;
    named.name = 'Before the review';
    const doomed = new Set(versionsToThin(versions, parseRetention(DEFAULT_RETENTION), now));
    const kept = versions.filter((v) => !doomed.has(v.id));
    const ageDays = (v: { time: number }) => (now - v.time) / DAY;
    // The last day: every one of its 145 versions (one each 10 minutes, both ends counted).
    expect(kept.filter((v) => ageDays(v) <= 1)).toHaveLength(145);
    // Days 1 to 7: one an hour (144, give or take the hours cut by the day's edges).
    const hourly = kept.filter((v) => ageDays(v) > 1 && ageDays(v) <= 7);
    expect(hourly.length).toBeGreaterThanOrEqual(143);
    expect(hourly.length).toBeLessThanOrEqual(145);
    for (let i = 1; i < hourly.length; i++)
      expect(hourly[i]!.time - hourly[i - 1]!.time).toBeGreaterThanOrEqual(50 * 60_000);
    // Days 7 to 90: one a day.
    const daily = kept.filter((v) => ageDays(v) > 7 && ageDays(v) <= 90);
    expect(daily.length).toBeGreaterThanOrEqual(82);
    expect(daily.length).toBeLessThanOrEqual(84);
    // Older than 90 days: only the named one.
    expect(kept.filter((v) => ageDays(v) > 90)).toEqual([named]);
    // The same policy run again later removes nothing it kept for a reason that still holds.
    const again = versionsToThin(kept, parseRetention(DEFAULT_RETENTION), now);
    expect(again).toEqual([]);
  });

  it('never lets the latest version go, however old', () => {
    const now = 1_000 * DAY;
    const versions = [
      { id: 1, time: 0, name: null },
      { id: 2, time: DAY, name: null },
    ];
    expect(versionsToThin(versions, parseRetention('1d:all'), now)).toEqual([1]);
  });

  it('keeps at most a count, letting the oldest unnamed versions go first, never the latest', () => {
    const versions = [1, 2, 3, 4, 5, 6].map((id) => ({ id, name: id === 1 ? 'first' : null }));
    expect(versionsOverCount(versions, new Set(), 4)).toEqual([2, 3]);
    expect(versionsOverCount(versions, new Set([2]), 4)).toEqual([3]);
    expect(versionsOverCount(versions, new Set(), 10)).toEqual([]);
    // Named ones and the latest stay, even past the count.
    const named = [1, 2, 3].map((id) => ({ id, name: 'kept' }));
    expect(versionsOverCount(named, new Set(), 2)).toEqual([]);
  });
});
