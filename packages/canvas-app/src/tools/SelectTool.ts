import { type ElementId, setElementField } from '@inkroom/shared';
import { type Bounds, boxFrom, contains, type Point, union } from '../model/bounds.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

type State =
  | { kind: 'idle' }
  | { kind: 'moving'; from: Point; origins: Map<ElementId, Point>; moved: boolean }
  | { kind: 'marquee'; from: Point; to: Point; additive: boolean; before: Set<ElementId> };

/** The box around the selected elements, or null. */
export function selectionBounds(ctx: ToolContext): Bounds | null {
  let box: Bounds | null = null;
  for (const id of ctx.selection) {
    const entry = ctx.scene.get(id);
    if (entry)
      box = box
        ? union(box, entry)
        : { minX: entry.minX, minY: entry.minY, maxX: entry.maxX, maxY: entry.maxY };
  }
  return box;
}

/**
 * Select and move. Click picks the front-most element (shift adds or removes it), dragging a
 * selected element moves the whole selection, dragging on empty board draws a marquee that
 * selects what it fully contains.
 */
export class SelectTool implements Tool {
  readonly id = 'select';
  readonly cursor = 'default';
  private state: State = { kind: 'idle' };

  down(pointer: BoardPointer, ctx: ToolContext): void {
    const hit = ctx.scene.topmostAt(pointer.board, 6 / ctx.viewport.zoom);
    if (hit) {
      if (pointer.shiftKey) {
        if (ctx.selection.has(hit.id)) ctx.selection.delete(hit.id);
        else ctx.selection.add(hit.id);
      } else if (!ctx.selection.has(hit.id)) {
        ctx.selection.clear();
        ctx.selection.add(hit.id);
      }
      ctx.selectionChanged();
      const origins = new Map<ElementId, Point>();
      for (const id of ctx.selection) {
        const entry = ctx.scene.get(id);
        if (entry) origins.set(id, { x: entry.element.x, y: entry.element.y });
      }
      this.state = { kind: 'moving', from: pointer.board, origins, moved: false };
      return;
    }
    const before = new Set(pointer.shiftKey ? ctx.selection : []);
    if (!pointer.shiftKey && ctx.selection.size > 0) {
      ctx.selection.clear();
      ctx.selectionChanged();
    }
    this.state = {
      kind: 'marquee',
      from: pointer.board,
      to: pointer.board,
      additive: pointer.shiftKey,
      before,
    };
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    const state = this.state;
    if (state.kind === 'moving') {
      const dx = pointer.board.x - state.from.x;
      const dy = pointer.board.y - state.from.y;
      if (!state.moved && Math.hypot(dx, dy) * ctx.viewport.zoom < 2) return;
      state.moved = true;
      ctx.doc.transact(() => {
        for (const [id, origin] of state.origins) {
          setElementField(ctx.doc, id, 'x', origin.x + dx, ctx.origin);
          setElementField(ctx.doc, id, 'y', origin.y + dy, ctx.origin);
        }
      }, ctx.origin);
    } else if (state.kind === 'marquee') {
      state.to = pointer.board;
      const box = boxFrom(state.from, state.to);
      ctx.selection.clear();
      for (const id of state.before) ctx.selection.add(id);
      for (const entry of ctx.scene.search(box)) if (contains(box, entry)) ctx.selection.add(entry.id);
      ctx.selectionChanged();
    }
  }

  up(_pointer: BoardPointer, ctx: ToolContext): void {
    this.state = { kind: 'idle' };
    ctx.requestOverlay();
  }

  cancel(ctx: ToolContext): void {
    this.state = { kind: 'idle' };
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    const zoom = ctx.viewport.zoom;
    canvas.lineWidth = 1 / zoom;
    canvas.strokeStyle = '#4c6ef5';
    for (const id of ctx.selection) {
      const entry = ctx.scene.get(id);
      if (entry) canvas.strokeRect(entry.minX, entry.minY, entry.maxX - entry.minX, entry.maxY - entry.minY);
    }
    const all = selectionBounds(ctx);
    if (all && ctx.selection.size > 1) {
      canvas.setLineDash([4 / zoom, 4 / zoom]);
      canvas.strokeRect(
        all.minX - 4 / zoom,
        all.minY - 4 / zoom,
        all.maxX - all.minX + 8 / zoom,
        all.maxY - all.minY + 8 / zoom,
      );
      canvas.setLineDash([]);
    }
    if (this.state.kind === 'marquee') {
      const box = boxFrom(this.state.from, this.state.to);
      canvas.fillStyle = 'rgba(76, 110, 245, 0.08)';
      canvas.fillRect(box.minX, box.minY, box.maxX - box.minX, box.maxY - box.minY);
      canvas.strokeRect(box.minX, box.minY, box.maxX - box.minX, box.maxY - box.minY);
    }
  }
}
