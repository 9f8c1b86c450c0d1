import { type Bounds, type ElementId, setElementField, union } from '@inkroom/shared';
import { groupToEnter } from '../model/groups.js';
import type { ToolContext } from '../tools/Tool.js';

export type Alignment = 'left' | 'center' | 'right' | 'top' | 'middle' | 'bottom';
export type Distribution = 'horizontal' | 'vertical';

/** What moves as one: a selected group (its outermost group in the selection), or an element. */
interface Unit {
  readonly ids: ElementId[];
  box: Bounds;
}

/**
 * The selection as units, locked elements left out (they do not move). A unit is what a click
 * picks as a whole: the outermost group, or inside an entered group the level below it.
 */
function selectedUnits(ctx: ToolContext, entered: string | null): Unit[] {
  const units = new Map<string, Unit>();
  for (const id of ctx.selection) {
    const entry = ctx.scene.get(id);
    if (!entry || entry.element.locked) continue;
    const key = groupToEnter(entry.element, entered) ?? id;
    const unit = units.get(key);
    const box = { minX: entry.minX, minY: entry.minY, maxX: entry.maxX, maxY: entry.maxY };
    if (unit) {
      unit.ids.push(id);
      unit.box = union(unit.box, box);
    } else units.set(key, { ids: [id], box });
  }
  return [...units.values()];
}

function moveUnit(ctx: ToolContext, unit: Unit, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) return;
  for (const id of unit.ids) {
    const element = ctx.scene.get(id)?.element;
    if (!element) continue;
    if (dx !== 0) setElementField(ctx.doc, id, 'x', element.x + dx, ctx.origin);
    if (dy !== 0) setElementField(ctx.doc, id, 'y', element.y + dy, ctx.origin);
  }
}

type Shift = (all: Bounds, box: Bounds) => number;
const none: Shift = () => 0;
const mid = (min: number, max: number) => (min + max) / 2;

/** How far each alignment moves a box inside the selection's box, along x and along y. */
const ALIGN_SHIFT: Record<Alignment, [Shift, Shift]> = {
  left: [(all, box) => all.minX - box.minX, none],
  center: [(all, box) => mid(all.minX, all.maxX) - mid(box.minX, box.maxX), none],
  right: [(all, box) => all.maxX - box.maxX, none],
  top: [none, (all, box) => all.minY - box.minY],
  middle: [none, (all, box) => mid(all.minY, all.maxY) - mid(box.minY, box.maxY)],
  bottom: [none, (all, box) => all.maxY - box.maxY],
};

/**
 * Lines the selected elements (groups as wholes) up on the selection's left, centre or right
 * edge, or its top, middle or bottom. Only x and y are written.
 */
export function alignSelection(ctx: ToolContext, to: Alignment, entered: string | null = null): void {
  const units = selectedUnits(ctx, entered);
  if (units.length < 2) return;
  const all = units.map((unit) => unit.box).reduce((a, b) => union(a, b));
  const [dx, dy] = ALIGN_SHIFT[to];
  ctx.doc.transact(() => {
    for (const unit of units) moveUnit(ctx, unit, dx(all, unit.box), dy(all, unit.box));
  }, ctx.origin);
}

/**
 * Spaces three or more selected elements (groups as wholes) evenly between the first and the
 * last along an axis: equal gaps between their boxes, the outer two staying where they are.
 */
export function distributeSelection(
  ctx: ToolContext,
  axis: Distribution,
  entered: string | null = null,
): void {
  const units = selectedUnits(ctx, entered);
  if (units.length < 3) return;
  const [min, max] = axis === 'horizontal' ? (['minX', 'maxX'] as const) : (['minY', 'maxY'] as const);
  units.sort((a, b) => a.box[min] + a.box[max] - (b.box[min] + b.box[max]));
  const first = units[0]!.box;
  const last = units.at(-1)!.box;
  const sizes = units.reduce((sum, unit) => sum + unit.box[max] - unit.box[min], 0);
  const gap = (last[max] - first[min] - sizes) / (units.length - 1);
  let at = first[min];
  ctx.doc.transact(() => {
    for (const unit of units) {
      const shift = at - unit.box[min];
      moveUnit(ctx, unit, axis === 'horizontal' ? shift : 0, axis === 'vertical' ? shift : 0);
      at += unit.box[max] - unit.box[min] + gap;
    }
  }, ctx.origin);
}
