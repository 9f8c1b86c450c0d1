import {
  addElement,
  deleteElements,
  type ElementFields,
  type ElementId,
  type ElementKind,
  expand,
  keysAt,
  newElementId,
  rebind,
  setElementField,
  union,
} from '@inkroom/shared';
import { withNewGroups } from '../model/groups.js';
import type { DrawingStyle, ToolContext } from '../tools/Tool.js';

/**
 * Gives the selected elements a style, each the fields its kind has: a fill for shapes and
 * notes, a width for what has an outline; colour and opacity for all.
 */
export function styleSelection(ctx: ToolContext, patch: Partial<DrawingStyle>): void {
  ctx.doc.transact(() => {
    for (const id of ctx.selection) {
      const element = ctx.scene.get(id)?.element;
      if (!element || element.locked) continue;
      const { kind } = element;
      if (patch.strokeColor !== undefined)
        setElementField(ctx.doc, id, 'strokeColor', patch.strokeColor, ctx.origin);
      if (patch.opacity !== undefined) setElementField(ctx.doc, id, 'opacity', patch.opacity, ctx.origin);
      if (patch.strokeWidth !== undefined && kind !== 'text' && kind !== 'sticky')
        setElementField(ctx.doc, id, 'strokeWidth', patch.strokeWidth, ctx.origin);
      if (patch.fill !== undefined && (kind === 'rectangle' || kind === 'ellipse' || kind === 'sticky'))
        setElementField(ctx.doc, id, 'fill', patch.fill, ctx.origin);
    }
  }, ctx.origin);
}

/** Deletes the selected elements (one undo step). */
export function deleteSelection(ctx: ToolContext): void {
  // Locked elements stay (they are unlocked first).
  const doomed = [...ctx.selection].filter((id) => !ctx.scene.get(id)?.element.locked);
  if (doomed.length === 0) return;
  deleteElements(ctx.doc, doomed, ctx.origin);
  for (const id of doomed) ctx.selection.delete(id);
  ctx.selectionChanged();
}

/** Copies the selection 20 units down and right, on top, and selects the copies. */
export function duplicateSelection(ctx: ToolContext): void {
  const entries = ctx.scene.all().filter((entry) => ctx.selection.has(entry.id));
  if (entries.length === 0) return;
  const elements = withNewGroups(entries.map((entry) => entry.element));
  // Arrows copied with the shapes they are bound to stay bound to the copies.
  const ids = new Map(elements.map((element) => [element.id as string, newElementId()]));
  const top = ctx.scene.topEntry()?.element.z ?? null;
  const keys = keysAt(top ? [top] : [], top ? 1 : 0, entries.length);
  const copies: ElementId[] = [];
  ctx.doc.transact(() => {
    elements.forEach((element, i) => {
      const { id, ...fields } = rebind(element, ids);
      const init = {
        ...fields,
        id: ids.get(id)!,
        x: fields.x + 20,
        y: fields.y + 20,
        z: keys[i]!,
        author: ctx.author,
      };
      copies.push(
        addElement(ctx.doc, init as { kind: ElementKind } & Partial<ElementFields<ElementKind>>, ctx.origin),
      );
    });
  }, ctx.origin);
  ctx.selection.clear();
  for (const id of copies) ctx.selection.add(id);
  ctx.selectionChanged();
}

export function selectAll(ctx: ToolContext): void {
  ctx.selection.clear();
  for (const entry of ctx.scene.all()) ctx.selection.add(entry.id);
  ctx.selectionChanged();
}

/**
 * Moves each selected element one step up (or down) past the next unselected element it
 * overlaps order with. Only `z` is written, so concurrent reorders by others merge.
 */
export function reorderSelection(ctx: ToolContext, direction: 'forward' | 'backward'): void {
  const all = ctx.scene.all();
  const rest = all.filter((entry) => !ctx.selection.has(entry.id));
  const moving = all.filter((entry) => ctx.selection.has(entry.id));
  if (moving.length === 0 || rest.length === 0) return;
  const restKeys = rest.map((entry) => entry.element.z);
  const index = (entry: (typeof all)[number]) =>
    rest.filter((other) => other.element.z <= entry.element.z).length;
  // Where the selection goes: just above the first other element above it, or just below the
  // first other element below it.
  const target =
    direction === 'forward'
      ? Math.min(rest.length, Math.max(...moving.map(index)) + 1)
      : Math.max(0, Math.min(...moving.map(index)) - 1);
  const keys = keysAt(restKeys, target, moving.length);
  ctx.doc.transact(() => {
    moving.forEach((entry, i) => {
      setElementField(ctx.doc, entry.id, 'z', keys[i]!, ctx.origin);
    });
  }, ctx.origin);
}

/** Fits the whole board (or nothing, on an empty one) in the view. */
export function zoomToFit(ctx: ToolContext): void {
  let box = ctx.scene.bounds();
  if (!box) return;
  for (const id of ctx.selection) {
    const entry = ctx.scene.get(id);
    if (entry) box = union(box, entry);
  }
  ctx.viewport.fit(expand(box, 10));
}
