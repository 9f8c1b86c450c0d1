import { addElement, getElement, listElements } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { testToolContext } from '../testing/tool-context.js';
import {
  deleteSelection,
  duplicateSelection,
  reorderSelection,
  selectAll,
  styleSelection,
} from './actions.js';

function setup() {
  const ctx = testToolContext();
  const { doc } = ctx;
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

  it('restyles the selection, each element with the fields its kind has', () => {
    const { doc, ctx, ids } = setup();
    const note = addElement(doc, { kind: 'sticky', text: 'hi' });
    const text = addElement(doc, { kind: 'text', text: 'label', strokeWidth: 2 });
    const untouched = ids[3]!;
    for (const id of [ids[0]!, note, text]) ctx.selection.add(id);
    styleSelection(ctx, { strokeColor: '#e03131', fill: '#a5d8ff', strokeWidth: 8, opacity: 0.5 });
    expect(getElement(doc, ids[0]!)).toMatchObject({
      strokeColor: '#e03131',
      fill: '#a5d8ff',
      strokeWidth: 8,
      opacity: 0.5,
    });
    expect(getElement(doc, note)).toMatchObject({ strokeColor: '#e03131', fill: '#a5d8ff', opacity: 0.5 });
    // Text has no fill, and its width is not an outline.
    expect(getElement(doc, text)).toMatchObject({ strokeColor: '#e03131', fill: 'none', strokeWidth: 2 });
    expect(getElement(doc, untouched)).toMatchObject({ strokeColor: '#1e1e1e', fill: 'none' });
  });

  it('picks a hollow shape by clicking inside it, the smallest of nested ones, ink first', () => {
    const { doc, ctx } = setup();
    const outer = addElement(doc, { kind: 'rectangle', x: 100, y: 100, width: 400, height: 400, z: 'a5' });
    const inner = addElement(doc, { kind: 'ellipse', x: 200, y: 200, width: 100, height: 100, z: 'a4' });
    expect(ctx.scene.pickAt({ x: 150, y: 150 }, 1)?.id).toBe(outer);
    expect(ctx.scene.pickAt({ x: 250, y: 250 }, 1)?.id).toBe(inner);
    // Inside the ellipse's box but outside the ellipse: the rectangle around it.
    expect(ctx.scene.pickAt({ x: 203, y: 203 }, 1)?.id).toBe(outer);
    // On an outline, whatever is inside it: that element.
    expect(ctx.scene.pickAt({ x: 100, y: 300 }, 2)?.id).toBe(outer);
    expect(ctx.scene.pickAt({ x: 50, y: 50 }, 1)).toBeNull();
    // The eraser still only touches ink.
    expect(ctx.scene.topmostAt({ x: 150, y: 150 }, 1)).toBeNull();
  });
});
