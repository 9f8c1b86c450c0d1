import { generateKeyBetween } from 'fractional-indexing';
import { describe, expect, it } from 'vitest';
import { isOrderKey, keysAt } from './order.js';

function acceptedByLibrary(key: string): boolean {
  try {
    generateKeyBetween(key, null);
    return true;
  } catch {
    return false;
  }
}

describe('order keys', () => {
  it('agree with fractional-indexing on which keys are valid', () => {
    const samples = [
      'a0',
      'a1',
      'Zz',
      'b00',
      'b01',
      'a0V',
      'a00',
      'A',
      '',
      'a',
      '0a',
      'zzzz',
      'A00000000000000000000000000',
    ];
    let key: string | null = null;
    for (let i = 0; i < 200; i++) {
      key = generateKeyBetween(key, null);
      samples.push(key);
      samples.push(generateKeyBetween(null, key));
    }
    for (const sample of samples) expect(isOrderKey(sample), sample).toBe(acceptedByLibrary(sample));
    // Stricter than the library, which does not look at the characters of the fraction.
    expect(isOrderKey('a0 ')).toBe(false);
    expect(isOrderKey('a0\u0000')).toBe(false);
    expect(isOrderKey(12)).toBe(false);
  });

  it('insert between distinct neighbours even when keys repeat', () => {
    const sorted = ['a0', 'a1', 'a1', 'a1', 'a2'];
    const [key] = keysAt(sorted, 2);
    expect(key! > 'a1' && key! < 'a2').toBe(true);
    const [bottom] = keysAt(sorted, 0);
    expect(bottom! < 'a0').toBe(true);
    const top = keysAt(sorted, sorted.length, 3);
    expect(top).toHaveLength(3);
    expect(top[0]! > 'a2' && top[0]! < top[1]! && top[1]! < top[2]!).toBe(true);
  });
});
