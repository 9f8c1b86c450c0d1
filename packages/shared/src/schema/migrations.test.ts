import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoardDoc, elementsMap, metaMap, SCHEMA_VERSION_KEY } from './board-doc.js';
import { addElement, getElement, rawElement } from './elements.js';
import {
  assertMigrationSequence,
  boardSchemaVersion,
  MIGRATIONS,
  type Migration,
  migrateBoard,
  type RawElement,
  SCHEMA_VERSION,
  SchemaTooNewError,
} from './migrations.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Y.AbstractType) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

// A stand-in for a future schema change: version 2 renames `author` to `createdBy`, version 3
// doubles stroke widths. It exercises the mechanism the real registry will use.
const sample: Migration[] = [
  {
    version: 2,
    description: 'rename author to createdBy',
    up: ({ author, ...rest }: RawElement) => ({ ...rest, createdBy: author }),
  },
  {
    version: 3,
    description: 'double stroke widths',
    up: (element: RawElement) => ({ ...element, strokeWidth: Number(element.strokeWidth) * 2 }),
  },
];

describe('schema migrations', () => {
  it('registers one migration per version up to the current one', () => {
    expect(() => assertMigrationSequence(MIGRATIONS, SCHEMA_VERSION)).not.toThrow();
    expect(() => assertMigrationSequence(sample, 3)).not.toThrow();
    expect(() => assertMigrationSequence(sample, 4)).toThrow(/needs 3/);
    expect(() => assertMigrationSequence([sample[1]!], 2)).toThrow(/version 3/);
  });

  it('never mutate their input', () => {
    const doc = createBoardDoc();
    addElement(doc, { kind: 'sticky', text: 'x', author: 'Ada', strokeWidth: 3 });
    const raw = rawElement(elementsMap(doc).values().next().value!);
    for (const migration of [...MIGRATIONS, ...sample]) {
      const input = deepFreeze({ ...raw });
      const snapshot = { ...input };
      expect(() => migration.up(input)).not.toThrow();
      expect(input).toEqual(snapshot);
    }
  });

  it('upgrade a board in one transaction and stamp the version', () => {
    const doc = createBoardDoc();
    const id = addElement(doc, { kind: 'rectangle', author: 'Ada', strokeWidth: 3 });
    metaMap(doc).set(SCHEMA_VERSION_KEY, 1);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    expect(migrateBoard(doc, sample, 3)).toBe(2);
    expect(transactions).toBe(1);
    expect(boardSchemaVersion(doc)).toBe(3);
    const stored = rawElement(elementsMap(doc).get(id)!);
    expect(stored.createdBy).toBe('Ada');
    expect('author' in stored).toBe(false);
    expect(stored.strokeWidth).toBe(6);
    // Already current: nothing to do, nothing written.
    expect(migrateBoard(doc, sample, 3)).toBe(0);
    expect(transactions).toBe(1);
  });

  it('version 4 gives shapes, lines and arrows made before it an empty label to type into, once', () => {
    const doc = createBoardDoc();
    const box = addElement(doc, { kind: 'rectangle', width: 10, height: 10 });
    const note = addElement(doc, { kind: 'sticky', text: 'keep' });
    // As a version 3 board held it: no Y.Text for the box.
    elementsMap(doc).get(box)!.delete('text');
    metaMap(doc).set(SCHEMA_VERSION_KEY, 3);
    expect(migrateBoard(doc)).toBe(SCHEMA_VERSION - 3);
    const label = elementsMap(doc).get(box)!.get('text');
    expect(label).toBeInstanceOf(Y.Text);
    expect(getElement(doc, note)).toMatchObject({ text: 'keep' });
    // A second peer typing into it types into the same text.
    const other = createBoardDoc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    (label as Y.Text).insert(0, 'A');
    (elementsMap(other).get(box)!.get('text') as Y.Text).insert(0, 'B');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const read = getElement(doc, box);
    expect(read?.kind === 'rectangle' && read.text.length).toBe(2);
    expect(getElement(other, box)).toEqual(read);
  });

  it('stamp a fresh board with the current version', () => {
    const doc = createBoardDoc();
    expect(migrateBoard(doc)).toBe(SCHEMA_VERSION - 1);
    expect(metaMap(doc).get(SCHEMA_VERSION_KEY)).toBe(SCHEMA_VERSION);
  });

  it('refuse a board from a newer Inkroom', () => {
    const doc = createBoardDoc();
    const id = addElement(doc, { kind: 'ellipse' });
    metaMap(doc).set(SCHEMA_VERSION_KEY, SCHEMA_VERSION + 1);
    expect(() => migrateBoard(doc)).toThrow(SchemaTooNewError);
    expect(getElement(doc, id)?.kind).toBe('ellipse');
  });

  it('converge when two peers migrate the same board concurrently', () => {
    const a = createBoardDoc();
    addElement(a, { kind: 'rectangle', author: 'Ada', strokeWidth: 1 });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    migrateBoard(a, sample, 3);
    migrateBoard(b, sample, 3);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getMap('elements').toJSON()).toEqual(b.getMap('elements').toJSON());
    expect(rawElement(elementsMap(a).values().next().value!)).toMatchObject({
      createdBy: 'Ada',
      strokeWidth: 2,
    });
  });
});
