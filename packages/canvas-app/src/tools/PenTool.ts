import {
  addElement,
  DEFAULT_POINT_PRECISION,
  type ElementId,
  type LiveStroke,
  newElementId,
  pointsFrom,
} from '@inkroom/shared';
import { paintLiveStroke } from '../render/live-stroke.js';
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
  /** The id the stroke's element will have: others show the stroke until it arrives. */
  private element: ElementId | null = null;

  constructor(readonly id: 'pen' | 'highlighter') {}

  private get brush(): 'pen' | 'highlighter' {
    return this.id;
  }

  down(pointer: BoardPointer, ctx: ToolContext): void {
    this.drawing = true;
    this.element = newElementId();
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
    const live = this.live(ctx);
    if (this.commit(ctx) && live) ctx.shareLiveStroke(live, true);
    else ctx.shareLiveStroke(null);
    this.points = [];
    this.element = null;
    ctx.requestOverlay();
  }

  cancel(ctx: ToolContext): void {
    this.drawing = false;
    this.points = [];
    this.element = null;
    ctx.shareLiveStroke(null);
    ctx.requestOverlay();
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    const live = this.live(ctx);
    if (live) paintLiveStroke(canvas, live);
  }

  /** The stroke in progress, as it is shown here and to others. */
  private live(ctx: ToolContext): LiveStroke | null {
    if (!this.element || this.points.length === 0) return null;
    return {
      element: this.element,
      brush: this.brush,
      color: ctx.style.strokeColor,
      width: ctx.style.strokeWidth,
      opacity: ctx.style.opacity,
      pressure: this.hasPressure,
      points: this.points,
    };
  }

  private add(pointer: BoardPointer, ctx: ToolContext): void {
    const n = this.points.length;
    // Skip samples that land on the previous one (no new ink, only bytes).
    if (n >= 3 && this.points[n - 3] === pointer.board.x && this.points[n - 2] === pointer.board.y) return;
    this.points.push(pointer.board.x, pointer.board.y, this.hasPressure ? pointer.pressure : 0.5);
    ctx.shareLiveStroke(this.live(ctx));
    ctx.requestOverlay();
  }

  /** Adds the stroke to the board; false when there was nothing to add. */
  private commit(ctx: ToolContext): boolean {
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
    if (tuples.length === 0 || !this.element) return false;
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
        id: this.element,
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
    return true;
  }
}
