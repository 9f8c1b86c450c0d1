import { LaserTrail } from '../render/laser-trail.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

/**
 * The laser pointer (K): while the pointer is pressed it leaves a fading trail that everyone in
 * the room sees, carried by presence and never written to the board. States: idle -> pointing
 * (pointer down) -> idle (pointer up; the trail fades on its own).
 */
export class LaserTool implements Tool {
  readonly id = 'laser';
  readonly cursor = 'crosshair';
  readonly passive = true;
  private readonly trail = new LaserTrail();
  private pointing = false;

  down(pointer: BoardPointer, ctx: ToolContext): void {
    this.pointing = true;
    this.trail.add(pointer.board.x, pointer.board.y, performance.now(), true);
    ctx.pointLaser(pointer.board);
    ctx.requestOverlay();
  }

  move(pointer: BoardPointer, ctx: ToolContext): void {
    if (!this.pointing) return;
    this.trail.add(pointer.board.x, pointer.board.y, performance.now());
    ctx.pointLaser(pointer.board);
    ctx.requestOverlay();
  }

  up(_pointer: BoardPointer, ctx: ToolContext): void {
    this.cancel(ctx);
  }

  cancel(ctx: ToolContext): void {
    if (!this.pointing) return;
    this.pointing = false;
    this.trail.lift(performance.now());
    ctx.pointLaser(null);
  }

  paint(canvas: CanvasRenderingContext2D, ctx: ToolContext): void {
    if (this.trail.paint(canvas, 1 / ctx.viewport.zoom, performance.now())) ctx.requestOverlay();
  }
}
