import { type BoardElement, type ElementId, randomId, setElementField } from '@inkroom/shared';
import type { SceneIndex } from '../scene/SceneIndex.js';
import type { ToolContext } from '../tools/Tool.js';

/**
 * Groups and locks. An element's `groups` lists the groups it belongs to, innermost first, so
 * groups nest: a click picks the outermost group, a double-click enters it and picks the next
 * level. Membership is a field of each element, so grouping is one write per element and
 * concurrent edits of different elements merge.
 */

/**
 * The ids a click on `element` selects: its outermost group, or, inside an entered group
 * (`entered`), the next group level in it, or the element itself at the innermost level.
 */
export function pickedIds(scene: SceneIndex, element: BoardElement, entered: string | null): ElementId[] {
  const { groups } = element;
  const at = entered === null ? -1 : groups.indexOf(entered);
  // Outside any entered group: the outermost one; inside: the level below the entered one.
  const level = at < 0 ? groups.length - 1 : at - 1;
  if (level < 0) return [element.id];
  return [...scene.groupMembers(groups[level]!)].filter((id) => !scene.get(id)?.element.locked);
}

/**
 * The group a double-click on `element` enters: the one currently picked as a whole (the level
 * below `entered`, or the outermost), so the next click picks inside it. Null: nothing to enter.
 */
export function groupToEnter(element: BoardElement, entered: string | null): string | null {
  const { groups } = element;
  const at = entered === null ? -1 : groups.indexOf(entered);
  const level = at < 0 ? groups.length - 1 : at - 1;
  return level >= 0 ? groups[level]! : null;
}

/**
 * Groups the selection (two or more elements) into a new group, inside the entered group if the
 * selection is in one. One write per element.
 */
export function groupSelection(ctx: ToolContext, entered: string | null): string | null {
  const elements = selected(ctx).filter((element) => !element.locked);
  if (elements.length < 2) return null;
  // Inside the entered group only when everything grouped is in it; otherwise outermost.
  const inside = entered !== null && elements.every((element) => element.groups.includes(entered));
  const within = inside ? entered : null;
  const id = randomId(12);
  ctx.doc.transact(() => {
    for (const element of elements) {
      const groups = [...element.groups];
      const at = within === null ? -1 : groups.indexOf(within);
      // The new group sits just inside the entered one, or outermost.
      groups.splice(at < 0 ? groups.length : at, 0, id);
      setElementField(ctx.doc, element.id, 'groups', groups, ctx.origin);
    }
  }, ctx.origin);
  return id;
}

/**
 * Ungroups: each selected element leaves the group that was picked as a whole (its outermost,
 * or the level below the entered group). Nested groups inside stay.
 */
export function ungroupSelection(ctx: ToolContext, entered: string | null): void {
  ctx.doc.transact(() => {
    for (const element of selected(ctx)) {
      if (element.locked) continue;
      const leaving = groupToEnter(element, entered);
      if (leaving === null) continue;
      setElementField(
        ctx.doc,
        element.id,
        'groups',
        element.groups.filter((group) => group !== leaving),
        ctx.origin,
      );
    }
  }, ctx.origin);
}

/** Locks the selection, or unlocks it when every selected element is already locked. */
export function toggleLock(ctx: ToolContext): void {
  const elements = selected(ctx);
  if (elements.length === 0) return;
  const locked = !elements.every((element) => element.locked);
  ctx.doc.transact(() => {
    for (const element of elements)
      if (element.locked !== locked) setElementField(ctx.doc, element.id, 'locked', locked, ctx.origin);
  }, ctx.origin);
  ctx.selectionChanged();
}

function selected(ctx: ToolContext): BoardElement[] {
  const out: BoardElement[] = [];
  for (const id of ctx.selection) {
    const element = ctx.scene.get(id)?.element;
    if (element) out.push(element);
  }
  return out;
}

/**
 * Copies of elements (a paste, a duplicate) get groups of their own: each group id they carry
 * is replaced by a new one, the same new one wherever it occurs, so copies stay grouped among
 * themselves and apart from the originals. Copies are unlocked.
 */
export function withNewGroups<T extends { groups?: readonly string[]; locked?: boolean }>(
  elements: readonly T[],
): T[] {
  const renamed = new Map<string, string>();
  const rename = (group: string) => {
    let next = renamed.get(group);
    if (!next) {
      next = randomId(12);
      renamed.set(group, next);
    }
    return next;
  };
  // Copies come unlocked: they are made to be placed.
  return elements.map((element) => ({
    ...element,
    ...(element.groups && element.groups.length > 0 ? { groups: element.groups.map(rename) } : {}),
    ...(element.locked ? { locked: false } : {}),
  }));
}
