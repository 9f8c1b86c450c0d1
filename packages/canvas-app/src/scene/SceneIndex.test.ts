import {
  addElement,
  BINDING_GAP,
  createBoardDoc,
  deleteElements,
  keysBetween,
  pointsFrom,
  setElementField,
  updateElement,
} from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SceneIndex } from './SceneIndex.js';

describe('SceneIndex', () => {
  it('reports each change as records after taking it in, with removed elements as they were', () => {
    const doc = createBoardDoc();
    const note = addElement(doc, { kind: 'sticky', text: 'Plan', x: 10, y: 20 });
    const scene = new SceneIndex(doc);
    scene.start();
    const seen: { added: string[]; removed: [string, string][]; inScene: boolean[] }[] = [];
    scene.onDiff((diff, removed) =>
      seen.push({
        added: [...diff.added.keys()],
        removed: [...removed].map(([id, element]) => [id, element.kind === 'sticky' ? element.text : '']),
        // Taken in already: what was added is found, what was removed is not.
        inScene: [...diff.added.keys(), ...removed.keys()].map((id) => scene.get(id) !== undefined),
      }),
    );
    const box = addElement(doc, { kind: 'rectangle', width: 10, height: 10 });
    deleteElements(doc, [note]);
    expect(seen).toEqual([
      { added: [box], removed: [], inScene: [true] },
      { added: [], removed: [[note, 'Plan']], inScene: [false] },
    ]);
  });

  it('holds bound arrows as drawn, redrawn when their targets change, whether they arrive in bulk or alone', () => {
    const remote = createBoardDoc();
    const boxes = Array.from({ length: 600 }, (_, i) =>
      addElement(remote, { kind: 'rectangle', x: i * 100, y: 0, width: 50, height: 50 }),
    );
    const arrows = boxes.map((box, i) =>
      addElement(remote, {
        kind: 'arrow',
        x: i * 100 + 25,
        y: 200,
        points: pointsFrom([
          [0, 0],
          [0, -175],
        ]),
        endBinding: { element: box, x: 0.5, y: 0.5 },
      }),
    );
    const doc = createBoardDoc();
    const scene = new SceneIndex(doc);
    scene.start();
    const changes: Set<string>[] = [];
    scene.onChange((changed) => changes.push(new Set(changed)));
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    const endY = (id: (typeof arrows)[number]) => {
      const { element } = scene.get(id)!;
      return element.kind === 'arrow' ? element.y + element.points.xy[3]! : Number.NaN;
    };
    // Stored ending at the box's centre, drawn below its bottom edge.
    expect(endY(arrows[7]!)).toBeCloseTo(50 + BINDING_GAP, 3);
    updateElement(doc, boxes[7]!, 'rectangle', { y: -300 });
    expect(changes.at(-1)).toEqual(new Set([boxes[7], arrows[7]]));
    expect(endY(arrows[7]!)).toBeCloseTo(-250 + BINDING_GAP, 3);
    expect(scene.get(arrows[7]!)!.minY).toBeLessThan(-240);
    deleteElements(doc, [boxes[7]!]);
    expect(endY(arrows[7]!)).toBeCloseTo(-250 + BINDING_GAP, 3);
  });

  it('follows local and remote changes, in bulk and one by one', () => {
    const doc = createBoardDoc();
    const scene = new SceneIndex(doc);
    const changes: number[] = [];
    scene.onChange((changed) => changes.push(changed.size));
    scene.start();
    // A whole board arriving at once, as on the first sync of a room.
    const remote = createBoardDoc();
    for (let i = 0; i < 1200; i++)
      addElement(remote, {
        kind: 'rectangle',
        x: (i % 40) * 50,
        y: Math.floor(i / 40) * 50,
        width: 40,
        height: 40,
        fill: '#a5d8ff',
      });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    expect(scene.size).toBe(1200);
    expect(changes.at(-1)).toBe(1200);
    expect(scene.search({ minX: 0, minY: 0, maxX: 90, maxY: 90 })).toHaveLength(4);
    // Then single edits.
    const top = addElement(doc, {
      kind: 'ellipse',
      x: 10,
      y: 10,
      width: 20,
      height: 20,
      fill: '#ffc9c9',
      z: 'a1',
    });
    expect(scene.topmostAt({ x: 20, y: 20 }, 1)?.id).toBe(top);
    setElementField(doc, top, 'x', 5000);
    expect(scene.topmostAt({ x: 20, y: 20 }, 1)?.element.kind).toBe('rectangle');
    expect(scene.search({ minX: 4990, minY: 0, maxX: 5100, maxY: 100 }).map((e) => e.id)).toEqual([top]);
    const version = scene.get(top)!.version;
    updateElement(doc, top, 'ellipse', { width: 30 });
    expect(scene.get(top)!.version).toBeGreaterThan(version);
    deleteElements(doc, [top]);
    expect(scene.get(top)).toBeUndefined();
    expect(scene.size).toBe(1200);
    scene.stop();
    addElement(doc, { kind: 'ellipse' });
    expect(scene.size).toBe(1200);
  });

  it('keeps the top z key as elements come, go and reorder', () => {
    const doc = createBoardDoc();
    const scene = new SceneIndex(doc);
    scene.start();
    expect(scene.topEntry()).toBeNull();
    const ids = ['a1', 'a3', 'a2'].map((z) => addElement(doc, { kind: 'rectangle', z }));
    expect(scene.topEntry()?.id).toBe(ids[1]);
    expect(scene.topKey() > 'a3').toBe(true);
    // The top lowered below another, then deleted: the next one is found.
    setElementField(doc, ids[1]!, 'z', 'a0');
    expect(scene.topEntry()?.id).toBe(ids[2]);
    deleteElements(doc, [ids[2]!]);
    expect(scene.topEntry()?.id).toBe(ids[0]);
    // After a bulk load, as on the first sync of a big room.
    const remote = createBoardDoc();
    const keys = keysBetween('a3', null, 600);
    for (const z of keys) addElement(remote, { kind: 'ellipse', z });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    expect(scene.topEntry()?.element.z).toBe(keys.at(-1));
    expect(scene.topKey() > keys.at(-1)!).toBe(true);
    scene.stop();
  });
});
