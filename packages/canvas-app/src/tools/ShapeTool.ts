import {
  addElement,
  type Binding,
  type Bounds,
  bindingAt,
  boxFrom,
  type ElementId,
  type Point,
  pointsFrom,
} from '@inkroom/shared';
import type { SceneEntry } from '../scene/SceneIndex.js';
import { bindTargetFor, paintBindTargets } from './bind-target.js';
import { topKey } from './order.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

type ShapeKind = 'rectangle' | 'ellipse' | 'line' | 'arrow';

/**
 * Rectangles, ellipses, lines and arrows: press, drag, release. Shift keeps squares and circles
 * square, and snaps lines to 15°. A click without a drag makes nothing. A line's or arrow's end
 * that starts or ends on a shape, note or text binds to it (the shape is outlined meanwhile);
 * Ctrl/Cmd places it free.
 */
export class ShapeTool implements Tool {
  readonly cursor = 'crosshair';
  private start: Point | null = null;
  private end: Point | null = null;
  /** What each end would bind to, shown while drawing. */
  private targets: [SceneEntry | null, SceneEntry | null] = [null, null];

  constructor(readonly id: ShapeKind) {}

  down(pointer: BoardPointer, ctx: ToolContext): void {
    this.start = pointer.board;
    this.end = pointer.board;
    this.targets = [this.targetAt(pointer.board, pointer, ctx), null];
    ctx.requestOverlay();
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    if (!this.start) return;
    this.end = this.constrain(pointer.board, pointer.shiftKey);
    this.targets[1] = this.targetAt(this.end, pointer, ctx, this.targets[0]?.id);
    if (pointer.modKey) this.targets[0] = null;
    ctx.requestOverlay();
  }

  /** The shape an end at `p` binds to; none for shapes, or with Ctrl/Cmd held. */
  private targetAt(p: Point, pointer: BoardPointer, ctx: ToolContext, other?: ElementId): SceneEntry | null {
    if (this.id !== 'line' && this.id !== 'arrow') return null;
    return bindTargetFor(ctx, p, pointer.modKey, [other]);
  }

  up(pointer: BoardPointer, ctx: ToolContext): void {
    if (!this.start) return;
    const start = this.start;
    const end = this.constrain(pointer.board, pointer.shiftKey);
    const startTarget = pointer.modKey ? null : this.targets[0];
    const endTarget = this.targetAt(end, pointer, ctx, startTarget?.id);
    this.start = null;
    this.end = null;
    this.targets = [null, null];
    ctx.requestOverlay();
    if (Math.hypot(end.x - start.x, end.y - start.y) * ctx.viewport.zoom < 3) return;
    const style = {
      strokeColor: ctx.style.strokeColor,
      strokeWidth: ctx.style.strokeWidth,
      opacity: ctx.style.opacity,
      author: ctx.author,
      z: topKey(ctx),
    };
    if (this.id === 'line' || this.id === 'arrow') {
      const points = pointsFrom([
        [0, 0],
        [end.x - start.x, end.y - start.y],
      ]);
      const bind = (target: SceneEntry | null, at: Point): Binding | null =>
        target ? bindingAt(target.element, at) : null;
      addElement(
        ctx.doc,
        {
          kind: this.id,
          x: start.x,
          y: start.y,
          points,
          startBinding: bind(startTarget, start),
          endBinding: bind(endTarget, end),
          ...style,
        },
        ctx.origin,
      );
      return;
    }
    const box = boxFrom(start, end);
    addElement(
      ctx.doc,
      {
        kind: this.id,
        x: box.minX,
        y: box.minY,
        width: box.maxX - box.minX,
        height: box.maxY - box.minY,
        fill: ctx.style.fill,
        ...style,
      },
      ctx.origin,
    );
  }

  cancel(ctx: ToolContext): void {
    this.start = null;
    this.end = null;
    this.targets = [null, null];
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    if (!this.start || !this.end) return;
    paintBindTargets(canvas, this.targets, ctx.viewport.zoom);
    canvas.strokeStyle = ctx.style.strokeColor;
    canvas.lineWidth = ctx.style.strokeWidth;
    canvas.globalAlpha = ctx.style.opacity;
    canvas.lineCap = 'round';
    const { x: x0, y: y0 } = this.start;
    const { x: x1, y: y1 } = this.end;
    if (this.id === 'line' || this.id === 'arrow') {
      canvas.beginPath();
      canvas.moveTo(x0, y0);
      canvas.lineTo(x1, y1);
      canvas.stroke();
      return;
    }
    const box: Bounds = boxFrom(this.start, this.end);
    canvas.beginPath();
    if (this.id === 'ellipse') {
      const rx = (box.maxX - box.minX) / 2;
      const ry = (box.maxY - box.minY) / 2;
      canvas.ellipse(box.minX + rx, box.minY + ry, rx, ry, 0, 0, Math.PI * 2);
    } else {
      canvas.rect(box.minX, box.minY, box.maxX - box.minX, box.maxY - box.minY);
    }
    if (ctx.style.fill !== 'none') {
      canvas.fillStyle = ctx.style.fill;
      canvas.fill();
    }
    canvas.stroke();
  }

  private constrain(p: Point, shift: boolean): Point {
    if (!shift || !this.start) return p;
    const dx = p.x - this.start.x;
    const dy = p.y - this.start.y;
    if (this.id === 'line' || this.id === 'arrow') {
      const step = Math.PI / 12;
      const angle = Math.round(Math.atan2(dy, dx) / step) * step;
      const length = Math.hypot(dx, dy);
      return { x: this.start.x + Math.cos(angle) * length, y: this.start.y + Math.sin(angle) * length };
    }
    const side = Math.max(Math.abs(dx), Math.abs(dy));
    return { x: this.start.x + Math.sign(dx || 1) * side, y: this.start.y + Math.sign(dy || 1) * side };
  }
}
