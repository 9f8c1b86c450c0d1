import {
  addElement,
  asElementId,
  BoardJSONError,
  createBoardDoc,
  type ElementId,
  elementsFromJSON,
  hasElementId,
  keysBetween,
  listElements,
} from '@inkroom/shared';
import * as Y from 'yjs';
import { AccessError } from '../auth/AccessError.js';

const ID = /^[0-9A-Za-z]{1,64}$/;

/**
 * A board file as an update to a room (`current`, its document now; null for an empty room): its
 * elements are added on top, keeping the file's ids where the room has none of them (so a room
 * exported and imported into its emptied self comes back the same), new ids otherwise. Throws an
 * AccessError (400) naming the first bad element.
 */
export function importBoardFile(current: Uint8Array | null, text: string): Uint8Array {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AccessError(400, 'the board file is not JSON');
  }
  let inits: ReturnType<typeof elementsFromJSON>;
  try {
    inits = elementsFromJSON(parsed);
  } catch (error) {
    if (error instanceof BoardJSONError) throw new AccessError(400, `the board file: ${error.message}`);
    throw error;
  }
  const fileIds = ((parsed as { elements: { id?: unknown }[] }).elements ?? []).map((element) => element.id);
  const doc = createBoardDoc();
  try {
    if (current) Y.applyUpdate(doc, current);
    const before = Y.encodeStateVector(doc);
    const top = listElements(doc).at(-1)?.z ?? null;
    const keys = keysBetween(top, null, inits.length);
    doc.transact(() => {
      inits.forEach((init, i) => {
        const id = fileIds[i];
        const keep = typeof id === 'string' && ID.test(id) && !hasElementId(doc, id);
        addElement(doc, { ...init, z: keys[i]!, ...(keep ? { id: asElementId(id) as ElementId } : {}) });
      });
    });
    return Y.encodeStateAsUpdate(doc, before);
  } finally {
    doc.destroy();
  }
}
