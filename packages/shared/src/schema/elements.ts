import * as Y from 'yjs';
import { asElementId, type ElementId, newElementId } from '../ids.js';
import { type ElementMap, elementsMap } from './board-doc.js';
import {
  type BoardElement,
  type CommonFieldName,
  type CommonFields,
  type ElementFields,
  type ElementKind,
  fieldSpecs,
  isElementKind,
  KIND_KEY,
} from './element-kinds.js';
import type { FieldSpec } from './fields.js';
import { compareOrder } from './order.js';

/** What it takes to create an element: its kind, and any fields that differ from the defaults. */
export type ElementInit<K extends ElementKind> = { kind: K; id?: ElementId } & Partial<ElementFields<K>>;

/** Reads one element from its Y.Map; null when the map does not hold a known kind. */
export function readElement(id: ElementId, map: ElementMap): BoardElement | null {
  const kind = map.get(KIND_KEY);
  if (!isElementKind(kind)) return null;
  const element: Record<string, unknown> = { id, kind };
  for (const [name, spec] of fieldSpecs(kind)) {
    element[name] = spec.read(map.get(name)) ?? spec.defaultValue;
  }
  return element as BoardElement;
}

/** The element with this id, or null. */
export function getElement(doc: Y.Doc, id: ElementId): BoardElement | null {
  const map = elementsMap(doc).get(id);
  return map instanceof Y.Map ? readElement(id, map) : null;
}

/** Every element of the board, in paint order (back to front). */
export function listElements(doc: Y.Doc): BoardElement[] {
  const out: BoardElement[] = [];
  elementsMap(doc).forEach((map, key) => {
    if (!(map instanceof Y.Map)) return;
    const element = readElement(asElementId(key), map);
    if (element) out.push(element);
  });
  return out.sort(compareOrder);
}

function checkFieldNames(kind: ElementKind, fields: Record<string, unknown>): void {
  const specs = fieldSpecs(kind);
  for (const name of Object.keys(fields)) {
    if (name !== 'kind' && name !== 'id' && !specs.has(name))
      throw new TypeError(`unknown field ${name} for ${kind}`);
  }
}

/**
 * Fields stored at creation even when they hold the default: the order key, and text, whose
 * Y.Text must exist from the start (two people creating it concurrently would each make their
 * own, and one person's typing would be lost).
 */
function alwaysStored(name: string, spec: FieldSpec<unknown>): boolean {
  return name === 'z' || spec.type === 'text';
}

/** Writes a new element's fields, leaving out those equal to their default (read back as such). */
function writeNewFields(map: ElementMap, kind: ElementKind, fields: Record<string, unknown>): void {
  checkFieldNames(kind, fields);
  for (const [name, spec] of fieldSpecs(kind)) {
    const value = fields[name] ?? spec.defaultValue;
    const stored = spec.write(value);
    if (value !== spec.defaultValue || alwaysStored(name, spec)) map.set(name, stored);
  }
}

/** Writes only the given fields; text is edited in place so concurrent typing merges. */
function patchFields(map: ElementMap, kind: ElementKind, fields: Record<string, unknown>): void {
  checkFieldNames(kind, fields);
  for (const [name, spec] of fieldSpecs(kind)) {
    const value = fields[name];
    if (value === undefined) continue;
    const current = map.get(name);
    if (spec.type === 'text' && current instanceof Y.Text) {
      if (typeof value !== 'string') spec.write(value);
      replaceText(current, value as string);
      continue;
    }
    map.set(name, spec.write(value));
  }
}

/**
 * Adds an element and returns its id. Fields equal to their default are not stored (a stroke is
 * then six map entries instead of thirteen, which is what a board of 50,000 strokes loads);
 * readers fill them in. Changing a default is therefore a schema migration that writes the old
 * default into elements that lack the field.
 *
 * @example
 * const id = addElement(doc, { kind: 'rectangle', x: 10, y: 10, width: 200, height: 100 });
 */
export function addElement<K extends ElementKind>(
  doc: Y.Doc,
  init: ElementInit<K>,
  origin?: unknown,
): ElementId {
  const id = init.id ?? newElementId();
  const map: ElementMap = new Y.Map();
  doc.transact(() => {
    map.set(KIND_KEY, init.kind);
    writeNewFields(map, init.kind, init);
    elementsMap(doc).set(id, map);
  }, origin);
  return id;
}

/**
 * Changes some fields of an element of kind `kind`. Only the named fields are written, so
 * concurrent edits of other fields by other people are kept. Returns false when the element is
 * gone or of another kind.
 */
export function updateElement<K extends ElementKind>(
  doc: Y.Doc,
  id: ElementId,
  kind: K,
  patch: Partial<ElementFields<K>>,
  origin?: unknown,
): boolean {
  const map = elementsMap(doc).get(id);
  if (!(map instanceof Y.Map) || map.get(KIND_KEY) !== kind) return false;
  doc.transact(() => patchFields(map, kind, patch), origin);
  return true;
}

/** Sets one field that every kind has (position, style, order...). Returns false when the element is gone. */
export function setElementField<F extends CommonFieldName>(
  doc: Y.Doc,
  id: ElementId,
  field: F,
  value: CommonFields[F],
  origin?: unknown,
): boolean {
  const map = elementsMap(doc).get(id);
  const kind = map?.get(KIND_KEY);
  if (!(map instanceof Y.Map) || !isElementKind(kind)) return false;
  doc.transact(() => patchFields(map, kind, { [field]: value }), origin);
  return true;
}

/** The live Y.Text of a text or sticky element, for editors that bind to it directly. */
export function elementText(doc: Y.Doc, id: ElementId): Y.Text | null {
  const text = elementsMap(doc).get(id)?.get('text');
  return text instanceof Y.Text ? text : null;
}

/** Rewrites `text` to hold `value`, touching only the changed middle so concurrent typing merges. */
export function replaceText(text: Y.Text, value: string): void {
  const current = text.toString();
  if (current === value) return;
  let start = 0;
  const max = Math.min(current.length, value.length);
  while (start < max && current[start] === value[start]) start++;
  let end = 0;
  while (end < max - start && current[current.length - 1 - end] === value[value.length - 1 - end]) {
    end++;
  }
  const removed = current.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = value.slice(start, value.length - end);
  if (inserted.length > 0) text.insert(start, inserted);
}

/** Removes elements; ids that are already gone are ignored. */
export function deleteElements(doc: Y.Doc, ids: Iterable<ElementId>, origin?: unknown): void {
  const elements = elementsMap(doc);
  doc.transact(() => {
    for (const id of ids) elements.delete(id);
  }, origin);
}

/** Narrows an element to a kind. */
export function isKind<K extends ElementKind>(
  element: BoardElement,
  kind: K,
): element is Extract<BoardElement, { kind: K }> {
  return element.kind === kind;
}
