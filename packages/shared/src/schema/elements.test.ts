import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ElementId } from '../ids.js';
import { createBoardDoc, elementsMap } from './board-doc.js';
import { ELEMENT_KINDS, fieldSpecs } from './element-kinds.js';
import {
  addElement,
  deleteElements,
  elementText,
  getElement,
  INIT_KEY,
  listElements,
  rawElement,
  setElementField,
  updateElement,
} from './elements.js';
import { pointsFrom } from './points.js';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('board schema', () => {
  it('round-trips every kind through a Y.Doc and its encoding', () => {
    const doc = createBoardDoc();
    const points = pointsFrom([
      [0, 0, 0.2],
      [10.25, 5.5, 0.6],
      [20, -3.75, 1],
    ]);
    const ids = {
      stroke: addElement(doc, { kind: 'stroke', x: 5, y: 6, points, brush: 'highlighter', opacity: 0.4 }),
      rectangle: addElement(doc, { kind: 'rectangle', x: 1, y: 2, width: 30, height: 40, cornerRadius: 4 }),
      ellipse: addElement(doc, { kind: 'ellipse', width: 10, height: 20, fill: '#ff000080', rotation: 0.5 }),
      line: addElement(doc, {
        kind: 'line',
        points: pointsFrom([
          [0, 0],
          [100, 50],
        ]),
      }),
      arrow: addElement(doc, {
        kind: 'arrow',
        points: pointsFrom([
          [0, 0],
          [-40, 8],
        ]),
        arrowStart: true,
      }),
      text: addElement(doc, { kind: 'text', text: 'héllo\nworld', fontSize: 32, align: 'center' }),
      sticky: addElement(doc, { kind: 'sticky', text: 'todo', author: 'Ada', strokeWidth: 0 }),
      image: addElement(doc, {
        kind: 'image',
        width: 320,
        height: 200,
        asset: 'a'.repeat(64),
        naturalWidth: 1600,
        naturalHeight: 1000,
      }),
      frame: addElement(doc, { kind: 'frame', x: -100, y: -100, width: 1600, height: 900, name: 'Slide 1' }),
    };
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    for (const kind of ELEMENT_KINDS) {
      const original = getElement(doc, ids[kind]);
      expect(original?.kind).toBe(kind);
      expect(getElement(copy, ids[kind])).toEqual(original);
      // Every field of the kind is present in the snapshot.
      expect(Object.keys(original!).sort()).toEqual(['id', 'kind', ...fieldSpecs(kind).keys()].sort());
    }
    const stroke = getElement(doc, ids.stroke);
    expect(stroke?.kind === 'stroke' && Array.from(stroke.points.xy)).toEqual([0, 0, 10.25, 5.5, 20, -3.75]);
    expect(getElement(doc, ids.sticky)).toMatchObject({ text: 'todo', fill: '#ffe066', author: 'Ada' });
    expect(getElement(doc, ids.text)).toMatchObject({ text: 'héllo\nworld', fontSize: 32, align: 'center' });
    expect(getElement(doc, ids.arrow)).toMatchObject({ arrowStart: true, arrowEnd: true });
  });

  it('stores a new element as one creation record of its non-default fields, plus z and text', () => {
    const doc = createBoardDoc();
    const stroke = addElement(doc, {
      kind: 'stroke',
      x: 5,
      y: 0,
      points: pointsFrom([[0, 0]]),
      author: 'Ada',
      strokeColor: '#1e1e1e',
    });
    const strokeMap = elementsMap(doc).get(stroke)!;
    expect([...strokeMap.keys()]).toEqual([INIT_KEY]);
    expect(Object.keys(rawElement(strokeMap)).sort()).toEqual(['author', 'kind', 'points', 'x', 'z']);
    const note = addElement(doc, { kind: 'sticky' });
    expect([...elementsMap(doc).get(note)!.keys()].sort()).toEqual([INIT_KEY, 'text']);
    expect(getElement(doc, note)).toMatchObject({ text: '', fill: '#ffe066', strokeWidth: 2, opacity: 1 });
    // A default value set later is stored: it may override someone else's concurrent edit.
    setElementField(doc, stroke, 'opacity', 1);
    expect(strokeMap.get('opacity')).toBe(1);
  });

  it('makes a stroke two Yjs items, whatever its fields', () => {
    const doc = createBoardDoc();
    doc.clientID = 7;
    addElement(doc, {
      kind: 'stroke',
      x: 1,
      y: 2,
      strokeColor: '#e03131',
      points: pointsFrom([
        [0, 0],
        [3, 4],
      ]),
    });
    expect(Y.getState(doc.store, 7)).toBe(2);
  });

  it('reads edits over the creation record, and undoing an edit brings the created value back', () => {
    const doc = createBoardDoc();
    const id = addElement(doc, { kind: 'rectangle', x: 10, width: 50, height: 20 });
    const undo = new Y.UndoManager(elementsMap(doc), { trackedOrigins: new Set(['me']), captureTimeout: 0 });
    updateElement(doc, id, 'rectangle', { x: 40, cornerRadius: 4 }, 'me');
    expect(getElement(doc, id)).toMatchObject({ x: 40, width: 50, cornerRadius: 4 });
    undo.undo();
    expect(getElement(doc, id)).toMatchObject({ x: 10, width: 50, cornerRadius: 0 });
    undo.redo();
    expect(getElement(doc, id)).toMatchObject({ x: 40, cornerRadius: 4 });
  });

  it('rejects invalid values and unknown fields on write', () => {
    const doc = createBoardDoc();
    expect(() => addElement(doc, { kind: 'rectangle', width: -1 })).toThrow(TypeError);
    expect(() => addElement(doc, { kind: 'rectangle', x: Number.NaN })).toThrow(TypeError);
    expect(() => addElement(doc, { kind: 'rectangle', strokeColor: 'red' })).toThrow(TypeError);
    expect(() => addElement(doc, { kind: 'rectangle', opacity: 2 })).toThrow(TypeError);
    // @ts-expect-error a field of another kind is a compile error, and a runtime one
    expect(() => addElement(doc, { kind: 'rectangle', align: 'left' })).toThrow(TypeError);
    const id = addElement(doc, { kind: 'rectangle' });
    // @ts-expect-error wrong value type for the field
    expect(() => setElementField(doc, id, 'x', '12')).toThrow(TypeError);
  });

  it('reads version 1 elements (one entry per field), malformed values as defaults, and ignores unknown kinds', () => {
    const doc = createBoardDoc();
    const map = new Y.Map<unknown>();
    elementsMap(doc).set('forged', map);
    map.set('kind', 'rectangle');
    map.set('x', 'not a number');
    map.set('width', -5);
    map.set('strokeColor', 'javascript:alert(1)');
    map.set('z', '');
    const bogus = new Y.Map<unknown>();
    elementsMap(doc).set('bogus', bogus);
    bogus.set('kind', 'spaceship');
    const read = getElement(doc, 'forged' as ElementId);
    expect(read).toMatchObject({ kind: 'rectangle', x: 0, width: 0, strokeColor: '#1e1e1e', z: 'a0' });
    expect(getElement(doc, 'bogus' as ElementId)).toBeNull();
    expect(listElements(doc).map((e) => e.id)).toEqual(['forged']);
  });

  it('keeps concurrent edits of different fields of one element', () => {
    const a = createBoardDoc();
    const b = createBoardDoc();
    const id = addElement(a, { kind: 'rectangle', x: 0, y: 0, width: 10, height: 10 });
    sync(a, b);
    updateElement(a, id, 'rectangle', { x: 100, y: 200 });
    setElementField(b, id, 'strokeColor', '#ff0000');
    updateElement(b, id, 'rectangle', { cornerRadius: 8 });
    sync(a, b);
    for (const doc of [a, b]) {
      expect(getElement(doc, id)).toMatchObject({ x: 100, y: 200, strokeColor: '#ff0000', cornerRadius: 8 });
    }
  });

  it('merges concurrent typing in one sticky note', () => {
    const a = createBoardDoc();
    const b = createBoardDoc();
    const id = addElement(a, { kind: 'sticky', text: 'plan' });
    sync(a, b);
    updateElement(a, id, 'sticky', { text: 'the plan' });
    updateElement(b, id, 'sticky', { text: 'plan ahead' });
    sync(a, b);
    expect(getElement(a, id)).toMatchObject({ text: 'the plan ahead' });
    expect(elementText(b, id)?.toString()).toBe('the plan ahead');
  });

  it('refuses to update an element as the wrong kind, and deletes', () => {
    const doc = createBoardDoc();
    const id = addElement(doc, { kind: 'ellipse' });
    expect(updateElement(doc, id, 'rectangle', { cornerRadius: 3 })).toBe(false);
    deleteElements(doc, [id, 'missing' as ElementId]);
    expect(getElement(doc, id)).toBeNull();
    expect(setElementField(doc, id, 'x', 1)).toBe(false);
  });
});
