import { addElement, type ElementId, pointsFrom, setElementField } from '@inkroom/shared';
import { tabOrder } from '../a11y/spoken.js';
import { makeFrame } from '../model/frames.js';
import type { ToolContext, ToolId } from '../tools/Tool.js';

/** What the keyboard can make at the centre of the view, by tool, and how large (board units). */
const MADE_BY_KEY: Partial<Record<ToolId, { width: number; height: number }>> = {
  rectangle: { width: 160, height: 100 },
  ellipse: { width: 160, height: 100 },
  line: { width: 160, height: 0 },
  arrow: { width: 160, height: 0 },
  text: { width: 200, height: 30 },
  sticky: { width: 200, height: 200 },
  frame: { width: 640, height: 360 },
};

/**
 * Makes the active tool's element at the centre of the view, from the keyboard (Enter), and
 * selects it; a text or a note opens for typing. Returns its id, or null for a tool that makes
 * nothing this way (select, pen, eraser, laser).
 */
export function makeAtCentre(ctx: ToolContext, tool: ToolId): ElementId | null {
  const size = MADE_BY_KEY[tool];
  if (!size) return null;
  const { viewport } = ctx;
  const centre = viewport.toBoard({ x: viewport.width / 2, y: viewport.height / 2 });
  const x = Math.round(centre.x - size.width / 2);
  const y = Math.round(centre.y - size.height / 2);
  const style = {
    strokeColor: ctx.style.strokeColor,
    strokeWidth: ctx.style.strokeWidth,
    opacity: ctx.style.opacity,
    author: ctx.author,
    z: ctx.scene.topKey(),
  };
  let id: ElementId;
  if (tool === 'line' || tool === 'arrow')
    id = addElement(
      ctx.doc,
      {
        kind: tool,
        x,
        y,
        points: pointsFrom([
          [0, 0],
          [size.width, 0],
        ]),
        ...style,
      },
      ctx.origin,
    );
  else if (tool === 'text' || tool === 'sticky')
    id = addElement(
      ctx.doc,
      { kind: tool, x, y, width: size.width, height: size.height, author: ctx.author, z: style.z },
      ctx.origin,
    );
  else if (tool === 'frame') id = makeFrame(ctx, { x, y, width: size.width, height: size.height });
  else if (tool === 'rectangle' || tool === 'ellipse')
    id = addElement(
      ctx.doc,
      { kind: tool, x, y, width: size.width, height: size.height, fill: ctx.style.fill, ...style },
      ctx.origin,
    );
  else return null;
  ctx.selection.clear();
  ctx.selection.add(id);
  ctx.selectionChanged();
  if (tool === 'text' || tool === 'sticky') ctx.editText(id);
  return id;
}

/** Moves the selection by (dx, dy) board units (locked elements stay), as one step. */
export function nudgeSelection(ctx: ToolContext, dx: number, dy: number): void {
  const moving = [...ctx.selection].flatMap((id) => {
    const entry = ctx.scene.get(id);
    return entry && !entry.element.locked ? [entry] : [];
  });
  // A frame's members move with it.
  const ids = new Set(moving.map((entry) => entry.id));
  ctx.doc.transact(() => {
    for (const { id, element } of moving) {
      if (element.frame && ids.has(element.frame)) continue;
      setElementField(ctx.doc, id, 'x', element.x + dx, ctx.origin);
      setElementField(ctx.doc, id, 'y', element.y + dy, ctx.origin);
    }
  }, ctx.origin);
}

/**
 * Selects the next (or, backwards, the previous) element in reading order after the selection,
 * and brings it into view; false when the board is empty.
 */
export function selectNext(ctx: ToolContext, backwards: boolean): boolean {
  const order = tabOrder(ctx.scene);
  if (order.length === 0) return false;
  const current = order.findIndex((entry) => ctx.selection.has(entry.id));
  const next =
    current < 0
      ? backwards
        ? order.length - 1
        : 0
      : (current + (backwards ? order.length - 1 : 1)) % order.length;
  selectElement(ctx, order[next]!.id);
  return true;
}

/** Selects one element, alone, and brings it into view when it is not wholly in it. */
export function selectElement(ctx: ToolContext, id: ElementId): void {
  const entry = ctx.scene.get(id);
  if (!entry) return;
  ctx.selection.clear();
  ctx.selection.add(id);
  ctx.selectionChanged();
  const view = ctx.viewport.visibleBounds();
  const inView =
    entry.minX >= view.minX && entry.maxX <= view.maxX && entry.minY >= view.minY && entry.maxY <= view.maxY;
  if (!inView)
    ctx.viewport.centerOn(
      { x: (entry.minX + entry.maxX) / 2, y: (entry.minY + entry.maxY) / 2 },
      ctx.viewport.zoom,
    );
}
