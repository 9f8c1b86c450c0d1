import { addElement, getElement } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { testPointer, testToolContext } from '../testing/tool-context.js';
import { createTools } from '../tools/index.js';
import { SnapTargets } from './snapping.js';

const pointer = (x: number, y: number, altKey = false) => testPointer(x, y, { altKey });

describe('snapping', () => {
  it('brings an edge or centre onto another element’s within reach, else onto the grid', () => {
    const ctx = testToolContext();
    const other = addElement(ctx.doc, { kind: 'rectangle', x: 100, y: 100, width: 100, height: 100 });
    // Boxes are what is painted: the outline's width included.
    const { minX, maxX } = ctx.scene.get(other)!;
    const view = { minX: -1000, minY: -1000, maxX: 1000, maxY: 1000 };
    const targets = new SnapTargets(ctx.scene, view, new Set(), null);
    // Left edge 4 past the other's right edge: pulled back onto it, with a vertical guide.
    const edge = targets.snapBox({ minX: maxX + 4, minY: 300, maxX: maxX + 54, maxY: 350 }, 6);
    expect(edge.dx).toBeCloseTo(-4);
    expect(edge.guides.find((g) => g.axis === 'x')?.at).toBeCloseTo(maxX);
    // Centres line up.
    const middle = (minX + maxX) / 2;
    const centre = targets.snapBox({ minX: middle - 22, minY: 400, maxX: middle + 18, maxY: 420 }, 6);
    expect(centre.dx).toBeCloseTo(2);
    // Out of reach: no shift, no guide.
    expect(targets.snapBox({ minX: maxX + 20, minY: 500, maxX: maxX + 30, maxY: 510 }, 6)).toEqual({
      dx: 0,
      dy: 0,
      guides: [],
    });
    // The grid, when it shows, for what no element catches.
    const grid = new SnapTargets(ctx.scene, view, new Set([other]), 20);
    expect(grid.snapBox({ minX: 223, minY: 517, maxX: 230, maxY: 530 }, 6)).toMatchObject({ dx: -3, dy: 3 });
    expect(grid.snapPoint({ x: 41, y: 58 }, 6).point).toEqual({ x: 40, y: 60 });
  });

  it('a dragged element snaps to its neighbour; with Alt held it does not', () => {
    const ctx = testToolContext();
    const still = addElement(ctx.doc, {
      kind: 'rectangle',
      x: 0,
      y: 0,
      width: 100,
      height: 100,
      fill: '#a5d8ff',
    });
    const moving = addElement(ctx.doc, {
      kind: 'rectangle',
      x: 300,
      y: 0,
      width: 50,
      height: 50,
      fill: '#ffc9c9',
    });
    const tools = createTools();
    const drag = (from: number, to: number, alt: boolean) => {
      tools.select.down(pointer(from, 25), ctx);
      tools.select.move(pointer(to, 25, alt), ctx);
      tools.select.up(pointer(to, 25, alt), ctx);
    };
    // Its left edge would land 3 past the neighbour's right edge: it snaps onto it.
    drag(325, 128, false);
    expect(ctx.scene.get(moving)!.minX).toBeCloseTo(ctx.scene.get(still)!.maxX);
    // Moved back, then the same drag with Alt held: exactly where the pointer takes it.
    const back = getElement(ctx.doc, moving)!.x;
    drag(back + 25, 325, true);
    expect(getElement(ctx.doc, moving)?.x).toBeCloseTo(300);
    drag(325, 128, true);
    expect(getElement(ctx.doc, moving)?.x).toBeCloseTo(103);
  });
});
