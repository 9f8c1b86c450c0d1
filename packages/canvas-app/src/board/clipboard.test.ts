import { addElement, getElement, listElements } from '@inkroom/shared';
import { describe, expect, it } from 'vitest';
import { testToolContext } from '../testing/tool-context.js';
import { copySelection, cutSelection, pasteText } from './clipboard.js';

const board = () =>
  testToolContext({ style: { strokeColor: '#1971c2', strokeWidth: 2, fill: 'none', opacity: 1 } });

describe('clipboard', () => {
  it('copies the selection as a versioned board file that another board pastes with new ids, as it was laid out', () => {
    const from = board();
    const a = addElement(from.doc, {
      kind: 'rectangle',
      x: 100,
      y: 100,
      width: 50,
      height: 50,
      fill: '#ffc9c9',
    });
    const b = addElement(from.doc, { kind: 'sticky', x: 200, y: 100, width: 100, height: 100, text: 'Plan' });
    addElement(from.doc, { kind: 'ellipse', x: 900, y: 900 });
    from.selection.add(a);
    from.selection.add(b);
    const text = copySelection(from)!;
    const payload = JSON.parse(text) as { type: string; version: number; elements: unknown[] };
    expect(payload.type).toBe('inkroom-board');
    expect(payload.version).toBeGreaterThanOrEqual(1);
    expect(payload.elements).toHaveLength(2);

    const to = board();
    const ids = pasteText(to, text, { x: 1000, y: 1000 });
    expect(ids).toHaveLength(2);
    expect(ids).not.toContain(a);
    expect([...to.selection]).toEqual(ids);
    const pasted = ids.map((id) => getElement(to.doc, id)!);
    const rectangle = pasted.find((element) => element.kind === 'rectangle')!;
    const sticky = pasted.find((element) => element.kind === 'sticky')!;
    expect(rectangle).toMatchObject({ fill: '#ffc9c9' });
    expect(sticky).toMatchObject({ text: 'Plan' });
    // Centred on the point, and as they sat among themselves.
    expect(sticky.x - rectangle.x).toBe(100);
    expect(sticky.y).toBe(rectangle.y);
    expect((rectangle.x + sticky.x + sticky.width) / 2).toBeCloseTo(1000, 0);
    // Pasted again into the same board: new ids again, on top.
    const again = pasteText(to, text, { x: 0, y: 0 });
    expect(listElements(to.doc)).toHaveLength(4);
    expect(listElements(to.doc).at(-1)?.id).toBe(again.at(-1));
  });

  it('cuts (copy, then delete), copies nothing without a selection, and pastes plain text as text', () => {
    const ctx = board();
    const a = addElement(ctx.doc, { kind: 'rectangle', width: 10, height: 10 });
    expect(copySelection(ctx)).toBeNull();
    ctx.selection.add(a);
    const text = cutSelection(ctx);
    expect(text).toContain('"inkroom-board"');
    expect(listElements(ctx.doc)).toHaveLength(0);

    const [id] = pasteText(ctx, 'first line\r\nsecond line', { x: 50, y: 50 });
    expect(getElement(ctx.doc, id!)).toMatchObject({
      kind: 'text',
      text: 'first line\nsecond line',
      strokeColor: '#1971c2',
    });
    // JSON that is not a board file is text too; whitespace alone is nothing.
    expect(getElement(ctx.doc, pasteText(ctx, '{"type":"other"}', { x: 0, y: 0 })[0]!)?.kind).toBe('text');
    expect(pasteText(ctx, '  \n ', { x: 0, y: 0 })).toEqual([]);
    // A board file that does not read is refused whole.
    expect(() =>
      pasteText(ctx, '{"type":"inkroom-board","version":1,"elements":[{"kind":"nope"}]}', { x: 0, y: 0 }),
    ).toThrow();
  });

  it('cuts only what it can delete (not locked elements), and copies come unlocked', () => {
    const ctx = board();
    const locked = addElement(ctx.doc, { kind: 'rectangle', width: 10, height: 10, locked: true });
    const free = addElement(ctx.doc, { kind: 'ellipse', width: 10, height: 10 });
    ctx.selection.add(locked);
    ctx.selection.add(free);
    const cut = cutSelection(ctx)!;
    expect(listElements(ctx.doc).map((e) => e.id)).toEqual([locked]);
    expect((JSON.parse(cut) as { elements: unknown[] }).elements).toHaveLength(1);
    ctx.selection.clear();
    ctx.selection.add(locked);
    const [copy] = pasteText(ctx, copySelection(ctx)!, { x: 0, y: 0 });
    expect(getElement(ctx.doc, copy!)?.locked).toBe(false);
  });
});
