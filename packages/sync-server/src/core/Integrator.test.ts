import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Integrator } from './Integrator.js';
import { inspectUpdate } from './update-shape.js';

const NO_LIMITS = {
  maxUpdateStructs: Number.POSITIVE_INFINITY,
  maxUpdateClients: Number.POSITIVE_INFINITY,
  maxUpdateDeleteRanges: Number.POSITIVE_INFINITY,
};

/** An update of `items` separate inserts (one struct each), from its own client. */
function manyItems(client: number, items: number): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  const text = doc.getText('t');
  // Inserting at the front each time keeps every character a struct of its own.
  for (let i = 0; i < items; i++) text.insert(0, 'x');
  return Y.encodeStateAsUpdate(doc);
}

interface Sender {
  readonly name: string;
}

/**
 * An Integrator on a clock of its own: each piece it applies takes `pieceMs` of it, and its
 * deferred turns run when `runTurns` says. Records the sender of each piece applied.
 */
function harness(pieceMs: number) {
  let clock = 0;
  const deferred: (() => void)[] = [];
  const applied: string[] = [];
  const refused: string[] = [];
  const integrator = new Integrator<Sender>({
    sliceMs: 8,
    msPerSecond: 1_000_000,
    apply: (_piece, sender) => {
      clock += pieceMs;
      applied.push(sender.name);
      return false;
    },
    accept: () => {},
    refuse: (sender) => {
      refused.push(sender.name);
    },
    idle: () => {},
    slow: () => {},
    now: () => clock,
    defer: (task) => deferred.push(task),
  });
  return {
    integrator,
    applied,
    refused,
    /** Runs deferred turns until nothing is left, at most `limit` of them. */
    runTurns(limit = 10_000) {
      for (let i = 0; i < limit && deferred.length > 0; i++) deferred.shift()!();
    },
  };
}

describe('Integrator', () => {
  it('gives every sender a piece between two of one whose pieces use up whole turns', () => {
    // Each piece takes the whole turn (8 ms): a turn holds one piece.
    const { integrator, applied, runTurns } = harness(8);
    const large = { name: 'large' };
    const small = { name: 'small' };
    integrator.submit(inspectUpdate(manyItems(1, 2000), NO_LIMITS), large);
    integrator.submit(inspectUpdate(manyItems(2, 3), NO_LIMITS), small);
    runTurns();
    expect(applied.filter((name) => name === 'large').length).toBeGreaterThan(2);
    // The small update waited for one piece of the large, not for all of it.
    expect(applied.indexOf('small')).toBe(1);
    expect(integrator.busy).toBe(false);
  });

  it('keeps turns round-robin across several senders', () => {
    const { integrator, applied, runTurns } = harness(8);
    const senders = ['a', 'b', 'c'].map((name) => ({ name }));
    senders.forEach((sender, i) => {
      integrator.submit(inspectUpdate(manyItems(10 + i, 300), NO_LIMITS), sender);
    });
    runTurns();
    // While all three have pieces left, no one gets two pieces before the others have had one.
    const firstSix = applied.slice(0, 6);
    expect(firstSix).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('puts nothing back once cleared during a piece (the room failed)', () => {
    let integrator: Integrator<Sender> | null = null;
    let clock = 0;
    const deferred: (() => void)[] = [];
    let pieces = 0;
    integrator = new Integrator<Sender>({
      sliceMs: 8,
      msPerSecond: 1_000_000,
      apply: () => {
        clock += 8;
        pieces++;
        integrator!.clear();
        return false;
      },
      accept: () => {},
      refuse: () => {},
      idle: () => {},
      slow: () => {},
      now: () => clock,
      defer: (task) => deferred.push(task),
    });
    integrator.submit(inspectUpdate(manyItems(1, 2000), NO_LIMITS), { name: 'large' });
    for (let i = 0; i < 100 && deferred.length > 0; i++) deferred.shift()!();
    expect(pieces).toBe(1);
    expect(integrator.busy).toBe(false);
  });
});
