import {
  addElement,
  BINDING_GAP,
  createBoardDoc,
  type ElementId,
  getElement,
  type LiveStroke,
  listElements,
  type Point,
  pointsFrom,
  updateElement,
} from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/Translator.js';
import { SceneIndex } from '../scene/SceneIndex.js';
import { Viewport } from '../viewport/Viewport.js';
import { createTools } from './index.js';
import type { BoardPointer, ToolContext, ToolId } from './Tool.js';

function setup() {
  const doc = createBoardDoc();
  const scene = new SceneIndex(doc);
  scene.start();
  const viewport = new Viewport();
  viewport.setSize(800, 600);
  const shared: ({ stroke: LiveStroke; done: boolean } | null)[] = [];
  const edited: ElementId[] = [];
  let hidden = new Set<ElementId>();
  const ctx: ToolContext = {
    doc,
    scene,
    viewport,
    origin: {},
    style: { strokeColor: '#e03131', strokeWidth: 4, fill: 'none', opacity: 1 },
    author: 'Ada',
    translator: translator('en'),
    selection: new Set(),
    selectionChanged: () => {},
    requestOverlay: () => {},
    editText: (id) => edited.push(id),
    shareLiveStroke: (stroke, done = false) =>
      shared.push(stroke && { stroke: { ...stroke, points: [...stroke.points] }, done }),
    pointLaser: () => {},
    hide: (ids) => {
      hidden = new Set(ids);
    },
    setTool: () => {},
  };
  const tools = createTools();
  const at = (x: number, y: number, extra: Partial<BoardPointer> = {}): BoardPointer => ({
    screen: { x, y },
    board: viewport.toBoard({ x, y }),
    pressure: 0.5,
    pointerType: 'mouse',
    shiftKey: false,
    altKey: false,
    modKey: false,
    ...extra,
  });
  const drag = (tool: ToolId, path: Point[], extra: Partial<BoardPointer> = {}) => {
    const [first, ...rest] = path;
    tools[tool].down(at(first!.x, first!.y, extra), ctx);
    for (const p of rest) tools[tool].move(at(p.x, p.y, extra), ctx);
    const last = path.at(-1)!;
    tools[tool].up(at(last.x, last.y, extra), ctx);
  };
  return { doc, scene, viewport, ctx, tools, drag, shared, edited, hidden: () => hidden };
}

/** A 400×200 picture shown at half size, its box (100,100)-(300,200). */
function addImage(doc: ReturnType<typeof createBoardDoc>) {
  return addElement(doc, {
    kind: 'image',
    x: 100,
    y: 100,
    width: 200,
    height: 100,
    asset: 'a'.repeat(64),
    naturalWidth: 400,
    naturalHeight: 200,
  });
}

describe('tools', () => {
  it('pen: one stroke per gesture, committed on pointer up, shared live while drawing', () => {
    const { doc, drag, shared } = setup();
    drag('pen', [
      { x: 100, y: 100 },
      { x: 110, y: 105 },
      { x: 130, y: 120 },
    ]);
    const [stroke] = listElements(doc);
    expect(stroke).toMatchObject({
      kind: 'stroke',
      x: 100,
      y: 100,
      strokeColor: '#e03131',
      strokeWidth: 4,
      brush: 'pen',
    });
    expect(stroke?.kind === 'stroke' && Array.from(stroke.points.xy)).toEqual([0, 0, 10, 5, 30, 20]);
    // Shared while drawing, then at pen-up as done, under the id the committed element has.
    expect(shared.filter((live) => live && !live.done).length).toBeGreaterThanOrEqual(3);
    const last = shared.at(-1);
    expect(last?.done).toBe(true);
    expect(last?.stroke.element).toBe(stroke?.id);
    expect(last?.stroke.points).toHaveLength(9);
    expect(new Set(shared.map((live) => live?.stroke.element)).size).toBe(1);
  });

  it('pen at 4x zoom keeps finer coordinates', () => {
    const { doc, drag, viewport } = setup();
    viewport.zoomAt({ x: 0, y: 0 }, 4);
    drag('pen', [
      { x: 1, y: 1 },
      { x: 2, y: 3 },
    ]);
    const [stroke] = listElements(doc);
    expect(stroke?.kind === 'stroke' && Array.from(stroke.points.xy)).toEqual([0, 0, 0.25, 0.5]);
  });

  it('rectangle: drag makes a normalised box; a click makes nothing; shift makes a square', () => {
    const { doc, drag } = setup();
    drag('rectangle', [{ x: 50, y: 50 }]);
    expect(listElements(doc)).toHaveLength(0);
    drag('rectangle', [
      { x: 200, y: 150 },
      { x: 100, y: 100 },
    ]);
    expect(listElements(doc)[0]).toMatchObject({ kind: 'rectangle', x: 100, y: 100, width: 100, height: 50 });
    drag(
      'ellipse',
      [
        { x: 0, y: 0 },
        { x: 40, y: 10 },
      ],
      { shiftKey: true },
    );
    expect(listElements(doc)[1]).toMatchObject({ kind: 'ellipse', width: 40, height: 40 });
  });

  it('arrow: two points from press to release, on top of what was there', () => {
    const { doc, drag } = setup();
    drag('rectangle', [
      { x: 0, y: 0 },
      { x: 50, y: 50 },
    ]);
    drag('arrow', [
      { x: 10, y: 10 },
      { x: 60, y: 30 },
    ]);
    const [rect, arrow] = listElements(doc);
    expect(arrow).toMatchObject({ kind: 'arrow', x: 10, y: 10, arrowEnd: true });
    expect(arrow?.kind === 'arrow' && Array.from(arrow.points.xy)).toEqual([0, 0, 50, 20]);
    expect(arrow!.z > rect!.z).toBe(true);
  });

  it('arrow: an end dropped on a shape binds to it and is drawn at its outline; Ctrl/Cmd leaves it free', () => {
    const { doc, drag, scene } = setup();
    drag('rectangle', [
      { x: 0, y: 0 },
      { x: 50, y: 50 },
    ]);
    const [rect] = listElements(doc);
    drag('arrow', [
      { x: 200, y: 25 },
      { x: 25, y: 25 },
    ]);
    drag(
      'arrow',
      [
        { x: 200, y: 40 },
        { x: 25, y: 40 },
      ],
      { modKey: true },
    );
    const [, bound, free] = listElements(doc);
    expect(bound).toMatchObject({
      kind: 'arrow',
      startBinding: null,
      endBinding: { element: rect!.id, x: 0.5, y: 0.5 },
    });
    expect(free).toMatchObject({ kind: 'arrow', startBinding: null, endBinding: null });
    // Drawn from (200, 25) towards the box's centre, it stops at the right side, the gap short.
    const drawn = scene.get(bound!.id)!.element;
    expect(drawn.kind === 'arrow' && Array.from(drawn.points.xy)).toEqual([0, 0, 50 + BINDING_GAP - 200, 0]);
    // Moving the box moves the drawn end; the stored one stays as drawn by hand.
    updateElement(doc, rect!.id, 'rectangle', { y: 100 });
    const moved = scene.get(bound!.id)!.element;
    expect(moved.kind === 'arrow' && moved.points.xy[3]!).toBeGreaterThan(60);
    const stored = getElement(doc, bound!.id);
    expect(stored?.kind === 'arrow' && Array.from(stored.points.xy)).toEqual([0, 0, -175, 0]);
  });

  it("select: a line's end dragged onto a shape binds to it, dragged off frees it; Ctrl/Cmd drops it free", () => {
    const { doc, drag, ctx } = setup();
    const box = addElement(doc, { kind: 'rectangle', x: 300, y: 0, width: 100, height: 100 });
    const arrow = addElement(doc, {
      kind: 'arrow',
      x: 0,
      y: 50,
      points: pointsFrom([
        [0, 0],
        [100, 0],
      ]),
    });
    ctx.selection.add(arrow);
    drag('select', [
      { x: 100, y: 50 },
      { x: 250, y: 50 },
      { x: 350, y: 40 },
    ]);
    expect(getElement(doc, arrow)).toMatchObject({ endBinding: { element: box, x: 0.5, y: 0.4 } });
    // Drawn at the box's edge; the end handle is there now.
    const drawn = ctx.scene.get(arrow)!.element;
    const endX = drawn.kind === 'arrow' ? drawn.x + drawn.points.xy[2]! : 0;
    expect(endX).toBeCloseTo(300 - BINDING_GAP, 0);
    drag('select', [
      { x: endX, y: 50 - 10 * (endX / 350) },
      { x: 200, y: 200 },
    ]);
    expect(getElement(doc, arrow)).toMatchObject({ endBinding: null });
    const moved = getElement(doc, arrow);
    expect(moved?.kind === 'arrow' && Array.from(moved.points.xy)).toEqual([0, 0, 200, 150]);
    drag(
      'select',
      [
        { x: 200, y: 200 },
        { x: 350, y: 50 },
      ],
      { modKey: true },
    );
    expect(getElement(doc, arrow)).toMatchObject({ endBinding: null });
    // Not both ends on one shape: with the start bound to the box, the end dropped on it stays free.
    updateElement(doc, arrow, 'arrow', { startBinding: { element: box, x: 0.5, y: 0.5 } });
    const drawnNow = ctx.scene.get(arrow)!.element;
    const end =
      drawnNow.kind === 'arrow'
        ? { x: drawnNow.x + drawnNow.points.xy[2]!, y: drawnNow.y + drawnNow.points.xy[3]! }
        : null;
    drag('select', [end!, { x: 360, y: 60 }]);
    expect(getElement(doc, arrow)).toMatchObject({ startBinding: { element: box }, endBinding: null });
  });

  it('eraser: everything scrubbed over goes, in one transaction, on pointer up', () => {
    const { doc, drag, tools, ctx, hidden } = setup();
    const a = addElement(doc, {
      kind: 'stroke',
      x: 100,
      y: 100,
      points: pointsFrom([
        [0, 0],
        [0, 100],
      ]),
    });
    const b = addElement(doc, {
      kind: 'stroke',
      x: 200,
      y: 100,
      points: pointsFrom([
        [0, 0],
        [0, 100],
      ]),
    });
    const keep = addElement(doc, {
      kind: 'stroke',
      x: 400,
      y: 100,
      points: pointsFrom([
        [0, 0],
        [0, 100],
      ]),
    });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    drag('eraser', [
      { x: 50, y: 150 },
      { x: 250, y: 150 },
    ]);
    expect(transactions).toBe(1);
    expect(getElement(doc, a)).toBeNull();
    expect(getElement(doc, b)).toBeNull();
    expect(getElement(doc, keep)).not.toBeNull();
    // While scrubbing, what will go is hidden; Escape brings it back and deletes nothing.
    tools.eraser.down(
      {
        screen: { x: 400, y: 150 },
        board: { x: 400, y: 150 },
        pressure: 0.5,
        pointerType: 'mouse',
        shiftKey: false,
        altKey: false,
        modKey: false,
      },
      ctx,
    );
    expect([...hidden()]).toEqual([keep]);
    tools.eraser.cancel(ctx);
    expect(hidden().size).toBe(0);
    expect(getElement(doc, keep)).not.toBeNull();
  });

  it('eraser with Alt rubs out part of a stroke, splitting it, in one undo step', () => {
    const { doc, drag } = setup();
    const tuples: [number, number][] = [];
    for (let x = 0; x <= 200; x += 5) tuples.push([x, 0]);
    const id = addElement(doc, {
      kind: 'stroke',
      x: 100,
      y: 100,
      strokeColor: '#1971c2',
      points: pointsFrom(tuples),
    });
    addElement(doc, { kind: 'ellipse', x: 1000, y: 1000, width: 10, height: 10, z: 'a5' });
    // Scrub across the middle of the horizontal stroke.
    drag(
      'eraser',
      [
        { x: 200, y: 80 },
        { x: 200, y: 120 },
      ],
      { altKey: true },
    );
    const strokes = listElements(doc).filter((e) => e.kind === 'stroke');
    expect(strokes).toHaveLength(2);
    const [left, right] = strokes.sort((a, b) => a.x - b.x);
    expect(left!.id).toBe(id);
    expect(left).toMatchObject({ x: 100, y: 100, strokeColor: '#1971c2' });
    expect(right).toMatchObject({ y: 100, strokeColor: '#1971c2' });
    const lastLeft = left!.kind === 'stroke' ? left!.points.xy.at(-2)! + left!.x : 0;
    expect(lastLeft).toBeLessThan(200);
    expect(right!.x).toBeGreaterThan(200);
    // The new piece sits just above the original, below what was above it.
    expect(right!.z > left!.z && right!.z < 'a5').toBe(true);
  });

  it('eraser with Alt cuts a fast straight stroke between two far-apart samples', () => {
    const { doc, drag } = setup();
    addElement(doc, {
      kind: 'stroke',
      x: 0,
      y: 100,
      points: pointsFrom([
        [0, 0],
        [100, 0],
        [200, 0],
        [300, 0],
        [400, 0],
        [500, 0],
      ]),
    });
    drag(
      'eraser',
      [
        { x: 250, y: 80 },
        { x: 250, y: 120 },
      ],
      { altKey: true },
    );
    const pieces = listElements(doc).sort((a, b) => a.x - b.x);
    expect(
      pieces.map(
        (p) =>
          p.kind === 'stroke' &&
          Array.from(p.points.xy)
            .filter((_, i) => i % 2 === 0)
            .map((x) => x + p.x),
      ),
    ).toEqual([
      [0, 100],
      [400, 500],
    ]);
  });

  it('select: click picks the front-most, shift adds, drag moves the selection, marquee selects what it contains', () => {
    const { doc, drag, ctx } = setup();
    const back = addElement(doc, {
      kind: 'rectangle',
      x: 0,
      y: 0,
      width: 100,
      height: 100,
      fill: '#ffc9c9',
      z: 'a0',
    });
    const front = addElement(doc, {
      kind: 'rectangle',
      x: 50,
      y: 50,
      width: 100,
      height: 100,
      fill: '#ffc9c9',
      z: 'a1',
    });
    const far = addElement(doc, { kind: 'ellipse', x: 500, y: 500, width: 20, height: 20 });
    drag('select', [{ x: 75, y: 75 }]);
    expect([...ctx.selection]).toEqual([front]);
    drag('select', [{ x: 10, y: 10 }], { shiftKey: true });
    expect(new Set(ctx.selection)).toEqual(new Set([front, back]));
    drag('select', [
      { x: 75, y: 75 },
      { x: 95, y: 105 },
    ]);
    expect(getElement(doc, back)).toMatchObject({ x: 20, y: 30 });
    expect(getElement(doc, front)).toMatchObject({ x: 70, y: 80 });
    drag('select', [
      { x: 450, y: 450 },
      { x: 600, y: 600 },
    ]);
    expect([...ctx.selection]).toEqual([far]);
  });

  it('select: corner handles resize the selection about the opposite corner; the top handle rotates', () => {
    const { doc, drag, ctx } = setup();
    const rect = addElement(doc, { kind: 'rectangle', x: 100, y: 100, width: 100, height: 50 });
    const stroke = addElement(doc, {
      kind: 'stroke',
      x: 100,
      y: 200,
      points: pointsFrom([
        [0, 0],
        [50, 20],
      ]),
    });
    ctx.selection.add(rect);
    ctx.selection.add(stroke);
    // The group box is (100,100)-(200,220); drag its south-east corner to (300,340): twice the size.
    drag('select', [
      { x: 200, y: 220 },
      { x: 300, y: 340 },
    ]);
    expect(getElement(doc, rect)).toMatchObject({ x: 100, y: 100, width: 200, height: 100 });
    const scaled = getElement(doc, stroke);
    expect(scaled).toMatchObject({ x: 100, y: 300 });
    expect(scaled?.kind === 'stroke' && Array.from(scaled.points.xy)).toEqual([0, 0, 100, 40]);
    ctx.selection.delete(stroke);
    // Rotate handle: 24 px above the middle of the top edge; drag it to the right of the centre.
    drag('select', [
      { x: 200, y: 76 },
      { x: 400, y: 150 },
    ]);
    expect(getElement(doc, rect)?.rotation).toBeCloseTo(Math.PI / 2);
    // The handle turned with the shape (now right of the centre); a small drag turns it a little more.
    drag('select', [
      { x: 274, y: 150 },
      { x: 274, y: 153 },
    ]);
    expect(getElement(doc, rect)?.rotation).toBeCloseTo(Math.PI / 2 + Math.atan2(3, 74), 3);
  });

  it('select: an image keeps its proportions when resized, unless Shift is held; a click inside picks it', () => {
    const { doc, drag, ctx } = setup();
    const image = addImage(doc);
    drag('select', [
      { x: 150, y: 150 },
      { x: 150, y: 150 },
    ]);
    expect([...ctx.selection]).toEqual([image]);
    // Dragged to twice the width and the same height: the height follows.
    drag('select', [
      { x: 300, y: 200 },
      { x: 500, y: 200 },
    ]);
    expect(getElement(doc, image)).toMatchObject({ x: 100, y: 100, width: 400, height: 200 });
    drag(
      'select',
      [
        { x: 500, y: 300 },
        { x: 300, y: 300 },
      ],
      { shiftKey: true },
    );
    expect(getElement(doc, image)).toMatchObject({ width: 200, height: 200 });
  });

  it('select: a double-click on an image crops it: its corners move over the picture, which stays put', () => {
    const { doc, drag, ctx } = setup();
    const image = addImage(doc);
    for (let i = 0; i < 2; i++)
      drag('select', [
        { x: 200, y: 150 },
        { x: 200, y: 150 },
      ]);
    // The top-left corner dragged in: the box shrinks, the crop shows the rest of the picture.
    drag('select', [
      { x: 100, y: 100 },
      { x: 150, y: 120 },
    ]);
    expect(getElement(doc, image)).toMatchObject({
      x: 150,
      y: 120,
      width: 150,
      height: 80,
      crop: { x: 0.25, y: 0.2, width: 0.75, height: 0.8 },
    });
    // Dragged out past the picture: it stops at the picture's edge.
    drag('select', [
      { x: 150, y: 120 },
      { x: 20, y: 20 },
    ]);
    expect(getElement(doc, image)).toMatchObject({ x: 100, y: 100, width: 200, height: 100 });
    const crop =
      getElement(doc, image)?.kind === 'image' ? (getElement(doc, image) as { crop: unknown }).crop : null;
    expect(crop).toEqual({ x: 0, y: 0, width: 1, height: 1 });
    // A click on empty board ends the crop: a corner resizes again (keeping proportions).
    drag('select', [
      { x: 600, y: 500 },
      { x: 600, y: 500 },
    ]);
    ctx.selection.add(image);
    drag('select', [
      { x: 300, y: 200 },
      { x: 500, y: 200 },
    ]);
    expect(getElement(doc, image)).toMatchObject({ width: 400, height: 200 });
  });

  it('sticky: a click places a note and opens its editor; a click on it edits it', () => {
    const { doc, drag, edited } = setup();
    drag('sticky', [{ x: 300, y: 300 }]);
    const [note] = listElements(doc);
    expect(note).toMatchObject({ kind: 'sticky', x: 200, y: 200, width: 200, height: 200, author: 'Ada' });
    drag('sticky', [{ x: 250, y: 250 }]);
    expect(listElements(doc)).toHaveLength(1);
    expect(edited).toEqual([note!.id, note!.id]);
  });
});
