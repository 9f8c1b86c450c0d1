import { addElement, type ElementId, getElement, listElements } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { deleteSelection, duplicateSelection } from '../board/actions.js';
import { alignSelection, distributeSelection } from '../board/arrange.js';
import { testPointer, testToolContext } from '../testing/tool-context.js';
import { createTools } from '../tools/index.js';
import { geometryBox, rotateHandle } from '../tools/transform.js';
import { groupSelection, pickedIds, toggleLock, ungroupSelection, withNewGroups } from './groups.js';

function board() {
  const ctx = testToolContext();
  const box = (x: number, y: number, width = 40) =>
    addElement(ctx.doc, { kind: 'rectangle', x, y, width, height: 40, fill: '#a5d8ff' });
  const select = (...ids: ElementId[]) => {
    ctx.selection.clear();
    for (const id of ids) ctx.selection.add(id);
  };
  return { ctx, box, select };
}

const sorted = (ids: Iterable<ElementId>) => [...ids].sort();

describe('groups', () => {
  it('a click picks the outermost group, a double-click enters it, groups nest', () => {
    const { ctx, box, select } = board();
    const [a, b, c, d] = [box(0, 0), box(100, 0), box(200, 0), box(300, 0)];
    select(a!, b!);
    const inner = groupSelection(ctx, null)!;
    select(a!, b!, c!);
    const outer = groupSelection(ctx, null)!;
    expect(getElement(ctx.doc, a!)?.groups).toEqual([inner, outer]);
    expect(getElement(ctx.doc, c!)?.groups).toEqual([outer]);
    expect(getElement(ctx.doc, d!)?.groups).toEqual([]);

    const element = (id: ElementId) => ctx.scene.get(id)!.element;
    expect(sorted(pickedIds(ctx.scene, element(a!), null))).toEqual(sorted([a!, b!, c!]));
    expect(sorted(pickedIds(ctx.scene, element(a!), outer))).toEqual(sorted([a!, b!]));
    expect(pickedIds(ctx.scene, element(a!), inner)).toEqual([a]);
    expect(pickedIds(ctx.scene, element(c!), outer)).toEqual([c]);
    expect(pickedIds(ctx.scene, element(d!), outer)).toEqual([d]);

    // Through the select tool, as clicks: one click, then a double-click, then another.
    const tools = createTools();
    const at = (x: number, y: number) => testPointer(x, y);
    const click = (x: number, y: number) => {
      tools.select.down(at(x, y), ctx);
      tools.select.up(at(x, y), ctx);
    };
    select();
    click(20, 20);
    expect(sorted(ctx.selection)).toEqual(sorted([a!, b!, c!]));
    click(20, 20);
    expect(tools.select.entered).toBe(outer);
    expect(sorted(ctx.selection)).toEqual(sorted([a!, b!]));
    click(320, 20);
    expect(tools.select.entered).toBeNull();
    expect([...ctx.selection]).toEqual([d]);

    // Ungrouping the whole group takes the outer group away; the inner one stays.
    select(a!, b!, c!);
    ungroupSelection(ctx, null);
    expect(getElement(ctx.doc, a!)?.groups).toEqual([inner]);
    expect(getElement(ctx.doc, c!)?.groups).toEqual([]);
  });

  it('copies get groups of their own', () => {
    const { ctx, box, select } = board();
    const [a, b] = [box(0, 0), box(100, 0)];
    select(a!, b!);
    const group = groupSelection(ctx, null)!;
    duplicateSelection(ctx);
    const copies = [...ctx.selection].map((id) => getElement(ctx.doc, id)!);
    expect(copies).toHaveLength(2);
    expect(copies[0]!.groups).toEqual(copies[1]!.groups);
    expect(copies[0]!.groups[0]).not.toBe(group);
    const renamed = withNewGroups([{ groups: ['g1', 'g2'] }, { groups: ['g2'] }, {}]);
    expect(renamed[0]!.groups![1]).toBe(renamed[1]!.groups![0]);
    expect(renamed[0]!.groups).not.toContain('g1');
  });

  it('locked elements are not picked, moved, resized, erased or deleted until unlocked', () => {
    const { ctx, box, select } = board();
    const a = box(0, 0);
    select(a);
    toggleLock(ctx);
    expect(getElement(ctx.doc, a)?.locked).toBe(true);
    expect(ctx.scene.pickAt({ x: 20, y: 20 }, 2)).toBeNull();
    expect(ctx.scene.topmostAt({ x: 0, y: 20 }, 2)).toBeNull();
    deleteSelection(ctx);
    expect(listElements(ctx.doc)).toHaveLength(1);
    const tools = createTools();
    const p = (x: number, y: number) => testPointer(x, y);
    tools.eraser.down(p(0, 20), ctx);
    tools.eraser.up(p(0, 20), ctx);
    expect(listElements(ctx.doc)).toHaveLength(1);
    // Selected some other way (select all), dragging it moves nothing.
    tools.select.down(p(20, 20), ctx);
    tools.select.move(p(80, 80), ctx);
    tools.select.up(p(80, 80), ctx);
    expect(getElement(ctx.doc, a)).toMatchObject({ x: 0, y: 0 });
    // Pressed again with only locked elements selected: unlocked.
    select(a);
    toggleLock(ctx);
    expect(getElement(ctx.doc, a)?.locked).toBe(false);
    expect(ctx.scene.pickAt({ x: 20, y: 20 }, 2)?.id).toBe(a);
  });
});

describe('align and distribute', () => {
  it('lines up elements and groups as wholes, and spaces them evenly', () => {
    const { ctx, box, select } = board();
    const a = box(0, 0);
    const b = box(100, 50, 80);
    const c = box(300, 120);
    select(a, b, c);
    alignSelection(ctx, 'top');
    expect([a, b, c].map((id) => getElement(ctx.doc, id)!.y)).toEqual([0, 0, 0]);
    alignSelection(ctx, 'right');
    // Right edges meet (boxes include the outline's half width).
    const right = (id: ElementId) => ctx.scene.get(id)!.maxX;
    expect(right(a)).toBeCloseTo(right(c));
    expect(right(b)).toBeCloseTo(right(c));

    const d = box(0, 300);
    const e = box(50, 300);
    const f = box(400, 300);
    select(d, e, f);
    distributeSelection(ctx, 'horizontal');
    const left = (id: ElementId) => ctx.scene.get(id)!.minX;
    const gap1 = left(e) - ctx.scene.get(d)!.maxX;
    const gap2 = left(f) - ctx.scene.get(e)!.maxX;
    expect(gap1).toBeCloseTo(gap2);
    expect(getElement(ctx.doc, d)!.x).toBe(0);
    expect(getElement(ctx.doc, f)!.x).toBe(400);

    // A group moves as one: its members keep their places relative to each other.
    select(d, e);
    groupSelection(ctx, null);
    select(d, e, a);
    const before = getElement(ctx.doc, e)!.x - getElement(ctx.doc, d)!.x;
    alignSelection(ctx, 'left');
    expect(getElement(ctx.doc, e)!.x - getElement(ctx.doc, d)!.x).toBeCloseTo(before);
  });

  it('inside an entered group, align moves its members one by one; grouping a mixed selection goes outermost', () => {
    const { ctx, box, select } = board();
    const [a, b, c, d] = [box(0, 0), box(100, 50), box(200, 100), box(400, 0)];
    select(a!, b!, c!);
    const outer = groupSelection(ctx, null)!;
    select(a!, b!);
    alignSelection(ctx, 'top', outer);
    expect(getElement(ctx.doc, b!)!.y).toBe(getElement(ctx.doc, a!)!.y);
    // a and d: d is not in the entered group, so the new group is outermost for both.
    select(a!, d!);
    const mixed = groupSelection(ctx, outer)!;
    expect(getElement(ctx.doc, a!)!.groups).toEqual([outer, mixed]);
    expect(getElement(ctx.doc, d!)!.groups).toEqual([mixed]);
  });

  it('the rotate handle turns the one unlocked element, never a locked one', () => {
    const { ctx, box, select } = board();
    const locked = box(0, 0);
    const free = box(200, 0);
    select(locked);
    toggleLock(ctx);
    select(locked, free);
    const tools = createTools();
    const handle = rotateHandle(geometryBox(getElement(ctx.doc, free)!), 1, 0);
    tools.select.down(testPointer(handle.x, handle.y), ctx);
    tools.select.move(testPointer(handle.x + 80, handle.y + 80), ctx);
    tools.select.up(testPointer(handle.x + 80, handle.y + 80), ctx);
    expect(getElement(ctx.doc, locked)!.rotation).toBe(0);
    expect(getElement(ctx.doc, free)!.rotation).not.toBe(0);
  });
});
