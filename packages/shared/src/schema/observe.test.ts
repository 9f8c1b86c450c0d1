import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createBoardDoc, elementsMap, metaMap, SCHEMA_VERSION_KEY } from './board-doc.js';
import { addElement, deleteElements, elementText, setElementField, updateElement } from './elements.js';
import { changesElements, type ElementsDiff, observeElements } from './observe.js';

/** Each diff reduced to ids, for comparing. */
function record(doc: Y.Doc) {
  const seen: { added: string[]; updated: string[]; removed: string[]; local: boolean }[] = [];
  const stop = observeElements(doc, (diff: ElementsDiff) =>
    seen.push({
      added: [...diff.added.keys()],
      updated: [...diff.updated.keys()],
      removed: [...diff.removed],
      local: diff.local,
    }),
  );
  return { seen, stop };
}

describe('observeElements', () => {
  it('reports what is there first, then each change as records', () => {
    const doc = createBoardDoc();
    const first = addElement(doc, { kind: 'rectangle', width: 10, height: 10 });
    const { seen, stop } = record(doc);
    expect(seen).toEqual([{ added: [first], updated: [], removed: [], local: false }]);

    const second = addElement(doc, { kind: 'ellipse' });
    expect(seen.at(-1)).toEqual({ added: [second], updated: [], removed: [], local: true });
    setElementField(doc, first, 'x', 40);
    expect(seen.at(-1)).toEqual({ added: [], updated: [first], removed: [], local: true });
    updateElement(doc, second, 'ellipse', { width: 30, height: 30 });
    expect(seen.at(-1)?.updated).toEqual([second]);
    deleteElements(doc, [first]);
    expect(seen.at(-1)).toEqual({ added: [], updated: [], removed: [first], local: true });

    // A remote change is not local, and one transaction is one diff.
    const remote = createBoardDoc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    const third = addElement(remote, { kind: 'text', text: 'hi' });
    setElementField(remote, second, 'y', 7);
    const count = seen.length;
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)));
    expect(seen.length).toBe(count + 1);
    expect(seen.at(-1)).toEqual({ added: [third], updated: [second], removed: [], local: false });

    stop();
    addElement(doc, { kind: 'ellipse' });
    expect(seen.length).toBe(count + 1);
  });

  it('names the clients that wrote a change, and none for a deletion', () => {
    const ana = createBoardDoc();
    const ben = createBoardDoc();
    const writers: number[][] = [];
    const stop = observeElements(ana, (diff) => writers.push([...diff.writers]));
    const sync = () => Y.applyUpdate(ana, Y.encodeStateAsUpdate(ben, Y.encodeStateVector(ana)));
    const id = addElement(ben, { kind: 'sticky', text: 'plan' });
    sync();
    setElementField(ben, id, 'x', 12);
    sync();
    deleteElements(ben, [id]);
    sync();
    addElement(ana, { kind: 'ellipse' });
    expect(writers).toEqual([[ben.clientID], [ben.clientID], [], [ana.clientID]]);
    stop();
  });

  it('gives the new state of an updated element, and leaves out what does not read as one', () => {
    const doc = createBoardDoc();
    const id = addElement(doc, { kind: 'sticky', text: 'a' });
    const states: unknown[] = [];
    const stop = observeElements(doc, (diff) => {
      for (const element of diff.updated.values()) states.push(element.kind === 'sticky' && element.text);
    });
    updateElement(doc, id, 'sticky', { text: 'b' });
    expect(states).toEqual(['b']);

    // A map with no kind this schema knows is not an element: nothing to report, until it is one.
    const reports: ElementsDiff[] = [];
    const stopAll = observeElements(doc, (diff) => reports.push(diff));
    reports.length = 0;
    const odd = new Y.Map<unknown>();
    elementsMap(doc).set('odd-element-id-0001', odd);
    expect(reports).toEqual([]);
    stopAll();
    stop();
  });

  it('tells a transaction that changed the elements from one that only stamped the schema', () => {
    const doc = createBoardDoc();
    const seen: boolean[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => seen.push(changesElements(transaction)));
    metaMap(doc).set(SCHEMA_VERSION_KEY, 99);
    const id = addElement(doc, { kind: 'sticky', text: 'a' });
    setElementField(doc, id, 'x', 5);
    elementText(doc, id)!.insert(0, 'b');
    deleteElements(doc, [id]);
    expect(seen).toEqual([false, true, true, true, true]);
  });
});
