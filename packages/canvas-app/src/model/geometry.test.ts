import {
  addElement,
  createBoardDoc,
  elementBounds,
  getElement,
  pointsFrom,
  rotatedBox,
} from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { Viewport } from '../viewport/Viewport.js';
import { hitElement } from './hit-test.js';

describe('geometry', () => {
  const doc = createBoardDoc();
  const stroke = getElement(
    doc,
    addElement(doc, {
      kind: 'stroke',
      x: 10,
      y: 20,
      strokeWidth: 4,
      points: pointsFrom([
        [0, 0],
        [100, 0],
        [100, 50],
      ]),
    }),
  )!;
  const rect = getElement(doc, addElement(doc, { kind: 'rectangle', x: 0, y: 0, width: 100, height: 40 }))!;
  const filled = getElement(
    doc,
    addElement(doc, { kind: 'ellipse', x: 0, y: 0, width: 100, height: 40, fill: '#a5d8ff' }),
  )!;

  it('bounds cover points, stroke width and rotation', () => {
    // A pen is drawn at twice its stroke width: the box reaches the ink's edge (4) plus 1.
    expect(elementBounds(stroke)).toEqual({ minX: 5, minY: 15, maxX: 115, maxY: 75 });
    const turned = rotatedBox({ minX: 0, minY: 0, maxX: 100, maxY: 40 }, Math.PI / 2);
    expect(turned.minX).toBeCloseTo(30);
    expect(turned.maxY).toBeCloseTo(70);
  });

  it('hit-testing: near a stroke, on an outline, inside a filled shape', () => {
    expect(hitElement(stroke, { x: 60, y: 22 }, 1)).toBe(true);
    expect(hitElement(stroke, { x: 60, y: 40 }, 1)).toBe(false);
    expect(hitElement(stroke, { x: 111, y: 50 }, 1)).toBe(true);
    expect(hitElement(rect, { x: 50, y: 1 }, 2)).toBe(true);
    expect(hitElement(rect, { x: 50, y: 20 }, 2)).toBe(false);
    expect(hitElement(filled, { x: 50, y: 20 }, 2)).toBe(true);
    expect(hitElement(filled, { x: 2, y: 2 }, 1)).toBe(false);
  });

  it('viewport: zooming keeps the point under the pointer still; fit shows everything', () => {
    const viewport = new Viewport();
    viewport.setSize(800, 600);
    viewport.panBy(-100, -50);
    const screen = { x: 300, y: 200 };
    const before = viewport.toBoard(screen);
    viewport.zoomAt(screen, 2.5);
    const after = viewport.toBoard(screen);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
    viewport.fit({ minX: -1000, minY: -1000, maxX: 1000, maxY: 1000 });
    const box = viewport.visibleBounds();
    expect(box.minX).toBeLessThanOrEqual(-1000);
    expect(box.maxY).toBeGreaterThanOrEqual(1000);
  });
});
