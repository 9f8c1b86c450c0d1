import { describe, expect, it } from 'vitest';
import type { SceneEntry } from '../scene/SceneIndex.js';
import { firstInReadingOrder, readingOrder } from './spoken.js';

/** Entries with random boxes over a 5000 px board, reproducibly. */
function entries(count: number, seed: number): SceneEntry[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  return Array.from({ length: count }, (_, i) => {
    const minX = Math.round(random() * 5000);
    const minY = Math.round(random() * 5000);
    return { id: `e${i}`, minX, minY, maxX: minX + 40, maxY: minY + 40 } as unknown as SceneEntry;
  });
}

describe('reading order', () => {
  it('goes by rows from the top, left to right within a row', () => {
    const [a, b, c] = [
      { id: 'a', minX: 300, minY: 10 },
      { id: 'b', minX: 20, minY: 30 },
      { id: 'c', minX: 10, minY: 90 },
    ] as unknown as SceneEntry[];
    // a and b share the first 40 px row: b, further left, comes first.
    expect(readingOrder([c!, a!, b!]).map((e) => e.id)).toEqual(['b', 'a', 'c']);
  });

  it('keeps the same first elements in one pass as a full sort does', () => {
    for (const seed of [1, 2, 3]) {
      const all = entries(5000, seed);
      expect(firstInReadingOrder(all, 200).map((e) => e.id)).toEqual(
        readingOrder(all)
          .slice(0, 200)
          .map((e) => e.id),
      );
    }
    expect(firstInReadingOrder(entries(10, 4), 200)).toHaveLength(10);
  });
});
