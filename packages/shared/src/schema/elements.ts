import * as Y from 'yjs';
import { asElementId, type ElementId, newElementId } from '../ids.js';
import { resolveBindings } from './bindings.js';
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
import { compareOrder } from './order.js';

/** What it takes to create an element: its kind, and any fields that differ from the defaults. */
export type ElementInit<K extends ElementKind> = { kind: K; id?: ElementId } & Partial<ElementFields<K>>;

/**
 * The record an element was created with: `init` holds, as one value, every field that was not at
 * its default when the element was made (text aside, which is a Y.Text of its own). Later edits
 * are map entries of their own under the field's name and win over the record; a `null` entry
 * means a migration removed the field. One record instead of one entry per field makes a stroke
 * two Yjs items instead of six, which is most of what loading a large board costs.
 */
export const INIT_KEY = 'init';

type InitRecord = Readonly<Record<string, unknown>>;

function initRecord(map: ElementMap): InitRecord | null {
  const value = map.get(INIT_KEY);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if (value instanceof Y.AbstractType || value instanceof Uint8Array) return null;
  return value as InitRecord;
}

/** The stored value of a field: the latest edit, else the creation record's. */
function storedValue(map: ElementMap, init: InitRecord | null, name: string): unknown {
  const edited = map.get(name);
  return edited !== undefined ? edited : init?.[name];
}

/** The kind of an element's map, or null when it holds none that this schema knows. */
export function elementKind(map: ElementMap): ElementKind | null {
  const kind = storedValue(map, initRecord(map), KIND_KEY);
  return isElementKind(kind) ? kind : null;
}

/**
 * An element's stored fields as one plain object (the creation record overlaid with later
 * edits), as migrations see it. Defaults that were never stored are absent.
 */
export function rawElement(map: ElementMap): Record<string, unknown> {
  const raw: Record<string, unknown> = { ...initRecord(map) };
  for (const [key, value] of map.entries()) {
    if (key === INIT_KEY) continue;
    if (value === null) delete raw[key];
    else raw[key] = value;
  }
  return raw;
}

/**
 * Makes a map's stored fields equal to `next`, writing only what differs from `raw` (its current
 * {@link rawElement}), so peers doing the same converge.
 */
export function writeRawElement(
  map: ElementMap,
  raw: Readonly<Record<string, unknown>>,
  next: Readonly<Record<string, unknown>>,
): void {
  const init = initRecord(map);
  for (const key of Object.keys(raw)) {
    if (key in next) continue;
    if (init && key in init) map.set(key, null);
    else map.delete(key);
  }
  for (const [key, value] of Object.entries(next)) if (raw[key] !== value) map.set(key, value);
}

/** Reads one element from its Y.Map; null when the map does not hold a known kind. */
export function readElement(id: ElementId, map: ElementMap): BoardElement | null {
  const init = initRecord(map);
  const kind = storedValue(map, init, KIND_KEY);
  if (!isElementKind(kind)) return null;
  const element: Record<string, unknown> = { id, kind };
  for (const [name, spec] of fieldSpecs(kind)) {
    element[name] = spec.read(storedValue(map, init, name)) ?? spec.defaultValue;
  }
  return element as BoardElement;
}

/** A frame's top-left corner (frames belong to no frame: theirs is on the board), or null. */
function framePosition(elements: Y.Map<ElementMap>, id: ElementId | null): { x: number; y: number } | null {
  if (id === null) return null;
  const map = elements.get(id);
  if (!(map instanceof Y.Map)) return null;
  const init = initRecord(map);
  if (storedValue(map, init, KIND_KEY) !== 'frame') return null;
  const specs = fieldSpecs('frame');
  const read = (name: 'x' | 'y') =>
    (specs.get(name)!.read(storedValue(map, init, name)) as number | undefined) ?? 0;
  return { x: read('x'), y: read('y') };
}

/**
 * An element in board coordinates: a frame's member is stored relative to its frame (see
 * `frame` in element-kinds.ts). A member whose frame is gone (deleted by someone while another
 * moved the member into it) reads as stored.
 */
export function resolveFrame<E extends BoardElement>(
  element: E,
  frameAt: (id: ElementId) => { x: number; y: number } | null,
): E {
  if (element.frame === null || element.kind === 'frame') return element;
  const at = frameAt(element.frame);
  return at ? { ...element, x: element.x + at.x, y: element.y + at.y } : element;
}

/**
 * A frame and its members, in the order given: what its slide shows (the frame without its name,
 * which sits outside it).
 */
export function frameContents(elements: readonly BoardElement[], frame: ElementId): BoardElement[] {
  return elements.flatMap((element) =>
    element.id === frame && element.kind === 'frame'
      ? [{ ...element, name: '' }]
      : element.frame === frame
        ? [element]
        : [],
  );
}

/** The element with this id, or null. */
/**
 * True when the board holds anything under `id`, even what this version cannot read (an element
 * of a kind added later, say): a new element must not take its place.
 */
export function hasElementId(doc: Y.Doc, id: string): boolean {
  return elementsMap(doc).has(id);
}

/** The element with this id, in board coordinates, or null. */
export function getElement(doc: Y.Doc, id: ElementId): BoardElement | null {
  const elements = elementsMap(doc);
  const map = elements.get(id);
  const element = map instanceof Y.Map ? readElement(id, map) : null;
  return element && resolveFrame(element, (frame) => framePosition(elements, frame));
}

/** Every element of the board, in board coordinates, in paint order (back to front). */
export function listElements(doc: Y.Doc): BoardElement[] {
  const out: BoardElement[] = [];
  const frames = new Map<ElementId, { x: number; y: number }>();
  elementsMap(doc).forEach((map, key) => {
    if (!(map instanceof Y.Map)) return;
    const element = readElement(asElementId(key), map);
    if (!element) return;
    out.push(element);
    if (element.kind === 'frame') frames.set(element.id, { x: element.x, y: element.y });
  });
  const frameAt = (id: ElementId) => frames.get(id) ?? null;
  return out.map((element) => resolveFrame(element, frameAt)).sort(compareOrder);
}

function checkFieldNames(kind: ElementKind, fields: Record<string, unknown>): void {
  const specs = fieldSpecs(kind);
  for (const name of Object.keys(fields)) {
    if (name !== 'kind' && name !== 'id' && !specs.has(name))
      throw new TypeError(`unknown field ${name} for ${kind}`);
  }
}

/** The order key is stored at creation even at its default, so every element has its own. */
function alwaysStored(name: string): boolean {
  return name === 'z';
}

/**
 * Writes a new element: its creation record (kind and every field not at its default, plus the
 * order key) and its text, if any, as a Y.Text of its own. The Y.Text exists from the start
 * even when empty: two people creating it later would each make their own, and one person's
 * typing would be lost.
 */
function writeNewFields(
  map: ElementMap,
  kind: ElementKind,
  fields: Record<string, unknown>,
  elements: Y.Map<ElementMap>,
): void {
  checkFieldNames(kind, fields);
  // A member is stored relative to its frame; a frame belongs to none.
  if (kind === 'frame') fields = { ...fields, frame: null };
  const at =
    kind === 'frame' ? null : framePosition(elements, (fields.frame as ElementId | undefined) ?? null);
  if (fields.frame && !at) fields = { ...fields, frame: null };
  else if (at)
    fields = {
      ...fields,
      x: ((fields.x as number | undefined) ?? 0) - at.x,
      y: ((fields.y as number | undefined) ?? 0) - at.y,
    };
  const init: Record<string, unknown> = { [KIND_KEY]: kind };
  for (const [name, spec] of fieldSpecs(kind)) {
    const value = fields[name] ?? spec.defaultValue;
    const stored = spec.write(value);
    if (spec.type === 'text') map.set(name, stored);
    else if (value !== spec.defaultValue || alwaysStored(name)) init[name] = stored;
  }
  map.set(INIT_KEY, init);
}

/**
 * A patch in board coordinates as stored: a member's position relative to its frame (the new
 * one, when the patch changes it). Frames belong to no frame.
 */
function storedPatch(
  map: ElementMap,
  kind: ElementKind,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  if (kind === 'frame') return 'frame' in fields ? { ...fields, frame: null } : fields;
  if (!('x' in fields || 'y' in fields || 'frame' in fields)) return fields;
  // A value of the wrong type goes on as it is, for the field's spec to refuse.
  if (('x' in fields && typeof fields.x !== 'number') || ('y' in fields && typeof fields.y !== 'number'))
    return fields;
  const elements = map.parent as Y.Map<ElementMap> | null;
  if (!elements) return fields;
  const init = initRecord(map);
  const specs = fieldSpecs(kind);
  const stored = (name: string) => specs.get(name)!.read(storedValue(map, init, name));
  const current = (stored('frame') as ElementId | null | undefined) ?? null;
  const was = framePosition(elements, current);
  const x = (fields.x as number | undefined) ?? ((stored('x') as number | undefined) ?? 0) + (was?.x ?? 0);
  const y = (fields.y as number | undefined) ?? ((stored('y') as number | undefined) ?? 0) + (was?.y ?? 0);
  if (!('frame' in fields)) {
    // Only what the patch names is written: a concurrent edit of the other coordinate stays.
    const out = { ...fields };
    if ('x' in fields) out.x = x - (was?.x ?? 0);
    if ('y' in fields) out.y = y - (was?.y ?? 0);
    return out;
  }
  // Joining or leaving a frame: the position is rewritten against the new frame (or the board).
  const next = (fields.frame as ElementId | null) ?? null;
  const at = framePosition(elements, next);
  return { ...fields, frame: at ? next : null, x: x - (at?.x ?? 0), y: y - (at?.y ?? 0) };
}

/** Writes only the given fields; text is edited in place so concurrent typing merges. */
function patchFields(map: ElementMap, kind: ElementKind, given: Record<string, unknown>): void {
  checkFieldNames(kind, given);
  const fields = storedPatch(map, kind, given);
  for (const [name, spec] of fieldSpecs(kind)) {
    const value = fields[name];
    if (value === undefined) continue;
    const current = spec.type === 'text' ? map.get(name) : undefined;
    if (current instanceof Y.Text) {
      if (typeof value !== 'string') spec.write(value);
      replaceText(current, value as string);
      continue;
    }
    map.set(name, spec.write(value));
  }
}

/**
 * Adds an element and returns its id. Fields equal to their default are not stored and readers
 * fill them in; the others go into one creation record (see {@link INIT_KEY}). Changing a default is therefore a schema migration that writes the old
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
    const elements = elementsMap(doc);
    writeNewFields(map, init.kind, init, elements);
    elements.set(id, map);
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
  if (!(map instanceof Y.Map) || elementKind(map) !== kind) return false;
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
  const kind = map instanceof Y.Map ? elementKind(map) : null;
  if (!map || !kind) return false;
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

/**
 * Removes elements; ids that are already gone are ignored. Lines and arrows bound to a removed
 * element keep that end where it was drawn, free.
 */
export function deleteElements(doc: Y.Doc, ids: Iterable<ElementId>, origin?: unknown): void {
  const elements = elementsMap(doc);
  const doomed = new Set(ids);
  doc.transact(() => {
    freeEndsBoundTo(doc, doomed);
    freeMembersOf(elements, doomed);
    for (const id of doomed) elements.delete(id);
  }, origin);
}

/** Members of frames among `doomed` leave them, staying where they are on the board. */
function freeMembersOf(elements: Y.Map<ElementMap>, doomed: ReadonlySet<ElementId>): void {
  elements.forEach((map, key) => {
    if (!(map instanceof Y.Map) || doomed.has(asElementId(key))) return;
    const frame = storedValue(map, initRecord(map), 'frame');
    if (typeof frame !== 'string' || !doomed.has(asElementId(frame))) return;
    const kind = elementKind(map);
    if (kind) patchFields(map, kind, { frame: null });
  });
}

/** Fixes in place, free, the ends of lines and arrows bound to any of `doomed` (in a transaction). */
function freeEndsBoundTo(doc: Y.Doc, doomed: ReadonlySet<ElementId>): void {
  const boundTo = (map: ElementMap, init: InitRecord | null, key: string) => {
    const value = storedValue(map, init, key) as { element?: unknown } | null | undefined;
    return typeof value?.element === 'string' && doomed.has(asElementId(value.element));
  };
  elementsMap(doc).forEach((map, key) => {
    if (!(map instanceof Y.Map)) return;
    const init = initRecord(map);
    const start = boundTo(map, init, 'startBinding');
    const end = boundTo(map, init, 'endBinding');
    if (!start && !end) return;
    const id = asElementId(key);
    const element = readElement(id, map);
    if (element?.kind !== 'line' && element?.kind !== 'arrow') return;
    const drawn = resolveBindings(element, (target) => getElement(doc, target) ?? undefined);
    if (drawn.kind !== element.kind) return;
    patchFields(map, element.kind, {
      points: drawn.points,
      rotation: drawn.rotation,
      ...(start ? { startBinding: null } : {}),
      ...(end ? { endBinding: null } : {}),
    });
  });
}

/** Narrows an element to a kind. */
export function isKind<K extends ElementKind>(
  element: BoardElement,
  kind: K,
): element is Extract<BoardElement, { kind: K }> {
  return element.kind === kind;
}
