import type { Bounds } from '@inkroom/shared';

/** A tile's side, in device pixels. */
export const TILE = 256;
/**
 * How far an element's paint may reach past its box, in device pixels (a sticky's shadow, text
 * antialiasing): a tile draws the elements this close to it, a change redraws the tiles this close.
 */
const BLEED = 16;
/**
 * Tiles kept at most (256 KiB each): about five screens' worth on a 1280×800 page, and never
 * fewer than three screens' worth on a larger one.
 */
const MAX_TILES = 160;
const SCREENS_KEPT = 3;

/** Paints the committed elements meeting `area` (board units) on a context already set to it. */
export type TilePainter = (ctx: OffscreenCanvasRenderingContext2D, area: Bounds) => void;

interface Tile {
  readonly level: Level;
  readonly i: number;
  readonly j: number;
  bitmap: ImageBitmap;
  /** Something in it changed since it was painted: shown only until painted again. */
  stale: boolean;
  /** When it was last shown, for eviction. */
  used: number;
}

/** The tiles painted at one scale (device pixels per board unit). */
interface Level {
  readonly scale: number;
  readonly tiles: Map<string, Tile>;
}

/** Where the view is: the board point at the canvas's top-left corner and the current scale. */
export interface View {
  readonly x: number;
  readonly y: number;
  /** Device pixels per board unit (zoom × devicePixelRatio). */
  readonly scale: number;
  /** The canvas, in device pixels. */
  readonly width: number;
  readonly height: number;
}

const key = (i: number, j: number) => `${i},${j}`;

/**
 * The committed scene as raster tiles, per scale: a pan draws the tiles it already has, a zoom
 * draws them scaled (and paints them afresh at the new scale once the zoom settles), a change
 * repaints only the tiles it touches. What a frame costs follows the screen's pixels and what
 * changed, not how many elements are in view.
 */
export class SceneTiles {
  private level: Level | null = null;
  /** The level before a rescale: drawn under tiles not painted yet at the new one. */
  private previous: Level | null = null;
  private count = 0;
  private frame = 0;
  private readonly scratch = new OffscreenCanvas(TILE, TILE);
  /** Whether every tile in view was painted at the current scale by the last draw. */
  complete = false;

  constructor(private readonly paint: TilePainter) {}

  /** The scale tiles are painted at now (null before the first frame). */
  get scale(): number | null {
    return this.level?.scale ?? null;
  }

  /** Paints tiles at `scale` from now on; the current ones are drawn under them until then. */
  rescale(scale: number): void {
    if (this.level?.scale === scale) return;
    if (this.previous && this.previous !== this.level) this.drop(this.previous);
    this.previous = this.level;
    this.level = { scale, tiles: new Map() };
  }

  /** Everything changed (an image arrived, say): every tile is repainted before it is shown again. */
  invalidateAll(): void {
    for (const level of this.levels()) for (const tile of level.tiles.values()) tile.stale = true;
  }

  /** What was drawn in `area` (board units) changed: the tiles it meets are repainted. */
  invalidate(area: Bounds): void {
    for (const level of this.levels()) {
      const range = this.range(level.scale, area, BLEED);
      for (let i = range.i0; i <= range.i1; i++)
        for (let j = range.j0; j <= range.j1; j++) {
          const tile = level.tiles.get(key(i, j));
          if (tile) tile.stale = true;
        }
    }
  }

  /** Forgets every tile (the board is gone, or the renderer stops). */
  clear(): void {
    for (const level of this.levels()) this.drop(level);
    this.level = null;
    this.previous = null;
  }

  /**
   * Draws the view on `ctx` (set to device pixels, cleared). Stale tiles in view are painted now:
   * a change shows in the frame it is drawn in. Tiles missing at the current scale are painted
   * within `budgetMs` (at least one a frame), those the previous scale cannot stand in for first,
   * and `true` is returned while some remain (the caller draws another frame): a large board
   * appears tile by tile rather than in one long task.
   */
  draw(ctx: CanvasRenderingContext2D, view: View, budgetMs: number): boolean {
    const level = this.level;
    if (!level) return false;
    this.frame++;
    const started = performance.now();
    const visible = this.range(level.scale, this.viewArea(view), 0);
    const uncovered: [number, number][] = [];
    const covered: [number, number][] = [];
    for (let i = visible.i0; i <= visible.i1; i++)
      for (let j = visible.j0; j <= visible.j1; j++) {
        const tile = level.tiles.get(key(i, j));
        if (tile?.stale) this.paintTile(level, i, j);
        else if (!tile) (this.standsIn(level, i, j) ? covered : uncovered).push([i, j]);
      }
    let pending = false;
    for (const [n, [i, j]] of [...uncovered, ...covered].entries()) {
      if (n === 0 || performance.now() - started < budgetMs) this.paintTile(level, i, j);
      else pending = true;
    }
    const complete = !pending;
    // The previous scale under what is still missing at this one.
    if (pending && this.previous) this.drawLevel(ctx, view, this.previous);
    this.drawLevel(ctx, view, level);
    if (complete && this.previous) {
      // Everything in view is painted at this scale: the previous one is no longer needed.
      this.drop(this.previous);
      this.previous = null;
    }
    // With time left, the ring around the view, so that a pan finds its tiles painted.
    if (complete) pending = this.prefetch(level, visible, started, budgetMs);
    this.evict(
      Math.max(MAX_TILES, SCREENS_KEPT * (visible.i1 - visible.i0 + 1) * (visible.j1 - visible.j0 + 1)),
    );
    this.complete = complete;
    return pending;
  }

  /** Whether the previous scale has every tile over tile (i, j) of `level`. */
  private standsIn(level: Level, i: number, j: number): boolean {
    const previous = this.previous;
    if (!previous) return false;
    const side = TILE / level.scale;
    const area = { minX: i * side, minY: j * side, maxX: (i + 1) * side - 1e-6, maxY: (j + 1) * side - 1e-6 };
    const range = this.range(previous.scale, area, 0);
    for (let pi = range.i0; pi <= range.i1; pi++)
      for (let pj = range.j0; pj <= range.j1; pj++) if (!previous.tiles.has(key(pi, pj))) return false;
    return true;
  }

  /** Paints the tiles around `visible` within the budget; true while some remain. */
  private prefetch(level: Level, visible: Range, started: number, budgetMs: number): boolean {
    for (let i = visible.i0 - 1; i <= visible.i1 + 1; i++)
      for (let j = visible.j0 - 1; j <= visible.j1 + 1; j++) {
        const tile = level.tiles.get(key(i, j));
        if (tile && !tile.stale) continue;
        if (performance.now() - started >= budgetMs) return true;
        this.paintTile(level, i, j);
      }
    return false;
  }

  private drawLevel(ctx: CanvasRenderingContext2D, view: View, level: Level): void {
    const ratio = view.scale / level.scale;
    const range = this.range(level.scale, this.viewArea(view), 0);
    // Tiles at whole-pixel positions, edges rounded so that neighbours meet exactly.
    const originX = -view.x * view.scale;
    const originY = -view.y * view.scale;
    const exact = Math.abs(ratio - 1) < 1e-6;
    ctx.imageSmoothingEnabled = !exact;
    for (let i = range.i0; i <= range.i1; i++)
      for (let j = range.j0; j <= range.j1; j++) {
        const tile = level.tiles.get(key(i, j));
        if (!tile) continue;
        tile.used = this.frame;
        const x0 = Math.round(originX + i * TILE * ratio);
        const y0 = Math.round(originY + j * TILE * ratio);
        if (exact) {
          ctx.clearRect(x0, y0, TILE, TILE);
          ctx.drawImage(tile.bitmap, x0, y0);
          continue;
        }
        const x1 = Math.round(originX + (i + 1) * TILE * ratio);
        const y1 = Math.round(originY + (j + 1) * TILE * ratio);
        ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
        ctx.drawImage(tile.bitmap, x0, y0, x1 - x0, y1 - y0);
      }
  }

  private paintTile(level: Level, i: number, j: number): void {
    const ctx = this.scratch.getContext('2d');
    if (!ctx) return;
    const { scale } = level;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, TILE, TILE);
    ctx.setTransform(scale, 0, 0, scale, -i * TILE, -j * TILE);
    const side = TILE / scale;
    const bleed = BLEED / scale;
    this.paint(ctx, {
      minX: i * side - bleed,
      minY: j * side - bleed,
      maxX: (i + 1) * side + bleed,
      maxY: (j + 1) * side + bleed,
    });
    const bitmap = this.scratch.transferToImageBitmap();
    const existing = level.tiles.get(key(i, j));
    if (existing) {
      existing.bitmap.close();
      existing.bitmap = bitmap;
      existing.stale = false;
      existing.used = this.frame;
      return;
    }
    level.tiles.set(key(i, j), { level, i, j, bitmap, stale: false, used: this.frame });
    this.count++;
  }

  /** The board area a view shows. */
  private viewArea(view: View): Bounds {
    return {
      minX: view.x,
      minY: view.y,
      maxX: view.x + view.width / view.scale,
      maxY: view.y + view.height / view.scale,
    };
  }

  /** The tiles at `scale` meeting `area` grown by `bleed` device pixels. */
  private range(scale: number, area: Bounds, bleed: number): Range {
    const side = TILE / scale;
    const grow = bleed / scale;
    return {
      i0: Math.floor((area.minX - grow) / side),
      j0: Math.floor((area.minY - grow) / side),
      i1: Math.floor((area.maxX + grow) / side),
      j1: Math.floor((area.maxY + grow) / side),
    };
  }

  /** Lets the least recently shown tiles go, past `max`. */
  private evict(max: number): void {
    if (this.count <= max) return;
    const all = [...this.levels()].flatMap((level) => [...level.tiles.values()]);
    all.sort((a, b) => a.used - b.used);
    for (const tile of all.slice(0, this.count - max)) {
      tile.bitmap.close();
      tile.level.tiles.delete(key(tile.i, tile.j));
      this.count--;
    }
  }

  private drop(level: Level): void {
    for (const tile of level.tiles.values()) tile.bitmap.close();
    this.count -= level.tiles.size;
    level.tiles.clear();
  }

  private *levels(): Iterable<Level> {
    if (this.level) yield this.level;
    if (this.previous && this.previous !== this.level) yield this.previous;
  }
}

interface Range {
  i0: number;
  j0: number;
  i1: number;
  j1: number;
}
