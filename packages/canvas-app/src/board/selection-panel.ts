import { groupSelection, toggleLock, ungroupSelection } from '../model/groups.js';
import type { DrawingStyle, ToolContext, ToolId } from '../tools/Tool.js';
import { type Alignment, alignSelection, type Distribution, distributeSelection } from './arrange.js';
import type { ArrangeAction, ArrangeState } from './chrome.js';

/**
 * What the style panel shows: the style of new elements for a drawing tool, the selection's with
 * the select tool (its first element's), or nothing when neither has properties.
 */
export function panelStyle(
  tool: ToolId,
  drawingStyle: DrawingStyle,
  ctx: ToolContext | null,
): DrawingStyle | null {
  // Tools that draw nothing with a style: no panel.
  if (tool === 'eraser' || tool === 'laser' || tool === 'frame') return null;
  if (tool !== 'select') return drawingStyle;
  for (const id of ctx?.selection ?? []) {
    const element = ctx?.scene.get(id)?.element;
    if (element) {
      const { strokeColor, strokeWidth, fill, opacity } = element;
      return { strokeColor, strokeWidth, fill, opacity };
    }
  }
  return null;
}

/** The selection as the panel's arrange row sees it (select tool only). */
export function arrangeState(tool: ToolId, ctx: ToolContext | null): ArrangeState | null {
  if (tool !== 'select' || !ctx || ctx.selection.size === 0) return null;
  let grouped = false;
  let locked = true;
  for (const id of ctx.selection) {
    const element = ctx.scene.get(id)?.element;
    if (!element) continue;
    grouped ||= element.groups.length > 0;
    locked &&= element.locked;
  }
  return { count: ctx.selection.size, grouped, locked };
}

/** Aligns, distributes, groups, ungroups, locks or unlocks the selection (`entered`: the group the select tool is in). */
export function arrangeSelection(ctx: ToolContext, action: ArrangeAction, entered: string | null): void {
  if (action === 'group') groupSelection(ctx, entered);
  else if (action === 'ungroup') ungroupSelection(ctx, entered);
  else if (action === 'lock') toggleLock(ctx);
  else if (action.startsWith('align-')) alignSelection(ctx, action.slice(6) as Alignment, entered);
  else distributeSelection(ctx, action.slice(11) as Distribution, entered);
}
