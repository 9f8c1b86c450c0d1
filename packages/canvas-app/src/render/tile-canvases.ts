/** A tile's side, in device pixels. */
export const TILE = 256;

/** Blank tile canvases kept for reuse. */
const MAX_FREE = 8;

/** A tile's canvas and its context, set to board units. */
export interface TileCanvas {
  readonly canvas: OffscreenCanvas;
  readonly ctx: OffscreenCanvasRenderingContext2D;
}

/**
 * The canvases tiles are painted on, reused: handing a tile's bitmap over
 * (transferToImageBitmap) leaves its canvas blank for the next tile, so a canvas and its context
 * (a few ms each) are made only when none is free.
 */
export class TileCanvases {
  private readonly free: TileCanvas[] = [];

  /** A clear canvas for tile (i, j) at `scale` device pixels a board unit. */
  blank(scale: number, i: number, j: number): TileCanvas {
    let free = this.free.pop();
    if (!free) {
      const canvas = new OffscreenCanvas(TILE, TILE);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2D context for a scene tile');
      free = { canvas, ctx };
    }
    // Blank: new, or its last bitmap handed over (elements restore the state they change).
    free.ctx.setTransform(scale, 0, 0, scale, -i * TILE, -j * TILE);
    return free;
  }

  /** A canvas for tile (i, j) holding `pixels` (its last bitmap, if any), to paint more over them. */
  over(scale: number, i: number, j: number, pixels: ImageBitmap | null): TileCanvas {
    const target = this.blank(scale, i, j);
    if (pixels) {
      target.ctx.save();
      target.ctx.setTransform(1, 0, 0, 1, 0, 0);
      target.ctx.drawImage(pixels, 0, 0);
      target.ctx.restore();
    }
    return target;
  }

  /** Hands a tile's bitmap over and keeps its canvas for the next tile. */
  finish(target: TileCanvas): ImageBitmap {
    const bitmap = target.canvas.transferToImageBitmap();
    if (this.free.length < MAX_FREE) this.free.push({ canvas: target.canvas, ctx: target.ctx });
    return bitmap;
  }
}
