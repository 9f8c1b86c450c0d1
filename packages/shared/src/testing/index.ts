import * as prng from 'lib0/prng';
import type * as Y from 'yjs';
import type { ElementId } from '../ids.js';
import { isBindable } from '../schema/bindings.js';
import { ELEMENT_KINDS, hasLabel } from '../schema/element-kinds.js';
import {
  addElement,
  deleteElements,
  listElements,
  setElementField,
  updateElement,
} from '../schema/elements.js';
import { keysAt } from '../schema/order.js';
import { pointsFrom } from '../schema/points.js';

/*
 * Test support: random board edits for seeded convergence harnesses (in this package, doc to doc;
 * in the cross-package tests, through the server). Imported as `@inkroom/shared/testing`.
 */

const COLORS = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2'];

/**
 * One random edit of a board, as a person might make it: add, move, restyle, type, group, lock,
 * bind an arrow's end, label a shape, put an element in a frame, reorder or delete, chosen by `gen` (lib0's seeded generator) so that a seed replays it.
 */
export function randomEdit(gen: prng.PRNG, doc: Y.Doc): void {
  const elements = listElements(doc);
  const target = elements.length > 0 ? prng.oneOf(gen, elements) : null;
  const op = prng.uint32(gen, 0, 12);
  if (!target || op <= 2) {
    const kind = prng.oneOf(gen, [...ELEMENT_KINDS]);
    const z = keysAt(
      elements.map((e) => e.z),
      elements.length,
    )[0]!;
    const base = { x: prng.int32(gen, -500, 500), y: prng.int32(gen, -500, 500), z };
    if (kind === 'stroke' || kind === 'line' || kind === 'arrow') {
      addElement(doc, {
        kind,
        ...base,
        points: pointsFrom([
          [0, 0, 0.5],
          [prng.int32(gen, 1, 90), 7, 0.7],
        ]),
      });
    } else if (kind === 'text' || kind === 'sticky') {
      addElement(doc, { kind, ...base, text: prng.word(gen, 1, 8) });
    } else {
      addElement(doc, { kind, ...base, width: prng.uint32(gen, 1, 300), height: prng.uint32(gen, 1, 300) });
    }
    return;
  }
  switch (op) {
    case 3:
    case 4:
      setElementField(doc, target.id, 'x', target.x + prng.int32(gen, -50, 50));
      setElementField(doc, target.id, 'y', target.y + prng.int32(gen, -50, 50));
      break;
    case 5:
      setElementField(doc, target.id, 'strokeColor', prng.oneOf(gen, COLORS));
      setElementField(doc, target.id, 'strokeWidth', prng.uint32(gen, 1, 20));
      break;
    case 6:
      if (target.kind === 'text' || target.kind === 'sticky') {
        const at = prng.uint32(gen, 0, target.text.length);
        updateElement(doc, target.id, target.kind, {
          text: target.text.slice(0, at) + prng.word(gen, 1, 3) + target.text.slice(at + 1),
        });
      } else {
        setElementField(doc, target.id, 'fill', prng.bool(gen) ? 'none' : prng.oneOf(gen, COLORS));
      }
      break;
    case 7: {
      // Reorder: move the element to a random slot among the others.
      const others = elements.filter((e) => e.id !== target.id).map((e) => e.z);
      const [z] = keysAt(others, prng.uint32(gen, 0, others.length));
      setElementField(doc, target.id, 'z', z!);
      break;
    }
    case 8: {
      // Group it with another element (groups nest: the new one is outermost).
      const other = prng.oneOf(gen, elements);
      if (other.id === target.id) break;
      const group = `g${prng.uint32(gen, 0, 2 ** 30)}`;
      for (const element of [target, other])
        setElementField(doc, element.id, 'groups', [...element.groups, group].slice(-32));
      break;
    }
    case 9:
      setElementField(doc, target.id, 'locked', !target.locked);
      break;
    case 10: {
      // Bind a line's or arrow's end to a shape, or free it; type into a shape's label.
      if (target.kind === 'line' || target.kind === 'arrow') {
        const shapes = elements.filter((e) => isBindable(e));
        const end = prng.bool(gen) ? 'startBinding' : 'endBinding';
        const binding =
          shapes.length > 0 && prng.bool(gen)
            ? { element: prng.oneOf(gen, shapes).id, x: prng.real53(gen), y: prng.real53(gen) }
            : null;
        updateElement(doc, target.id, target.kind, { [end]: binding });
      } else if (hasLabel(target.kind) && 'text' in target) {
        updateElement(doc, target.id, target.kind, { text: target.text + prng.word(gen, 1, 4) });
      }
      break;
    }
    case 11: {
      // Put an element in a frame or take it out; rename a frame.
      if (target.kind === 'frame') {
        updateElement(doc, target.id, 'frame', { name: prng.word(gen, 1, 12) });
        break;
      }
      const frames = elements.filter((e) => e.kind === 'frame');
      setElementField(
        doc,
        target.id,
        'frame',
        frames.length > 0 && prng.bool(gen) ? prng.oneOf(gen, frames).id : null,
      );
      break;
    }
    default:
      deleteElements(doc, [target.id as ElementId]);
  }
}

/** An element list two boards can be compared by (points as plain arrays). */
export function comparableElements(doc: Y.Doc) {
  return listElements(doc).map((e) => ('points' in e ? { ...e, points: Array.from(e.points.xy) } : e));
}
