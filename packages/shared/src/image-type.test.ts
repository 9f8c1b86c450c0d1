import { describe, expect, it } from 'vitest';
import { sniffImageType as sniffType } from './image-type.js';

const bytes = (...values: number[]) => new Uint8Array([...values, ...new Array(16).fill(0)]);

describe('sniffImageType', () => {
  it('tells PNG, JPEG, GIF and WebP from their first bytes, and nothing else', () => {
    expect(sniffType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png');
    expect(sniffType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffType(new TextEncoder().encode('GIF89a......'))).toBe('image/gif');
    expect(sniffType(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '))).toBe('image/webp');
    // An SVG, whatever it is called, and a RIFF that is not WebP (a WAV file).
    expect(sniffType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffType(new TextEncoder().encode('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBeNull();
    expect(sniffType(new Uint8Array(0))).toBeNull();
  });
});
