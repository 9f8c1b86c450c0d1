import { CloseCode, ProtocolError } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UpdateSlicer } from './UpdateSlicer.js';
import { inspectUpdate, readUpdateShape } from './update-shape.js';

const NO_LIMITS = {
  maxUpdateStructs: Number.POSITIVE_INFINITY,
  maxUpdateClients: Number.POSITIVE_INFINITY,
  maxUpdateDeleteRanges: Number.POSITIVE_INFINITY,
};

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A document edited by several clients with every kind of content Yjs writes, and deletions. */
function editedDoc(seed: number): Y.Doc {
  const next = random(seed);
  const docs = [1, 2, 3].map((client) => {
    const doc = new Y.Doc();
    doc.clientID = client * 1000 + seed;
    return doc;
  });
  for (let round = 0; round < 30; round++) {
    const doc = docs[Math.floor(next() * docs.length)]!;
    const text = doc.getText('t');
    const map = doc.getMap('m');
    const array = doc.getArray<unknown>('a');
    const pick = next();
    if (pick < 0.25)
      text.insert(Math.floor(next() * (text.length + 1)), 'héllo 🌍'.slice(0, 1 + Math.floor(next() * 8)));
    else if (pick < 0.35 && text.length > 2) text.delete(Math.floor(next() * (text.length - 1)), 1);
    else if (pick < 0.45) text.format(0, Math.min(2, text.length), { bold: true });
    else if (pick < 0.55)
      map.set(`k${Math.floor(next() * 4)}`, { n: next(), s: 'x', list: [1, 'two', null] });
    else if (pick < 0.62) map.set('bin', new Uint8Array([1, 2, 3, Math.floor(next() * 255)]));
    else if (pick < 0.7) {
      const nested = new Y.Map<unknown>();
      nested.set('init', { kind: 'stroke' });
      map.set(`e${round}`, nested);
    } else if (pick < 0.8) array.insert(0, [round, `s${round}`, true]);
    else if (pick < 0.85 && array.length > 0) array.delete(0, Math.min(2, array.length));
    else if (pick < 0.9) doc.getXmlFragment('x').insert(0, [new Y.XmlElement('p'), new Y.XmlText('hi')]);
    else if (pick < 0.95) text.insertEmbed(0, { image: 'a.png' });
    else map.set('sub', new Y.Doc({ guid: `sub-${seed}-${round}` }));
    // Now and then, everyone catches up: later edits are concurrent with fewer.
    if (next() < 0.3)
      for (const other of docs) if (other !== doc) Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
  }
  const whole = new Y.Doc();
  for (const doc of docs) Y.applyUpdate(whole, Y.encodeStateAsUpdate(doc));
  return whole;
}

describe('inspectUpdate and UpdateSlicer', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}: counts what Yjs decodes, and pieces of any size integrate to the same document`, () => {
      const doc = editedDoc(seed);
      const update = Y.encodeStateAsUpdate(doc);
      const shape = inspectUpdate(update, NO_LIMITS);
      const decoded = Y.decodeUpdate(update);
      expect(shape.structs).toBe(decoded.structs.length);
      expect(shape.deleteRanges).toBe([...decoded.ds.clients.values()].reduce((n, r) => n + r.length, 0));
      for (const size of [1, 2, 7, 64]) {
        const slicer = new UpdateSlicer(shape);
        const copy = new Y.Doc();
        let pieces = 0;
        while (!slicer.done) {
          const piece = slicer.next(size);
          const pieceShape = inspectUpdate(piece, NO_LIMITS);
          expect(pieceShape.structs + pieceShape.deleteRanges).toBeLessThanOrEqual(size);
          Y.applyUpdate(copy, piece);
          pieces++;
        }
        expect(pieces).toBeGreaterThanOrEqual(Math.ceil((shape.structs + shape.deleteRanges) / size));
        expect(copy.store.pendingStructs).toBeNull();
        expect(Y.encodeStateAsUpdate(copy)).toEqual(Y.encodeStateAsUpdate(doc));
      }
    });
  }

  it('pieces follow what structs point at, not the order Yjs writes clients in: none waits for a later one', () => {
    // One person's strokes, then another's edits of them, the editor with the higher client id
    // (Yjs writes it first, so in written order its edits come before what they edit).
    const author = new Y.Doc();
    author.clientID = 1;
    const elements = author.getMap<Y.Map<unknown>>('elements');
    for (let i = 0; i < 200; i++) {
      const element = new Y.Map<unknown>();
      element.set('x', i);
      elements.set(`e${i}`, element);
    }
    const editor = new Y.Doc();
    editor.clientID = 2 ** 31;
    Y.applyUpdate(editor, Y.encodeStateAsUpdate(author));
    const edited = editor.getMap<Y.Map<unknown>>('elements');
    for (let i = 0; i < 200; i++) edited.get(`e${i}`)!.set('color', 'red');
    const update = Y.encodeStateAsUpdate(editor);
    const shape = inspectUpdate(update, NO_LIMITS);
    expect(shape.runs.map((run) => run.client)).toEqual([2 ** 31, 1]);
    const slicer = new UpdateSlicer(shape);
    const copy = new Y.Doc();
    while (!slicer.done) {
      Y.applyUpdate(copy, slicer.next(16));
      expect(copy.store.pendingStructs).toBeNull();
    }
    expect(Y.encodeStateAsUpdate(copy)).toEqual(update);
  });

  it('pieces cut by size (unitsWithin) stay near that size, whatever their structs weigh, and integrate to the whole', () => {
    for (const seed of [1, 2, 3]) {
      // Structs of very different sizes: small map entries and large binary values.
      const doc = editedDoc(seed);
      const big = doc.getMap<unknown>('big');
      for (let i = 0; i < 40; i++) big.set(`b${i}`, new Uint8Array(600 + ((i * 37) % 900)).fill(i));
      const update = Y.encodeStateAsUpdate(doc);
      const slicer = new UpdateSlicer(inspectUpdate(update, NO_LIMITS));
      const copy = new Y.Doc();
      const sizes: number[] = [];
      while (!slicer.done) {
        const piece = slicer.next(slicer.unitsWithin(2048));
        sizes.push(piece.length);
        Y.applyUpdate(copy, piece);
      }
      expect(sizes.length).toBeGreaterThan(update.length / 2048);
      // A piece is over the size by at most one struct (here under 1.5 KB) and its headers.
      expect(Math.max(...sizes)).toBeLessThan(2048 + 1600);
      expect(Y.encodeStateAsUpdate(copy)).toEqual(update);
    }
  });

  it('an update that fits in one piece is handed on as it is', () => {
    const doc = editedDoc(7);
    const update = Y.encodeStateAsUpdate(doc);
    const shape = inspectUpdate(update, NO_LIMITS);
    expect(new UpdateSlicer(shape).next(shape.structs + shape.deleteRanges)).toBe(update);
  });

  it('a large update is read in steps of a bounded size, to the same shape; a refusal comes from the step that finds it', () => {
    const doc = new Y.Doc();
    doc.transact(() => {
      const map = doc.getMap('m');
      for (let i = 0; i < 10_000; i++) map.set(`k${i}`, { x: i, label: 'x'.repeat(i % 40) });
    });
    doc.getArray('a').push(Array.from({ length: 5000 }, (_, i) => i));
    const update = Y.encodeStateAsUpdate(doc);
    const reading = readUpdateShape(update, NO_LIMITS);
    let steps = 0;
    let step = reading.next();
    for (; !step.done; step = reading.next()) steps++;
    // 10,001 structs: a pause every 2,048 at least.
    expect(steps).toBeGreaterThanOrEqual(4);
    const whole = inspectUpdate(update, NO_LIMITS);
    expect(step.value.structs).toBe(whole.structs);
    expect(step.value.weight).toBe(whole.weight);
    expect([...step.value.structStart]).toEqual([...whole.structStart]);

    const limited = readUpdateShape(update, { ...NO_LIMITS, maxUpdateStructs: 5000 });
    let before = 0;
    expect(() => {
      while (!limited.next().done) before++;
    }).toThrow(expect.objectContaining({ closeCode: CloseCode.UpdateTooCostly }));
    // Refused from the run's declared count, before its structs are read.
    expect(before).toBe(0);
    // A delete set out of order (client 7: clock 5, then clock 1) is found only after every
    // struct was read, in steps.
    const outOfOrder = new Uint8Array(update.length + 6);
    outOfOrder.set(update.subarray(0, update.length - 1));
    outOfOrder.set([1, 7, 2, 5, 1, 1, 1], update.length - 1);
    const late = readUpdateShape(outOfOrder, NO_LIMITS);
    let read = 0;
    expect(() => {
      while (!late.next().done) read++;
    }).toThrow(expect.objectContaining({ closeCode: CloseCode.UpdateTooCostly }));
    expect(read).toBe(steps);
  });

  it('refuses past each limit with 4414, and bytes that do not decode with 4422', () => {
    const doc = editedDoc(3);
    const update = Y.encodeStateAsUpdate(doc);
    const shape = inspectUpdate(update, NO_LIMITS);
    const refusal = (limits: Partial<typeof NO_LIMITS>, bytes = update) => {
      try {
        inspectUpdate(bytes, { ...NO_LIMITS, ...limits });
        return null;
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
        return (error as ProtocolError).closeCode;
      }
    };
    expect(refusal({ maxUpdateStructs: shape.weight })).toBeNull();
    expect(refusal({ maxUpdateStructs: shape.weight - 1 })).toBe(CloseCode.UpdateTooCostly);
    expect(refusal({ maxUpdateClients: 2 })).toBe(CloseCode.UpdateTooCostly);
    expect(refusal({ maxUpdateDeleteRanges: shape.deleteRanges - 1 })).toBe(CloseCode.UpdateTooCostly);
    expect(refusal({}, update.subarray(0, update.length - 1))).toBe(CloseCode.InvalidUpdate);
    expect(refusal({}, new Uint8Array([...update, 0]))).toBe(CloseCode.InvalidUpdate);
  });

  it('fuzz: mutated updates are refused with 4414 or 4422, or read in bounded time and integrate piece by piece as Yjs allows', () => {
    const seed = Number(process.env.INKROOM_SEED ?? 20261130);
    const next = random(seed);
    const limits = { maxUpdateStructs: 5000, maxUpdateClients: 50, maxUpdateDeleteRanges: 5000 };
    const bases = [1, 2, 3, 4, 5].map((s) => Y.encodeStateAsUpdate(editedDoc(s)));
    let read = 0;
    for (let round = 0; round < 3000; round++) {
      const base = bases[round % bases.length]!;
      const bytes = new Uint8Array(base);
      const mutations = 1 + Math.floor(next() * 4);
      for (let m = 0; m < mutations; m++) {
        const at = Math.floor(next() * bytes.length);
        bytes[at] = next() < 0.5 ? Math.floor(next() * 256) : bytes[at]! ^ (1 << Math.floor(next() * 8));
      }
      const cut = next() < 0.2 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      const started = performance.now();
      let shape: ReturnType<typeof inspectUpdate> | null = null;
      try {
        shape = inspectUpdate(cut, limits);
      } catch (error) {
        expect(error, `seed ${seed} round ${round}`).toBeInstanceOf(ProtocolError);
        expect([CloseCode.UpdateTooCostly, CloseCode.InvalidUpdate]).toContain(
          (error as ProtocolError).closeCode,
        );
      }
      expect(performance.now() - started, `seed ${seed} round ${round}`).toBeLessThan(50);
      if (!shape) continue;
      read++;
      // What passes is cut and applied as the server would: Yjs may still refuse a piece (4422 then).
      const doc = new Y.Doc();
      const slicer = new UpdateSlicer(shape);
      try {
        while (!slicer.done) Y.applyUpdate(doc, slicer.next(16));
      } catch {
        // refused by Yjs: the server closes the socket with 4422
      }
      doc.destroy();
    }
    expect(read).toBeGreaterThan(0);
  });
});
