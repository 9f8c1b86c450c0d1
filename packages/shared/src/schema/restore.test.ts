import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoardDoc, undoScope } from './board-doc.js';
import {
  addElement,
  deleteElements,
  elementText,
  listElements,
  setElementField,
  updateElement,
} from './elements.js';
import { pointsFrom } from './points.js';
import { restoreBoard } from './restore.js';

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A board with one of several kinds, and the version taken of it. */
function boardWithVersion() {
  const doc = createBoardDoc();
  const rect = addElement(doc, { kind: 'rectangle', x: 10, y: 10, width: 100, height: 60, text: 'Box' });
  const stroke = addElement(doc, {
    kind: 'stroke',
    x: 0,
    y: 0,
    points: pointsFrom([
      [0, 0, 0.5],
      [10, 5, 0.5],
    ]),
  });
  const note = addElement(doc, { kind: 'sticky', x: 200, y: 0, text: 'Plan the launch' });
  const arrow = addElement(doc, {
    kind: 'arrow',
    x: 0,
    y: 100,
    points: pointsFrom([
      [0, 0, 0.5],
      [80, 0, 0.5],
    ]),
    endBinding: { element: rect, x: 0.5, y: 0.5 },
  });
  return { doc, version: copyOf(doc), rect, stroke, note, arrow };
}

describe('restoring a version', () => {
  it('brings back what was deleted, sets back what changed and removes what was added, in one change', () => {
    const { doc, version, rect, stroke, note, arrow } = boardWithVersion();
    deleteElements(doc, [stroke, rect]);
    setElementField(doc, note, 'x', 500);
    elementText(doc, note)!.insert(0, 'Do not ');
    updateElement(doc, arrow, 'arrow', { strokeColor: '#e03131' });
    addElement(doc, { kind: 'ellipse', x: 0, y: 0, width: 5, height: 5 });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const result = restoreBoard(doc, version);
    expect(transactions).toBe(1);
    expect(result).toEqual({ added: 2, changed: 2, removed: 1 });
    expect(listElements(doc)).toEqual(listElements(version));
    // The arrow deleteElements freed is bound to its box again.
    expect(listElements(doc).find((e) => e.id === arrow)).toMatchObject({ endBinding: { element: rect } });
    // Restoring again changes nothing.
    expect(restoreBoard(doc, version)).toEqual({ added: 0, changed: 0, removed: 0 });
  });

  it('merges with what someone does at the same moment, and a client with older state cannot undo it', () => {
    const { doc: a, version, stroke, note } = boardWithVersion();
    deleteElements(a, [stroke]);
    const b = copyOf(a);
    const offline = copyOf(a);
    // A restores while B, not yet in sync, adds a note and types in the existing one.
    restoreBoard(a, version);
    const added = addElement(b, { kind: 'sticky', x: 0, y: 300, text: 'New idea' });
    elementText(b, note)!.insert(elementText(b, note)!.length, '!');
    sync(a, b);
    expect(listElements(a)).toEqual(listElements(b));
    const ids = listElements(a).map((e) => e.id);
    expect(ids).toContain(stroke);
    expect(ids).toContain(added);
    expect(elementText(a, note)!.toString()).toBe('Plan the launch!');
    // A copy from before the restore (a page that was offline) comes back: it merges, nothing is rewound.
    sync(offline, a);
    expect(listElements(offline).map((e) => e.id)).toContain(stroke);
    expect(listElements(a)).toEqual(listElements(offline));
  });

  it('with keepAdded, brings back what was erased and sets back what changed, keeping what was added', () => {
    const { doc, version, stroke, note } = boardWithVersion();
    deleteElements(doc, [stroke]);
    setElementField(doc, note, 'x', 900);
    const added = addElement(doc, { kind: 'ellipse', x: 0, y: 0, width: 5, height: 5 });
    expect(restoreBoard(doc, version, undefined, { keepAdded: true })).toEqual({
      added: 1,
      changed: 1,
      removed: 0,
    });
    expect(
      listElements(doc)
        .map((e) => e.id)
        .sort(),
    ).toEqual([...listElements(version).map((e) => e.id), added].sort());
  });

  it('is one undo step of whoever restores', () => {
    const { doc, version, stroke, rect } = boardWithVersion();
    deleteElements(doc, [stroke]);
    setElementField(doc, rect, 'width', 300);
    const before = listElements(doc);
    const origin = { restore: true };
    const undo = new Y.UndoManager(undoScope(doc), { trackedOrigins: new Set([origin]), captureTimeout: 0 });
    restoreBoard(doc, version, origin);
    expect(listElements(doc)).toEqual(listElements(version));
    undo.undo();
    expect(listElements(doc)).toEqual(before);
    expect(undo.undoStack).toHaveLength(0);
  });
});
