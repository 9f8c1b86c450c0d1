import { deleteElements, type ElementId, inkRadius, isKind, type Point } from '@inkroom/shared';
import { pointsNear, splitStroke } from './split-stroke.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

/**
 * Scrub to erase: every element the pointer passes over disappears at once and is deleted, in
 * one transaction (one undo step), when the pointer lifts; Escape brings them back. With Alt
 * held, the eraser rubs out only the part of a freehand stroke it passes over, splitting it.
 */
export class EraserTool implements Tool {
  readonly id = 'eraser';
  readonly cursor = 'cell';
  private readonly doomed = new Set<ElementId>();
  /** Strokes being rubbed out in part, with the indices of the points that go. */
  private readonly cuts = new Map<ElementId, Set<number>>();
  private precise = false;
  private last: Point | null = null;
  private trail: Point[] = [];

  down(pointer: BoardPointer, ctx: ToolContext): void {
    this.doomed.clear();
    this.cuts.clear();
    this.precise = pointer.altKey;
    this.last = pointer.board;
    this.trail = [pointer.board];
    this.hit(pointer.board, ctx);
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    if (!this.last) return;
    // Sample the segment so a fast scrub does not skip thin strokes.
    const from = this.last;
    const to = pointer.board;
    const step = 4 / ctx.viewport.zoom;
    const steps = Math.max(1, Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) / step));
    for (let i = 1; i <= steps; i++) {
      this.hit({ x: from.x + ((to.x - from.x) * i) / steps, y: from.y + ((to.y - from.y) * i) / steps }, ctx);
    }
    this.last = to;
    this.trail.push(to);
    if (this.trail.length > 12) this.trail.shift();
    ctx.requestOverlay();
  }

  up(_pointer: BoardPointer, ctx: ToolContext): void {
    if (this.cuts.size > 0) {
      const order = ctx.scene.all();
      ctx.doc.transact(() => {
        for (const [id, removed] of this.cuts) {
          const index = order.findIndex((entry) => entry.id === id);
          const element = order[index]?.element;
          if (element && isKind(element, 'stroke'))
            splitStroke(ctx, element, removed, order[index + 1]?.element.z ?? null);
        }
      }, ctx.origin);
    }
    if (this.doomed.size > 0) deleteElements(ctx.doc, this.doomed, ctx.origin);
    this.cancel(ctx);
  }

  cancel(ctx: ToolContext): void {
    this.doomed.clear();
    this.cuts.clear();
    ctx.hide(this.doomed);
    this.last = null;
    this.trail = [];
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    if (this.trail.length > 1) {
      canvas.strokeStyle = 'rgba(120, 120, 120, 0.5)';
      canvas.lineWidth = 6 / ctx.viewport.zoom;
      canvas.lineCap = 'round';
      canvas.beginPath();
      for (const [i, p] of this.trail.entries()) {
        if (i === 0) canvas.moveTo(p.x, p.y);
        else canvas.lineTo(p.x, p.y);
      }
      canvas.stroke();
    }
  }

  private hit(p: Point, ctx: ToolContext): void {
    const radius = 6 / ctx.viewport.zoom;
    const entry = ctx.scene.topmostAt(p, radius);
    if (entry && this.precise && isKind(entry.element, 'stroke')) {
      const near = pointsNear(entry.element, p, radius + inkRadius(entry.element));
      if (near.length > 0) {
        let removed = this.cuts.get(entry.id);
        if (!removed) {
          removed = new Set();
          this.cuts.set(entry.id, removed);
        }
        for (const i of near) removed.add(i);
      }
      return;
    }
    if (entry && !this.doomed.has(entry.id)) {
      this.doomed.add(entry.id);
      // What will go leaves the scene at once; it is deleted when the pointer lifts.
      ctx.hide(this.doomed);
    }
  }
}
