import type { Point } from '@inkroom/shared';
import { makeFrame } from '../model/frames.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

const boxFrom = (a: Point, b: Point) => ({
  x: Math.min(a.x, b.x),
  y: Math.min(a.y, b.y),
  width: Math.abs(a.x - b.x),
  height: Math.abs(a.y - b.y),
});

/**
 * Frames (F): press, drag, release draws a named area, last in the frames' order, and what lies
 * inside it joins it. A frame is a slide: the frames panel lists them in order and presents them.
 */
export class FrameTool implements Tool {
  readonly id = 'frame';
  readonly cursor = 'crosshair';
  private start: Point | null = null;
  private end: Point | null = null;

  down(pointer: BoardPointer, ctx: ToolContext): void {
    this.start = pointer.board;
    this.end = pointer.board;
    ctx.requestOverlay();
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    if (!this.start) return;
    this.end = pointer.board;
    ctx.requestOverlay();
  }

  up(pointer: BoardPointer, ctx: ToolContext): void {
    const start = this.start;
    this.cancel(ctx);
    if (!start || Math.hypot(pointer.board.x - start.x, pointer.board.y - start.y) * ctx.viewport.zoom < 8)
      return;
    const id = makeFrame(ctx, boxFrom(start, pointer.board));
    ctx.selection.clear();
    ctx.selection.add(id);
    ctx.selectionChanged();
    ctx.setTool('select');
  }

  cancel(ctx: ToolContext): void {
    this.start = null;
    this.end = null;
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    if (!this.start || !this.end) return;
    const box = boxFrom(this.start, this.end);
    canvas.strokeStyle = '#868e96';
    canvas.lineWidth = 1 / ctx.viewport.zoom;
    canvas.setLineDash([6 / ctx.viewport.zoom, 4 / ctx.viewport.zoom]);
    canvas.strokeRect(box.x, box.y, box.width, box.height);
    canvas.setLineDash([]);
  }
}
