import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ElementId } from '../ids.js';
import { renderSvg } from '../render/svg.js';
import { BINDING_GAP, bindingAt, boundEnd, resolveBindings } from './bindings.js';
import { createBoardDoc } from './board-doc.js';
import { boardToJSON, elementsFromJSON } from './board-json.js';
import type { BoardElement } from './element-kinds.js';
import { addElement, deleteElements, getElement, listElements, updateElement } from './elements.js';
import { pointsFrom } from './points.js';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A board with a box at (100, 0), 100 × 100, and an arrow from (0, 50) to the box's centre, bound. */
function boxAndArrow(doc = createBoardDoc()) {
  const box = addElement(doc, { kind: 'rectangle', x: 100, y: 0, width: 100, height: 100 });
  const arrow = addElement(doc, {
    kind: 'arrow',
    x: 0,
    y: 50,
    points: pointsFrom([
      [0, 0],
      [150, 0],
    ]),
    endBinding: bindingAt(getElement(doc, box)!, { x: 150, y: 50 }),
  });
  return { doc, box, arrow };
}

/** The drawn ends of an arrow on this board. */
function drawnEnds(doc: Y.Doc, arrow: ElementId) {
  const lookup = (id: ElementId) => getElement(doc, id) ?? undefined;
  const drawn = resolveBindings(getElement(doc, arrow)!, lookup);
  if (drawn.kind !== 'arrow') throw new Error('not an arrow');
  const { xy } = drawn.points;
  const n = xy.length;
  return {
    start: { x: drawn.x + xy[0]!, y: drawn.y + xy[1]! },
    end: { x: drawn.x + xy[n - 2]!, y: drawn.y + xy[n - 1]! },
  };
}

const near = (p: { x: number; y: number }, x: number, y: number) => {
  expect(p.x).toBeCloseTo(x, 1);
  expect(p.y).toBeCloseTo(y, 1);
};

describe('bindings', () => {
  it('an end bound to a shape stops at its outline, short by the gap, aiming at its anchor', () => {
    const { doc, arrow } = boxAndArrow();
    near(drawnEnds(doc, arrow).end, 100 - BINDING_GAP, 50);
    const ellipse = addElement(doc, { kind: 'ellipse', x: 100, y: 0, width: 100, height: 100 });
    const target = getElement(doc, ellipse)!;
    near(boundEnd(target, { element: ellipse, x: 0.5, y: 0.5 }, { x: 150, y: -100 }), 150, -BINDING_GAP);
    // Turned a quarter: the anchor (its right edge's middle) turns with it, to the bottom.
    updateElement(doc, ellipse, 'ellipse', { rotation: Math.PI / 2 });
    near(
      boundEnd(getElement(doc, ellipse)!, { element: ellipse, x: 1, y: 0.5 }, { x: 150, y: 300 }),
      150,
      100 + BINDING_GAP,
    );
  });

  it('follows the shape as it moves, resizes and turns; the free end stays', () => {
    const { doc, box, arrow } = boxAndArrow();
    updateElement(doc, box, 'rectangle', { x: 300, y: 200 });
    const moved = drawnEnds(doc, arrow);
    near(moved.start, 0, 50);
    // Aimed at the box's centre (350, 250) from (0, 50): on its left side or top.
    const { end } = moved;
    expect(end.x).toBeLessThan(300);
    expect(end.y).toBeLessThan(250);
    const direction = Math.atan2(250 - 50, 350);
    expect(Math.atan2(end.y - 50, end.x)).toBeCloseTo(direction, 3);
    updateElement(doc, box, 'rectangle', { width: 400, height: 20 });
    const wide = drawnEnds(doc, arrow).end;
    // The anchor stays the centre of whatever the box now is: (500, 210).
    expect(Math.atan2(wide.y - 50, wide.x)).toBeCloseTo(Math.atan2(210 - 50, 500), 3);
  });

  it('moving the shape on one side and the arrow on the other converge to a connected arrow', () => {
    const { doc: a, box, arrow } = boxAndArrow();
    const b = createBoardDoc();
    sync(a, b);
    updateElement(a, box, 'rectangle', { x: 400, y: 300 });
    updateElement(b, arrow, 'arrow', { x: -200, y: -100 });
    sync(a, b);
    for (const doc of [a, b]) {
      const { start, end } = drawnEnds(doc, arrow);
      near(start, -200, -100);
      // On the moved box's outline, the gap short of it, on the line to its centre.
      const shape = getElement(doc, box)!;
      expect(Math.atan2(end.y - start.y, end.x - start.x)).toBeCloseTo(
        Math.atan2(350 - start.y, 450 - start.x),
        3,
      );
      expect(end.x).toBeGreaterThanOrEqual(shape.x - BINDING_GAP * 2);
      expect(end.x).toBeLessThanOrEqual(shape.x);
    }
    expect(drawnEnds(a, arrow)).toEqual(drawnEnds(b, arrow));
  });

  it('deleting the shape leaves the end free, where it was drawn', () => {
    const { doc, box, arrow } = boxAndArrow();
    updateElement(doc, box, 'rectangle', { x: 300, y: 200 });
    const before = drawnEnds(doc, arrow);
    deleteElements(doc, [box]);
    const element = getElement(doc, arrow)!;
    expect(element.kind === 'arrow' && element.endBinding).toBeNull();
    const after = drawnEnds(doc, arrow);
    near(after.end, before.end.x, before.end.y);
    near(after.start, before.start.x, before.start.y);
  });

  it('a board file keeps bindings among its elements, with new ids, and drops the others', () => {
    const { doc, box } = boxAndArrow();
    const elements = listElements(doc);
    const inits = elementsFromJSON(JSON.stringify(boardToJSON(elements)));
    const newBox = inits.find((init) => init.kind === 'rectangle')!;
    const newArrow = inits.find((init) => init.kind === 'arrow') as { endBinding?: { element: string } };
    expect(newBox.id).toBeDefined();
    expect(newBox.id).not.toBe(box);
    expect(newArrow.endBinding?.element).toBe(newBox.id);
    const alone = elementsFromJSON(boardToJSON(elements.filter((e) => e.kind === 'arrow')));
    expect((alone[0] as { endBinding?: unknown }).endBinding).toBeNull();
  });

  it('an SVG export draws a bound end on its target', () => {
    const { doc, box } = boxAndArrow();
    updateElement(doc, box, 'rectangle', { y: 400 });
    const svg = renderSvg(listElements(doc));
    const arrow = /data-kind="arrow"[^>]*>.*?<path d="M([-\d.]+) ([-\d.]+)L([-\d.]+) ([-\d.]+)/.exec(svg);
    expect(arrow).not.toBeNull();
    const [, , , x, y] = arrow!.map(Number);
    // Aimed at (150, 450) from (0, 50): stops above the box's top, at y ≈ 400 − gap.
    expect(y).toBeLessThan(400);
    expect(y).toBeGreaterThan(400 - BINDING_GAP * 3);
    expect(x).toBeGreaterThan(100);
  });

  it('reads what a hostile peer stored as a binding as none', () => {
    const { doc, arrow } = boxAndArrow();
    const bad: unknown[] = ['x', { element: 'a', x: 2, y: 0 }, { element: '', x: 0, y: 0 }, [1, 2]];
    for (const value of bad) {
      const map = doc.getMap('elements').get(arrow) as Y.Map<unknown>;
      map.set('endBinding', value);
      const element = getElement(doc, arrow) as BoardElement & { endBinding: unknown };
      expect(element.endBinding).toBeNull();
    }
  });
});
