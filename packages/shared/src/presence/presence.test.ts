import { describe, expect, it } from 'vitest';
import { asElementId } from '../ids.js';
import { followLiveStroke, type LiveStrokeDelta, MAX_LASER_POINTS, readPresence } from './presence.js';

const delta = (start: number, points: number[], more: Partial<LiveStrokeDelta> = {}): LiveStrokeDelta => ({
  element: asElementId('stroke00000000001'),
  brush: 'pen',
  color: '#1e1e1e',
  width: 2,
  opacity: 1,
  pressure: false,
  start,
  points,
  done: false,
  ...more,
});

describe('presence schema', () => {
  it('reads a board’s presence, and what a stock or hostile client sends, forgivingly', () => {
    const state = readPresence({
      user: { name: 'Ada', color: '#e03131' },
      cursor: { x: 10, y: 20 },
      selection: ['a', 'b'],
      live: delta(0, [1, 2, 0.5]),
    });
    expect(state).toMatchObject({ user: { name: 'Ada', color: '#e03131' }, cursor: { x: 10, y: 20 } });
    expect(state?.selection).toEqual(['a', 'b']);
    expect(state?.live?.points).toEqual([1, 2, 0.5]);

    // Not a person: no user.
    expect(readPresence(null)).toBeNull();
    expect(readPresence({ cursor: { x: 1, y: 1 } })).toBeNull();
    expect(readPresence('hello')).toBeNull();
    // Bad fields read as absent, a bad colour as the default, a long name cut.
    const odd = readPresence({
      user: { name: 'x'.repeat(500), color: 'url(javascript:1)' },
      cursor: { x: Number.NaN, y: 1 },
      selection: [1, '', 'ok', { id: 'no' }],
      live: { ...delta(0, [1, 2]), points: [1, 2] },
    });
    expect(odd?.user.name).toHaveLength(64);
    expect(odd?.user.color).toBe('#4c6ef5');
    expect(odd?.cursor).toBeNull();
    expect(odd?.selection).toEqual(['ok']);
    expect(odd?.live).toBeNull();
    for (const bad of [
      { points: [1, 2, Number.POSITIVE_INFINITY] },
      { width: -1 },
      { opacity: 2 },
      { brush: 'spray' },
      { start: -1 },
      { start: 1.5 },
      { element: '' },
      { color: 'red; background: url(x)' },
    ])
      expect(
        readPresence({ user: { name: 'A' }, live: { ...delta(0, [1, 2, 3]), ...bad } })?.live,
      ).toBeNull();
  });

  it('reads a view, a laser trail and a call to follow, and refuses malformed ones', () => {
    const state = readPresence({
      user: { name: 'Ada' },
      view: { x: -100, y: 50, width: 1280, height: 800 },
      laser: { seq: 7, points: [1, 2, 3, 4] },
      spotlight: true,
    });
    expect(state?.view).toEqual({ x: -100, y: 50, width: 1280, height: 800 });
    expect(state?.laser).toEqual({ seq: 7, points: [1, 2, 3, 4] });
    expect(state?.spotlight).toBe(true);
    // A stock client's state has none of them.
    expect(readPresence({ user: { name: 'Bo' } })).toMatchObject({
      view: null,
      laser: null,
      spotlight: false,
    });
    for (const view of [
      { x: 0, y: 0, width: 0, height: 10 },
      { x: 0, y: 0, width: 10, height: -1 },
      { x: Number.NaN, y: 0, width: 10, height: 10 },
      { x: 1e12, y: 0, width: 10, height: 10 },
      [0, 0, 10, 10],
    ])
      expect(readPresence({ user: { name: 'A' }, view })?.view).toBeNull();
    for (const laser of [
      { seq: 1, points: [1, 2, 3] },
      { seq: 1.5, points: [1, 2] },
      { points: [1, 2] },
      { seq: 1, points: [1, Number.POSITIVE_INFINITY] },
      { seq: 1, points: new Array(MAX_LASER_POINTS * 2 + 2).fill(1) },
    ])
      expect(readPresence({ user: { name: 'A' }, laser })?.laser).toBeNull();
    // Only `true` asks to be followed.
    expect(readPresence({ user: { name: 'A' }, spotlight: 'yes' })?.spotlight).toBe(false);
  });

  it('follows a stroke delta by delta, and leaves it as it is after a gap', () => {
    let stroke = followLiveStroke(null, delta(0, [0, 0, 0.5, 1, 1, 0.5]));
    expect(stroke?.points).toEqual([0, 0, 0.5, 1, 1, 0.5]);
    stroke = followLiveStroke(stroke, delta(2, [2, 2, 0.5]));
    expect(stroke?.points).toHaveLength(9);
    // The same delta again (a resent state) changes nothing.
    stroke = followLiveStroke(stroke, delta(2, [2, 2, 0.5]));
    expect(stroke?.points).toHaveLength(9);
    // A gap: a delta starting past what we have.
    expect(followLiveStroke(stroke, delta(5, [9, 9, 0.5]))).toBe(stroke);
    // Joined mid-stroke: nothing to show until the element arrives.
    expect(followLiveStroke(null, delta(3, [9, 9, 0.5]))).toBeNull();
    // A new stroke starts afresh.
    const next = followLiveStroke(
      stroke,
      delta(0, [5, 5, 0.5], { element: asElementId('stroke00000000002') }),
    );
    expect(next?.points).toEqual([5, 5, 0.5]);
  });
});
