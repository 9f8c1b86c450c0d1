import * as Y from 'yjs';
import { type ElementMap, elementsMap } from './board-doc.js';
import { replaceText } from './elements.js';

/** What a restore changed. */
export interface RestoreResult {
  /** Elements brought back (deleted since the version) under their own ids. */
  readonly added: number;
  /** Elements whose fields or text were set back. */
  readonly changed: number;
  /** Elements made since the version, deleted. */
  readonly removed: number;
}

/** Plain stored values (numbers, strings, arrays, records, points' bytes) compared by value. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) =>
    sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** A copy of an element's map from another doc: its creation record, later edits, and texts. */
function copyElement(source: ElementMap): ElementMap {
  const copy: ElementMap = new Y.Map();
  for (const [key, value] of source.entries()) {
    if (value instanceof Y.Text) copy.set(key, new Y.Text(value.toString()));
    else if (!(value instanceof Y.AbstractType)) copy.set(key, value);
  }
  return copy;
}

/**
 * Sets an existing element's entries back to the version's: each stored value that differs
 * (creation record and edits alike, compared by value) and each text (edited in place, so
 * someone typing in it at the same moment keeps their words). Returns whether anything changed.
 */
function restoreEntries(target: ElementMap, source: ElementMap): boolean {
  let changed = false;
  for (const key of [...target.keys()]) {
    if (source.has(key)) continue;
    target.delete(key);
    changed = true;
  }
  for (const [key, value] of source.entries()) {
    const current = target.get(key);
    if (value instanceof Y.Text) {
      if (current instanceof Y.Text) {
        const text = value.toString();
        if (current.toString() !== text) {
          replaceText(current, text);
          changed = true;
        }
      } else {
        target.set(key, new Y.Text(value.toString()));
        changed = true;
      }
    } else if (value instanceof Y.AbstractType) {
      // No kind of this schema nests other types; one from a newer schema is left as it is.
    } else if (current instanceof Y.AbstractType || !sameValue(current, value)) {
      target.set(key, value);
      changed = true;
    }
  }
  return changed;
}

/** How much of a version a restore brings back. */
export interface RestoreOptions {
  /**
   * Keep the elements made since the version (only bring back what was erased and set back what
   * changed): what people are adding meanwhile stays. Default false: the board becomes the version.
   */
  readonly keepAdded?: boolean;
}

/**
 * Makes the board in `doc` hold what the board in `version` (an older state of it) holds, as
 * one forward change in one transaction: elements made since are deleted (unless `keepAdded`),
 * elements deleted since come back under their ids, and changed fields and texts are set back.
 * Nothing is rewound: it merges with what others do at the same moment like any edit (an element
 * someone adds meanwhile stays), a client that reconnects with older state cannot undo it, and
 * with `origin` it is one undo step of whoever restores.
 */
export function restoreBoard(
  doc: Y.Doc,
  version: Y.Doc,
  origin?: unknown,
  options: RestoreOptions = {},
): RestoreResult {
  const target = elementsMap(doc);
  const source = elementsMap(version);
  let added = 0;
  let changed = 0;
  let removed = 0;
  doc.transact(() => {
    for (const id of options.keepAdded ? [] : [...target.keys()]) {
      if (source.has(id)) continue;
      target.delete(id);
      removed++;
    }
    source.forEach((map, id) => {
      if (!(map instanceof Y.Map)) return;
      const current = target.get(id);
      if (current instanceof Y.Map) {
        if (restoreEntries(current, map)) changed++;
      } else {
        target.set(id, copyElement(map));
        added++;
      }
    });
  }, origin);
  return { added, changed, removed };
}
