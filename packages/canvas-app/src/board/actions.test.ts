import { addElement, createBoardDoc, type ElementId, getElement, listElements } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { SceneIndex } from '../scene/SceneIndex.js';
import type { ToolContext } from '../tools/Tool.js';
import { Viewport } from '../viewport/Viewport.js';
import { deleteSelection, duplicateSelection, reorderSelection, selectAll } from './actions.js';

function setup() {
  const doc = createBoardDoc();
  const scene = new SceneIndex(doc);
  scene.start();
  const ctx: ToolContext = {
    doc,
    scene,
    viewport: new Viewport(),
    origin: {},
    style: { strokeColor: '#1e1e1e', strokeWidth: 2, fill: 'none', opacity: 1 },
    author: 'Ada',
    selection: new Set<ElementId>(),
    selectionChanged: () => {},
    requestOverlay: () => {},
    editText: () => {},
    shareLiveStroke: () => {},
    hide: () => {},
    setTool: () => {},
  };
  const ids = ['a0', 'a1', 'a2', 'a3'].map((z, i) =>
    addElement(doc, { kind: 'rectangle', x: i * 10, width: 5, height: 5, z }),
  );
  return { doc, ctx, ids, order: () => listElements(doc).map((e) => e.id) };
}

describe('board actions', () => {
  it('bring forward and send backward move one step, past unselected elements only', () => {
    const { ctx, ids, order } = setup();
    ctx.selection.add(ids[1]!);
    reorderSelection(ctx, 'forward');
    expect(order()).toEqual([ids[0], ids[2], ids[1], ids[3]]);
    reorderSelection(ctx, 'forward');
    expect(order()).toEqual([ids[0], ids[2], ids[3], ids[1]]);
    reorderSelection(ctx, 'backward');
    reorderSelection(ctx, 'backward');
    reorderSelection(ctx, 'backward');
    expect(order()).toEqual([ids[1], ids[0], ids[2], ids[3]]);
  });

  it('duplicate copies on top and selects the copies; delete removes the selection', () => {
    const { doc, ctx, ids, order } = setup();
    ctx.selection.add(ids[0]!);
    duplicateSelection(ctx);
    const [copy] = [...ctx.selection];
    expect(copy).not.toBe(ids[0]);
    expect(order().at(-1)).toBe(copy);
    expect(getElement(doc, copy!)).toMatchObject({ x: 20, y: 20, width: 5 });
    selectAll(ctx);
    expect(ctx.selection.size).toBe(5);
    deleteSelection(ctx);
    expect(listElements(doc)).toHaveLength(0);
  });
});
