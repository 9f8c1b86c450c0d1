import * as Y from 'yjs';
import { asElementId, type ElementId } from '../ids.js';
import { elementsMap } from './board-doc.js';
import type { BoardElement } from './element-kinds.js';
import { readElement } from './elements.js';

/**
 * What one transaction did to the board's elements, as records rather than Y events: elements
 * that appeared, elements that changed (with their new state), and elements that are gone. An
 * element whose stored fields stop making a valid element counts as removed, and as added again
 * once they do.
 */
export interface ElementsDiff {
  readonly added: ReadonlyMap<ElementId, BoardElement>;
  readonly updated: ReadonlyMap<ElementId, BoardElement>;
  readonly removed: ReadonlySet<ElementId>;
  /** The transaction's origin (a board's own history origin for its local edits). */
  readonly origin: unknown;
  /** True when the change was made on this doc rather than received. */
  readonly local: boolean;
  /**
   * The Yjs client ids that wrote what this transaction added (their awareness ids too, so
   * presence names them). Empty for a change that only deleted: a deletion carries no writer.
   */
  readonly writers: readonly number[];
}

/** The clients whose clocks moved in a transaction: who wrote in it. */
function writersOf(transaction: Y.Transaction): number[] {
  const writers: number[] = [];
  for (const [client, clock] of transaction.afterState)
    if (clock > (transaction.beforeState.get(client) ?? 0)) writers.push(client);
  return writers;
}

/** The elements a doc holds, by id. */
function currentElements(doc: Y.Doc): Map<ElementId, BoardElement> {
  const elements = new Map<ElementId, BoardElement>();
  elementsMap(doc).forEach((map, key) => {
    const id = asElementId(key);
    const element = map instanceof Y.Map ? readElement(id, map) : null;
    if (element) elements.set(id, element);
  });
  return elements;
}

/**
 * Calls `listener` with every change to the board's elements, first (at once) with every element
 * the doc holds as `added`. Returns the function that stops observing.
 *
 * @example
 * const stop = observeElements(board.doc, ({ added, updated, removed }) => {
 *   for (const [id, element] of added) console.log('new', element.kind, id);
 * });
 */
export function observeElements(doc: Y.Doc, listener: (diff: ElementsDiff) => void): () => void {
  const top = elementsMap(doc);
  // The ids reported as present, so that a change is told apart from an arrival exactly.
  const present = new Set<ElementId>();
  const initial = currentElements(doc);
  for (const id of initial.keys()) present.add(id);

  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], transaction: Y.Transaction) => {
    const touched = new Set<string>();
    for (const event of events) {
      if (event.target === top) for (const key of event.changes.keys.keys()) touched.add(key);
      else if (typeof event.path[0] === 'string') touched.add(event.path[0]);
    }
    const added = new Map<ElementId, BoardElement>();
    const updated = new Map<ElementId, BoardElement>();
    const removed = new Set<ElementId>();
    for (const key of touched) {
      const id = asElementId(key);
      const map = top.get(key);
      const element = map instanceof Y.Map ? readElement(id, map) : null;
      if (element) {
        if (present.has(id)) updated.set(id, element);
        else {
          present.add(id);
          added.set(id, element);
        }
      } else if (present.delete(id)) removed.add(id);
    }
    if (added.size + updated.size + removed.size === 0) return;
    listener({
      added,
      updated,
      removed,
      origin: transaction.origin,
      local: transaction.local,
      get writers() {
        return writersOf(transaction);
      },
    });
  };
  top.observeDeep(observer);
  if (initial.size > 0)
    listener({
      added: initial,
      updated: new Map(),
      removed: new Set(),
      origin: null,
      local: false,
      writers: [],
    });
  return () => top.unobserveDeep(observer);
}

/**
 * Whether a transaction changed the board's elements (added, removed or edited one), as opposed
 * to only its `meta` map (a schema stamp): who made such a change edited the board.
 */
export function changesElements(transaction: Y.Transaction): boolean {
  const elements: unknown = elementsMap(transaction.doc);
  for (const type of transaction.changed.keys()) {
    if (type === elements) return true;
    for (let item = type._item; item; item = (item.parent as typeof type | null)?._item ?? null)
      if (item.parent === elements) return true;
  }
  return false;
}
