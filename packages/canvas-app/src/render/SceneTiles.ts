import type { Bounds } from '@inkroom/shared';
import { TILE, type TileCanvas, TileCanvases } from './tile-canvases.js';

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
/** Elements painted on a tile between two checks of the time (each check rasterises them). */
const FLUSH_EVERY = 32;
/** A level this many times finer or coarser than the view's is not drawn in its stead. */
const MAX_STAND_IN = 4;

/** What tiles are painted from: the elements in an area, and how one is painted. */
export interface TileSource<T> {
  /** The elements to paint in `area` (board units), back to front. */
  entriesIn(area: Bounds): T[];
  /** Paints one element on a context set to board units, `scale` device pixels each. */
  paintEntry(ctx: OffscreenCanvasRenderingContext2D, entry: T, scale: number): void;
}

interface Tile<T> {
  readonly i: number;
  readonly j: number;
  /** Null for a tile with nothing in it (most of a sparse board, all of one still loading). */
  bitmap: ImageBitmap | null;
  /** Something in it changed since it was painted: shown only until painted again. */
  stale: boolean;
  /**
   * New elements to paint over its bitmap (queueOnTop), when that is all that changed: its next
   * job starts from the bitmap rather than from nothing. Null when it is up to date or must be
   * painted afresh.
   */
  onTop: T[] | null;
  /** When it was last shown, for eviction. */
  used: number;
}

/** A tile being painted, a few elements a frame: its canvas and what is left to paint on it. */
interface Job<T> extends TileCanvas {
  readonly i: number;
  readonly j: number;
  readonly entries: T[];
  next: number;
  /**
   * Something in the tile changed since the job started: it still finishes (a tile changed at
   * every pointer move would otherwise never be painted), and the tile stays out of date.
   */
  outdated: boolean;
}

/** The tiles painted at one scale (device pixels per board unit), and those being painted. */
interface Level<T> {
  readonly scale: number;
  readonly tiles: Map<string, Tile<T>>;
  readonly jobs: Map<string, Job<T>>;
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

interface Range {
  i0: number;
  j0: number;
  i1: number;
  j1: number;
}

const key = (i: number, j: number) => `${i},${j}`;

/**
 * The committed scene as raster tiles, per scale: a pan draws the tiles it already has, a zoom
 * draws them scaled (and paints them afresh at the new scale once the zoom settles), a change
 * repaints only the tiles it touches, and a new element on top is painted onto them. Tiles are
 * painted a few elements at a time within a frame budget, the tiles in view first, then the ring
 * around them: what a frame costs follows the screen's pixels and the budget, not how many
 * elements are in view.
 */
export class SceneTiles<T> {
  private level: Level<T> | null = null;
  /** The level before a rescale: drawn under tiles not painted yet at the new one. */
  private previous: Level<T> | null = null;
  private count = 0;
  private frame = 0;
  private readonly canvases = new TileCanvases();
  /** Whether every tile in view was painted, up to date, at the current scale by the last draw. */
  complete = false;

  constructor(private readonly source: TileSource<T>) {}

  /** The scale tiles are painted at now (null before the first frame). */
  get scale(): number | null {
    return this.level?.scale ?? null;
  }

  /** Paints tiles at `scale` from now on; the current ones are drawn under them until then. */
  rescale(scale: number): void {
    if (this.level?.scale === scale) return;
    // The one to stand in is whichever shows the view: the current level once it is whole, the
    // previous one while the current is still being painted.
    const keep = this.complete || !this.previous ? this.level : this.previous;
    for (const level of [...this.levels()]) if (level !== keep) this.drop(level);
    // One far from the new scale is not drawn in its stead (tiles a few pixels across are slow).
    const near = keep !== null && keep.scale / scale < MAX_STAND_IN && scale / keep.scale < MAX_STAND_IN;
    if (keep && !near) this.drop(keep);
    this.previous = near ? keep : null;
    this.level = { scale, tiles: new Map(), jobs: new Map() };
    this.complete = false;
  }

  /** Everything changed (an image arrived, say): every tile is repainted. */
  invalidateAll(): void {
    for (const level of this.levels()) {
      for (const tile of level.tiles.values()) {
        tile.stale = true;
        tile.onTop = null;
      }
      for (const job of level.jobs.values()) job.outdated = true;
    }
    this.complete = false;
  }

  /** What was drawn in `area` (board units) changed: the tiles it meets are repainted. */
  invalidate(area: Bounds): void {
    for (const level of this.levels())
      this.eachIn(level, area, (k) => {
        const tile = level.tiles.get(k);
        if (tile) {
          tile.stale = true;
          tile.onTop = null;
        }
        const job = level.jobs.get(k);
        if (job) job.outdated = true;
      });
    this.complete = false;
  }

  /**
   * `entry`, new and in front of everything painted so far, is painted onto the tiles it meets
   * (and added to those being painted), rather than have them painted again.
   */
  paintOnTop(area: Bounds, entry: T): void {
    for (const level of this.levels()) this.paintOnTopOf(level, area, entry);
  }

  private paintOnTopOf(level: Level<T>, area: Bounds, entry: T): void {
    this.eachIn(level, area, (k) => {
      const job = level.jobs.get(k);
      job?.entries.push(entry);
      const tile = level.tiles.get(k);
      if (tile?.onTop && !job) tile.onTop.push(entry);
      if (!tile || tile.stale) return;
      const target = this.canvases.over(level.scale, tile.i, tile.j, tile.bitmap);
      this.source.paintEntry(target.ctx, entry, level.scale);
      tile.bitmap?.close();
      tile.bitmap = this.canvases.finish(target);
    });
  }

  /**
   * Like paintOnTop, for many new elements at once (a big board arriving in pieces, a paste): at
   * the current scale they are painted later, within the frame budget, by a job that starts from
   * each tile's pixels, rather than at once or by painting the tiles again from scratch. The
   * tiles show as they were until then; nothing is allocated before a tile's job starts. The level
   * standing in during a rescale shows the board without them until the new scale's tiles, which
   * have them, replace it (painting it at once cost a tile copy per element).
   */
  queueOnTop(area: Bounds, entry: T): void {
    const level = this.level;
    if (!level) return;
    this.eachIn(level, area, (k) => {
      const job = level.jobs.get(k);
      if (job) {
        job.entries.push(entry);
        return;
      }
      const tile = level.tiles.get(k);
      // A tile to be painted afresh finds it then; one not painted yet, when it is.
      if (!tile || (tile.stale && !tile.onTop)) return;
      if (tile.onTop) tile.onTop.push(entry);
      else tile.onTop = [entry];
      tile.stale = true;
      this.complete = false;
    });
  }

  /** Forgets every tile (the board is gone, or the renderer stops). */
  clear(): void {
    for (const level of this.levels()) this.drop(level);
    this.level = null;
    this.previous = null;
    this.complete = false;
  }

  /**
   * Draws the view on `ctx` (set to device pixels, cleared) and paints tiles for at most
   * `budgetMs` (`blankBudgetMs` while part of the view shows nothing): those in view first (where neither a tile nor the previous scale shows anything,
   * then those out of date, then those the previous scale stands in for), then the ring around
   * the view. Returns true while some remain (the caller draws another frame).
   */
  draw(ctx: CanvasRenderingContext2D, view: View, budgetMs: number, blankBudgetMs = budgetMs): boolean {
    const level = this.level;
    if (!level) return false;
    this.frame++;
    const visible = this.range(level.scale, this.viewArea(view), 0);
    const blank: [number, number][] = [];
    const stale: [number, number][] = [];
    const covered: [number, number][] = [];
    for (let i = visible.i0; i <= visible.i1; i++)
      for (let j = visible.j0; j <= visible.j1; j++) {
        const tile = level.tiles.get(key(i, j));
        if (tile?.stale) stale.push([i, j]);
        else if (!tile) (this.standsIn(level, i, j) ? covered : blank).push([i, j]);
      }
    this.pruneJobs(level, visible);
    let missing = 0;
    const deadline = performance.now() + (blank.length > 0 ? Math.max(budgetMs, blankBudgetMs) : budgetMs);
    for (const [n, [i, j]] of [...blank, ...stale, ...covered].entries())
      if (!this.work(level, i, j, deadline, n === 0)) missing++;
    this.complete = missing === 0;
    // The previous scale under what is still missing at this one.
    if (!this.complete && this.previous) this.drawLevel(ctx, view, this.previous);
    this.drawLevel(ctx, view, level);
    if (this.complete && this.previous) {
      // Everything in view is painted at this scale: the previous one is no longer needed.
      this.drop(this.previous);
      this.previous = null;
    }
    let pending = !this.complete;
    if (this.complete) {
      // Time left: the ring around the view, so that a pan finds its tiles painted.
      for (let i = visible.i0 - 1; i <= visible.i1 + 1; i++)
        for (let j = visible.j0 - 1; j <= visible.j1 + 1; j++) {
          const tile = level.tiles.get(key(i, j));
          if (tile && !tile.stale) continue;
          if (!this.work(level, i, j, deadline, false)) pending = true;
        }
    }
    const inView = (visible.i1 - visible.i0 + 1) * (visible.j1 - visible.j0 + 1);
    this.evict(Math.max(MAX_TILES, SCREENS_KEPT * inView));
    return pending;
  }

  /**
   * Paints tile (i, j) of `level` until `deadline` (at least a slice when `first`: every frame
   * makes progress); true once it is done and up to date. An out-of-date tile keeps showing until
   * its new one is.
   */
  private work(level: Level<T>, i: number, j: number, deadline: number, first: boolean): boolean {
    if (!first && performance.now() >= deadline) return false;
    const k = key(i, j);
    let job = level.jobs.get(k);
    const tile = level.tiles.get(k);
    if (!job && tile?.onTop) {
      // Only new elements on top: painted over the tile's pixels.
      job = {
        i,
        j,
        ...this.canvases.over(level.scale, tile.i, tile.j, tile.bitmap),
        entries: tile.onTop,
        next: 0,
        outdated: false,
      };
      tile.onTop = null;
      level.jobs.set(k, job);
    }
    if (!job) {
      const side = TILE / level.scale;
      const bleed = BLEED / level.scale;
      const area = {
        minX: i * side - bleed,
        minY: j * side - bleed,
        maxX: (i + 1) * side + bleed,
        maxY: (j + 1) * side + bleed,
      };
      const entries = this.source.entriesIn(area);
      // Nothing to paint: no canvas, no raster, no bitmap (a canvas and its bitmap cost a few ms).
      if (entries.length === 0) {
        this.place(level, i, j, null, false);
        return true;
      }
      job = { i, j, ...this.canvases.blank(level.scale, i, j), entries, next: 0, outdated: false };
      level.jobs.set(k, job);
    }
    do {
      const end = Math.min(job.entries.length, job.next + FLUSH_EVERY);
      while (job.next < end) this.source.paintEntry(job.ctx, job.entries[job.next++]!, level.scale);
      // The canvas records what it is told and rasterises later, all at once: made to raster
      // now, so that the time it takes is counted here, a few elements at a time.
      job.ctx.getImageData(0, 0, 1, 1);
    } while (job.next < job.entries.length && performance.now() < deadline);
    if (job.next < job.entries.length) return false;
    level.jobs.delete(k);
    this.place(level, i, j, this.canvases.finish(job), job.outdated);
    return !job.outdated;
  }

  /** Tile (i, j) of `level` is painted: shown from now on, out of date if `stale`. */
  private place(level: Level<T>, i: number, j: number, bitmap: ImageBitmap | null, stale: boolean): void {
    const k = key(i, j);
    const existing = level.tiles.get(k);
    if (existing) {
      existing.bitmap?.close();
      existing.bitmap = bitmap;
      existing.stale = stale;
      existing.used = this.frame;
    } else {
      level.tiles.set(k, { i, j, bitmap, stale, onTop: null, used: this.frame });
      this.count++;
    }
  }

  /** Drops the jobs of tiles that left the view and its ring (a long pan leaves them behind). */
  private pruneJobs(level: Level<T>, visible: Range): void {
    for (const [k, job] of level.jobs)
      if (
        job.i < visible.i0 - 1 ||
        job.i > visible.i1 + 1 ||
        job.j < visible.j0 - 1 ||
        job.j > visible.j1 + 1
      ) {
        level.jobs.delete(k);
        this.canvases.finish(job).close();
      }
  }

  /** Whether the previous scale has every tile over tile (i, j) of `level`. */
  private standsIn(level: Level<T>, i: number, j: number): boolean {
    const previous = this.previous;
    if (!previous) return false;
    const side = TILE / level.scale;
    const area = { minX: i * side, minY: j * side, maxX: (i + 1) * side - 1e-6, maxY: (j + 1) * side - 1e-6 };
    const range = this.range(previous.scale, area, 0);
    for (let pi = range.i0; pi <= range.i1; pi++)
      for (let pj = range.j0; pj <= range.j1; pj++) {
        const tile = previous.tiles.get(key(pi, pj));
        if (!tile || tile.stale) return false;
      }
    return true;
  }

  private drawLevel(ctx: CanvasRenderingContext2D, view: View, level: Level<T>): void {
    const ratio = view.scale / level.scale;
    const range = this.range(level.scale, this.viewArea(view), 0);
    // Tiles at whole-pixel positions, edges rounded so that neighbours meet exactly.
    const originX = -view.x * view.scale;
    const originY = -view.y * view.scale;
    const exact = Math.abs(ratio - 1) < 1e-6;
    ctx.imageSmoothingEnabled = !exact;
    for (const tile of this.tilesIn(level, range)) {
      const { i, j } = tile;
      tile.used = this.frame;
      const x0 = Math.round(originX + i * TILE * ratio);
      const y0 = Math.round(originY + j * TILE * ratio);
      const x1 = exact ? x0 + TILE : Math.round(originX + (i + 1) * TILE * ratio);
      const y1 = exact ? y0 + TILE : Math.round(originY + (j + 1) * TILE * ratio);
      ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
      if (tile.bitmap) ctx.drawImage(tile.bitmap, x0, y0, x1 - x0, y1 - y0);
    }
  }

  /** The tiles `level` holds in `range`: found by position, or among its tiles when it holds fewer. */
  private *tilesIn(level: Level<T>, range: Range): Iterable<Tile<T>> {
    if ((range.i1 - range.i0 + 1) * (range.j1 - range.j0 + 1) > level.tiles.size) {
      for (const tile of level.tiles.values())
        if (tile.i >= range.i0 && tile.i <= range.i1 && tile.j >= range.j0 && tile.j <= range.j1) yield tile;
      return;
    }
    for (let i = range.i0; i <= range.i1; i++)
      for (let j = range.j0; j <= range.j1; j++) {
        const tile = level.tiles.get(key(i, j));
        if (tile) yield tile;
      }
  }

  /** Calls `visit` for each tile position of `level` that `area` (board units) reaches. */
  private eachIn(level: Level<T>, area: Bounds, visit: (k: string, i: number, j: number) => void): void {
    const range = this.range(level.scale, area, BLEED);
    if ((range.i1 - range.i0 + 1) * (range.j1 - range.j0 + 1) > level.tiles.size + level.jobs.size) {
      // A large element zoomed in: the tiles and jobs held, not every position it covers.
      const held = new Set([...level.tiles.keys(), ...level.jobs.keys()]);
      for (const k of held) {
        const [i, j] = k.split(',').map(Number) as [number, number];
        if (i >= range.i0 && i <= range.i1 && j >= range.j0 && j <= range.j1) visit(k, i, j);
      }
      return;
    }
    for (let i = range.i0; i <= range.i1; i++)
      for (let j = range.j0; j <= range.j1; j++) visit(key(i, j), i, j);
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
    const all = [...this.levels()].flatMap((level) =>
      [...level.tiles.values()].map((tile) => ({ level, tile })),
    );
    // The previous level's tiles first (they only stand in), then the least recently shown.
    all.sort((a, b) =>
      a.level !== b.level ? (a.level === this.previous ? -1 : 1) : a.tile.used - b.tile.used,
    );
    for (const { level, tile } of all.slice(0, this.count - max)) {
      tile.bitmap?.close();
      level.tiles.delete(key(tile.i, tile.j));
      this.count--;
    }
  }

  private drop(level: Level<T>): void {
    for (const tile of level.tiles.values()) tile.bitmap?.close();
    this.count -= level.tiles.size;
    level.tiles.clear();
    level.jobs.clear();
  }

  private *levels(): Iterable<Level<T>> {
    if (this.level) yield this.level;
    if (this.previous) yield this.previous;
  }
}
