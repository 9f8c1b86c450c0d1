import { describe, expect, it } from 'vitest';
import { createBoardDoc } from './board-doc.js';
import { BoardJSONError, boardToJSON, elementsFromJSON } from './board-json.js';
import { addElement, listElements } from './elements.js';
import { pointsFrom } from './points.js';

describe('board files', () => {
  it('round-trip every kind through JSON text, with new ids and without order keys', () => {
    const doc = createBoardDoc();
    addElement(doc, {
      kind: 'stroke',
      x: 5,
      points: pointsFrom([
        [0, 0, 0.25],
        [10, 5.5, 0.75],
      ]),
      brush: 'highlighter',
    });
    addElement(doc, { kind: 'rectangle', width: 10, height: 20, cornerRadius: 4, fill: '#ffc9c9' });
    addElement(doc, {
      kind: 'arrow',
      points: pointsFrom([
        [0, 0],
        [30, 40],
      ]),
      arrowStart: true,
    });
    addElement(doc, { kind: 'sticky', text: 'todo ✓', author: 'Ada' });
    addElement(doc, { kind: 'text', text: 'hi', align: 'right', fontSize: 32 });
    const before = listElements(doc);
    const inits = elementsFromJSON(JSON.stringify(boardToJSON(before)));
    expect(inits.every((init) => !('z' in init))).toBe(true);
    const fileIds = new Set(before.map((element) => element.id as string));
    expect(inits.every((init) => init.id && !fileIds.has(init.id))).toBe(true);
    const copy = createBoardDoc();
    for (const init of inits) addElement(copy, init);
    const strip = ({ id: _id, z: _z, ...rest }: Record<string, unknown>) => rest;
    const after = listElements(copy);
    expect(after.map((e) => e.kind).sort()).toEqual(before.map((e) => e.kind).sort());
    for (const element of before) {
      const twin = after.find((e) => e.kind === element.kind)!;
      expect(strip(twin)).toEqual(strip(element));
    }
  });

  it('refuse what is not a board file, naming the problem', () => {
    const file = (elements: unknown[]) => ({ type: 'inkroom-board', version: 1, elements });
    const cases: [unknown, RegExp][] = [
      ['{', /not JSON/],
      [{ type: 'excalidraw', elements: [] }, /not an Inkroom board file/],
      [{ type: 'inkroom-board', version: 99, elements: [] }, /version 99/],
      [file([{ kind: 'spaceship' }]), /elements\[0\]: unknown kind spaceship/],
      [file([{ kind: 'rectangle', wings: 2 }]), /unknown field wings/],
      [file([{ kind: 'rectangle', width: -4 }]), /elements\[0\]\.width/],
      [
        file([{ kind: 'rectangle' }, { kind: 'stroke', points: { xy: [1, 2, 3], pressure: null } }]),
        /elements\[1\]: points/,
      ],
    ];
    for (const [input, message] of cases) {
      expect(() => elementsFromJSON(input)).toThrow(BoardJSONError);
      expect(() => elementsFromJSON(input)).toThrow(message);
    }
  });
});
