import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoardDoc } from './board-doc.js';
import { addElement } from './elements.js';
import { decodePoints, encodePoints, type PointList, pointCount, pointsFrom } from './points.js';

/** A deterministic pen stroke: smooth curvature, 1-12 px between samples, slowly varying pressure. */
function realisticStroke(seed: number, count: number): PointList {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
  const tuples: [number, number, number][] = [];
  let x = rand() * 2000;
  let y = rand() * 2000;
  let heading = rand() * Math.PI * 2;
  let pressure = 0.5;
  for (let i = 0; i < count; i++) {
    heading += (rand() - 0.5) * 0.6;
    const speed = 1 + rand() * 11;
    x += Math.cos(heading) * speed;
    y += Math.sin(heading) * speed;
    pressure = Math.min(1, Math.max(0.05, pressure + (rand() - 0.5) * 0.08));
    tuples.push([x, y, pressure]);
  }
  return pointsFrom(tuples);
}

describe('stroke points', () => {
  it('round-trip to 1/4 unit and 1/255 pressure', () => {
    const points = realisticStroke(7, 300);
    const decoded = decodePoints(encodePoints(points));
    expect(decoded).not.toBeNull();
    expect(pointCount(decoded!)).toBe(300);
    for (let i = 0; i < points.xy.length; i++) {
      expect(Math.abs(decoded!.xy[i]! - points.xy[i]!)).toBeLessThanOrEqual(1 / 8 + 1e-3);
    }
    for (let i = 0; i < 300; i++) {
      expect(Math.abs(decoded!.pressure![i]! - points.pressure![i]!)).toBeLessThanOrEqual(1 / 510 + 1e-6);
    }
  });

  it('round-trip without pressure', () => {
    const points = pointsFrom([
      [0, 0],
      [-10.5, 20.25],
      [1e6, -1e6],
    ]);
    const decoded = decodePoints(encodePoints(points))!;
    expect(decoded.pressure).toBeNull();
    expect(Array.from(decoded.xy)).toEqual([0, 0, -10.5, 20.25, 1e6, -1e6]);
  });

  it('reject bytes that are not a point list', () => {
    expect(decodePoints(new Uint8Array([]))).toBeNull();
    expect(decodePoints(new Uint8Array([9, 0, 3, 1, 0, 0]))).toBeNull();
    expect(decodePoints(new Uint8Array([1, 0, 3, 200, 200, 200, 200, 4]))).toBeNull();
    const valid = encodePoints(realisticStroke(1, 10));
    expect(decodePoints(valid.slice(0, valid.length - 1))).toBeNull();
    expect(decodePoints(new Uint8Array([...valid, 0]))).toBeNull();
  });

  it('cost at most 8 bytes a point in the encoded document', () => {
    const strokes = 200;
    const perStroke = 120;
    const board = createBoardDoc();
    const floats = new Y.Doc();
    let pointBytes = 0;
    for (let i = 0; i < strokes; i++) {
      const points = realisticStroke(i + 1, perStroke);
      pointBytes += encodePoints(points).length;
      addElement(board, { kind: 'stroke', x: 0, y: 0, points });
      // The naive layout, for comparison: a Y.Array of x, y, pressure floats per stroke.
      const array = new Y.Array<number>();
      const flat: number[] = [];
      for (let p = 0; p < perStroke; p++)
        flat.push(points.xy[p * 2]!, points.xy[p * 2 + 1]!, points.pressure![p]!);
      array.push(flat);
      floats.getMap('strokes').set(String(i), array);
    }
    const total = strokes * perStroke;
    const boardBytes = Y.encodeStateAsUpdate(board).length / total;
    const floatBytes = Y.encodeStateAsUpdate(floats).length / total;
    console.error(
      `bytes per stroke point: ${(pointBytes / total).toFixed(2)} in the points field; whole document ` +
        `${boardBytes.toFixed(2)} (a Y.Array of floats: ${floatBytes.toFixed(2)})`,
    );
    expect(boardBytes).toBeLessThanOrEqual(8);
    expect(boardBytes).toBeLessThan(floatBytes / 2);
  });

  it('refuses coordinates and pressures it cannot store, rather than looping on them', () => {
    for (const xy of [
      [0, Infinity],
      [Number.NaN, 0],
      [2e9, 0],
    ]) {
      expect(() => encodePoints({ xy: Float32Array.from(xy), pressure: null })).toThrow(TypeError);
    }
    expect(() => encodePoints({ xy: new Float32Array(2), pressure: Float32Array.of(1.5) })).toThrow(
      /pressure/,
    );
    expect(() => encodePoints({ xy: new Float32Array(2), pressure: Float32Array.of(0.5, 0.5) })).toThrow(
      /one value per point/,
    );
  });

  it('reads values beyond its limits, as another writer may store them, clamped so they write back', () => {
    const enc = encoding.createEncoder();
    encoding.writeUint8(enc, 1);
    encoding.writeUint8(enc, 1);
    encoding.writeUint8(enc, 0);
    encoding.writeVarUint(enc, 1);
    encoding.writeVarInt(enc, 3e9);
    encoding.writeVarInt(enc, -5);
    encoding.writeVarInt(enc, 600);
    const read = decodePoints(encoding.toUint8Array(enc))!;
    expect(Array.from(read.xy)).toEqual([1e9, -5]);
    expect(Array.from(read.pressure!)).toEqual([1]);
    expect(() => encodePoints(read)).not.toThrow();
  });
});
