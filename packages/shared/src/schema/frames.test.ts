import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoardDoc, elementsMap } from './board-doc.js';
import { addElement, deleteElements, getElement, listElements, setElementField } from './elements.js';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A frame at (100, 100) with a note inside at (150, 160), a member. */
function framed() {
  const doc = createBoardDoc();
  const frame = addElement(doc, { kind: 'frame', x: 100, y: 100, width: 800, height: 450, name: 'Intro' });
  const note = addElement(doc, { kind: 'sticky', x: 150, y: 160, frame, text: 'Hello' });
  return { doc, frame, note };
}

describe('frames', () => {
  it('stores a member relative to its frame and reads it in board coordinates', () => {
    const { doc, frame, note } = framed();
    expect(getElement(doc, note)).toMatchObject({ x: 150, y: 160, frame });
    // Stored relative: the frame's corner is its origin.
    const stored = elementsMap(doc).get(note)!.get('init') as Record<string, unknown>;
    expect([stored.x, stored.y]).toEqual([50, 60]);
    // Moving the frame moves the member, and writing the member's position takes board coordinates.
    setElementField(doc, frame, 'x', 300);
    expect(getElement(doc, note)).toMatchObject({ x: 350, y: 160 });
    setElementField(doc, note, 'x', 400);
    expect(listElements(doc).find((e) => e.id === note)).toMatchObject({ x: 400, y: 160 });
    // Leaving and joining keep it where it is on the board.
    setElementField(doc, note, 'frame', null);
    expect(getElement(doc, note)).toMatchObject({ x: 400, y: 160, frame: null });
    setElementField(doc, frame, 'x', 0);
    expect(getElement(doc, note)).toMatchObject({ x: 400, y: 160 });
    setElementField(doc, note, 'frame', frame);
    expect(getElement(doc, note)).toMatchObject({ x: 400, y: 160, frame });
    // A frame belongs to no frame.
    const other = addElement(doc, { kind: 'frame', x: 0, y: 0, width: 10, height: 10, frame });
    expect(getElement(doc, other)?.frame).toBeNull();
    // A frame that is not there is none.
    const loose = addElement(doc, { kind: 'rectangle', x: 5, y: 5, frame: other });
    setElementField(doc, loose, 'frame', note);
    expect(getElement(doc, loose)).toMatchObject({ x: 5, y: 5, frame: null });
  });

  it('keeps both moves when one person moves a frame and another moves its member at the same moment', () => {
    const { doc: a, frame, note } = framed();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setElementField(a, frame, 'x', 100 + 200);
    setElementField(b, note, 'x', 150 + 30);
    setElementField(b, note, 'y', 160 - 20);
    sync(a, b);
    for (const doc of [a, b])
      expect(getElement(doc, note)).toMatchObject({ x: 150 + 200 + 30, y: 160 - 20, frame });
    expect(listElements(a)).toEqual(listElements(b));
  });

  it('leaves members where they are on the board when their frame is deleted', () => {
    const { doc, frame, note } = framed();
    setElementField(doc, frame, 'y', 500);
    deleteElements(doc, [frame]);
    expect(getElement(doc, note)).toMatchObject({ x: 150, y: 560, frame: null });
  });
});
