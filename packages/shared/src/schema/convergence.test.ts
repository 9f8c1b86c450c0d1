import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ElementId } from '../ids.js';
import { createBoardDoc } from './board-doc.js';
import { ELEMENT_KINDS } from './element-kinds.js';
import { addElement, deleteElements, listElements, setElementField, updateElement } from './elements.js';
import { keysAt } from './order.js';
import { pointsFrom } from './points.js';

/*
 * Seeded random convergence: several peers make random concurrent edits (adds, moves,
 * restyles, text edits, deletes, reorders) while updates are delivered in random order, with
 * random delays and duplicates. Once everything is delivered, every peer must hold the same board.
 * Reproduce a failure with INKROOM_SEED=<seed>.
 */

interface Peer {
  doc: Y.Doc;
}

const COLORS = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2'];

function randomEdit(gen: prng.PRNG, peer: Peer): void {
  const { doc } = peer;
  const elements = listElements(doc);
  const target = elements.length > 0 ? prng.oneOf(gen, elements) : null;
  const op = prng.uint32(gen, 0, 9);
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
    default:
      deleteElements(doc, [target.id as ElementId]);
  }
}

function comparable(doc: Y.Doc) {
  return listElements(doc).map((e) => ('points' in e ? { ...e, points: Array.from(e.points.xy) } : e));
}

function runScenario(seed: number, peerCount: number, steps: number): void {
  const gen = prng.create(seed);
  const peers: Peer[] = [];
  for (let i = 0; i < peerCount; i++) {
    peers.push({ doc: createBoardDoc() });
  }
  // Each update a peer makes is queued for every other peer, to arrive in any order.
  const pending: { to: Peer; update: Uint8Array }[] = [];
  for (const from of peers) {
    from.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      for (const to of peers) if (to !== from) pending.push({ to, update });
    });
  }
  const deliver = (index: number) => {
    const [message] = pending.splice(index, 1);
    Y.applyUpdate(message!.to.doc, message!.update, 'remote');
  };
  for (let step = 0; step < steps; step++) {
    if (pending.length > 0 && prng.bool(gen)) {
      const index = prng.uint32(gen, 0, pending.length - 1);
      // Sometimes deliver a duplicate: the network may repeat itself.
      if (prng.uint32(gen, 0, 9) === 0) {
        const copy = pending[index]!;
        Y.applyUpdate(copy.to.doc, copy.update, 'remote');
      }
      deliver(index);
    } else {
      randomEdit(gen, prng.oneOf(gen, peers));
    }
  }
  while (pending.length > 0) deliver(prng.uint32(gen, 0, pending.length - 1));
  const expected = comparable(peers[0]!.doc);
  for (const peer of peers.slice(1)) expect(comparable(peer.doc)).toEqual(expected);
  const ids = expected.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
}

describe('convergence under random concurrent edits', () => {
  const fixed = process.env.INKROOM_SEED;
  const seeds = fixed
    ? [Number(fixed)]
    : Array.from({ length: 30 }, () => Math.floor(Math.random() * 2 ** 31));
  it(`converges for ${seeds.length} random seeds`, () => {
    for (const seed of seeds) {
      try {
        runScenario(seed, 2 + (seed % 4), 400);
      } catch (error) {
        console.error(`convergence failed; reproduce with INKROOM_SEED=${seed}`);
        throw error;
      }
    }
  });
});
