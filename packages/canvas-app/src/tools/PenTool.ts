import {
  addElement,
  DEFAULT_POINT_PRECISION,
  freehandOptions,
  pointsFrom,
  traceOutline,
} from '@inkroom/shared';
import { getStroke } from 'perfect-freehand';
import { topKey } from './order.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

/**
 * Freehand ink (pen or highlighter). States: idle -> drawing (pointer down) -> idle (pointer up
 * commits one stroke element). While drawing, the stroke lives only on the overlay and in
 * awareness; the document gets it once, whole, on pointer up.
 */
export class PenTool implements Tool {
  readonly cursor = 'crosshair';
  private points: number[] = [];
  private hasPressure = false;
  private drawing = false;

  constructor(readonly id: 'pen' | 'highlighter') {}

  private get brush(): 'pen' | 'highlighter' {
    return this.id;
  }

  down(pointer: BoardPointer, ctx: ToolContext): void {
    this.drawing = true;
    this.points = [];
    this.hasPressure = pointer.pointerType === 'pen';
    this.add(pointer, ctx);
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    if (this.drawing) this.add(pointer, ctx);
  }

  up(pointer: BoardPointer, ctx: ToolContext): void {
    if (!this.drawing) return;
    this.add(pointer, ctx);
    this.drawing = false;
    this.commit(ctx);
    this.points = [];
    ctx.shareLiveStroke(null);
    ctx.requestOverlay();
  }

  cancel(ctx: ToolContext): void {
    this.drawing = false;
    this.points = [];
    ctx.shareLiveStroke(null);
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    if (this.points.length === 0) return;
    canvas.globalAlpha = ctx.style.opacity;
    paintLiveStroke(
      canvas,
      {
        brush: this.brush,
        color: ctx.style.strokeColor,
        width: ctx.style.strokeWidth,
        points: this.points,
      },
      this.hasPressure,
    );
  }

  private add(pointer: BoardPointer, ctx: ToolContext): void {
    const n = this.points.length;
    // Skip samples that land on the previous one (no new ink, only bytes).
    if (n >= 3 && this.points[n - 3] === pointer.board.x && this.points[n - 2] === pointer.board.y) return;
    this.points.push(pointer.board.x, pointer.board.y, this.hasPressure ? pointer.pressure : 0.5);
    ctx.shareLiveStroke({
      brush: this.brush,
      color: ctx.style.strokeColor,
      width: ctx.style.strokeWidth,
      points: this.points,
    });
    ctx.requestOverlay();
  }

  private commit(ctx: ToolContext): void {
    const tuples: [number, number, number?][] = [];
    let minX = Infinity;
    let minY = Infinity;
    for (let i = 0; i < this.points.length; i += 3) {
      minX = Math.min(minX, this.points[i]!);
      minY = Math.min(minY, this.points[i + 1]!);
    }
    for (let i = 0; i < this.points.length; i += 3) {
      const x = this.points[i]! - minX;
      const y = this.points[i + 1]! - minY;
      tuples.push(this.hasPressure ? [x, y, this.points[i + 2]!] : [x, y]);
    }
    if (tuples.length === 0) return;
    // Zoomed in, keep finer coordinates so the stroke stays smooth at the zoom it was drawn at.
    const precision = Math.min(
      8,
      DEFAULT_POINT_PRECISION + Math.max(0, Math.ceil(Math.log2(ctx.viewport.zoom))),
    );
    const points = pointsFrom(tuples, precision);
    addElement(
      ctx.doc,
      {
        kind: 'stroke',
        x: minX,
        y: minY,
        points,
        brush: this.brush,
        strokeColor: ctx.style.strokeColor,
        strokeWidth: ctx.style.strokeWidth,
        opacity: ctx.style.opacity,
        author: ctx.author,
        z: topKey(ctx),
      },
      ctx.origin,
    );
  }
}

/** Draws a stroke in progress (ours or someone else's) on the overlay. */
export function paintLiveStroke(
  canvas: CanvasRenderingContext2D,
  stroke: { brush: 'pen' | 'highlighter'; color: string; width: number; points: number[] },
  hasPressure: boolean,
): void {
  const input: number[][] = [];
  for (let i = 0; i + 2 < stroke.points.length; i += 3)
    input.push([stroke.points[i]!, stroke.points[i + 1]!, stroke.points[i + 2]!]);
  const outline = getStroke(input, freehandOptions(stroke.brush, stroke.width, hasPressure));
  canvas.globalAlpha *= stroke.brush === 'highlighter' ? 0.4 : 1;
  canvas.fillStyle = stroke.color;
  canvas.fill(traceOutline(outline, new Path2D()));
}
