import * as Y from 'yjs';

/** `doc.getMap('elements')`: one Y.Map per element, keyed by element id. */
export const ELEMENTS_KEY = 'elements';
/** `doc.getMap('meta')`: board-wide settings, among them `schemaVersion`. */
export const META_KEY = 'meta';
export const SCHEMA_VERSION_KEY = 'schemaVersion';

/** The Y.Map that stores one element's fields. */
export type ElementMap = Y.Map<unknown>;

/** The top-level map of elements. */
export function elementsMap(doc: Y.Doc): Y.Map<ElementMap> {
  return doc.getMap<ElementMap>(ELEMENTS_KEY);
}

/** The top-level map of board metadata. */
export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_KEY);
}

/**
 * The shared types a per-user Y.UndoManager tracks: everything a board edit writes.
 *
 * @example new Y.UndoManager(undoScope(doc), { trackedOrigins: new Set([origin]) })
 */
export function undoScope(doc: Y.Doc): [Y.Map<ElementMap>, Y.Map<unknown>] {
  return [elementsMap(doc), metaMap(doc)];
}

/**
 * A new, empty board document. Nothing is written to it: the schema version is stamped by
 * {@link migrateBoard} once the board has loaded, so that a fresh client never races a stored
 * board with writes of its own.
 */
export function createBoardDoc(options: { guid?: string } = {}): Y.Doc {
  const doc = new Y.Doc(options.guid === undefined ? {} : { guid: options.guid });
  elementsMap(doc);
  metaMap(doc);
  return doc;
}
