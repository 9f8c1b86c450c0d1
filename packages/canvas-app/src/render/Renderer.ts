import {
  type BoardElement,
  type Bounds,
  compareOrder,
  type ElementId,
  elementGeometry,
} from '@inkroom/shared';
import type { SceneEntry, SceneIndex } from '../scene/SceneIndex.js';
import type { Viewport } from '../viewport/Viewport.js';
import { type Canvas2D, drawElement, drawnAsCenterline, type ElementPaths, newPath } from './draw-element.js';
import { labelBox } from './label-box.js';
import { SceneTiles } from './SceneTiles.js';

const NO_PATHS: ElementPaths = { body: null, outline: null, heads: [] };

/** New elements painted onto their tiles at once, at most, per change (more: within the frame budget). */
const MAX_PAINTED_ON_TOP = 20;
/** A change to more elements than this repaints every tile rather than the ones each touches. */
const BULK_CHANGE = 500;
/** Time a frame may spend painting tiles, in ms: the rest shows what stands in for them. */
const TILE_BUDGET_MS = 10;
/**
 * While the view is still and nothing moves on the overlay (a board opening or arriving, a big
 * change seen from afar), or part of a still view shows nothing (a jump), a frame may paint
 * longer: the view is whole sooner (a 50,000-stroke board looked at whole: about 4× sooner than
 * at 10 ms a frame), and no task is long.
 */
const STILL_BUDGET_MS = 40;
/** The overlay (a stroke being drawn, a drag, cursors) moved this recently: frames stay short. */
const OVERLAY_QUIET_MS = 200;
/** A zoom that stopped this long is painted afresh at its scale (until then, tiles are scaled). */
const SETTLE_MS = 150;
/** How far the tiles' scale may be from the view's before they are painted afresh at once. */
const MAX_UPSCALE = 1.25;
const MAX_DOWNSCALE = 0.6;

/** Decoded image files by asset hash; null while one loads or when it cannot be had. */
export interface ImageSource {
  bitmap(hash: string): CanvasImageSource | null;
}

/** Draws on the overlay layer, in board coordinates. */
export type OverlayPainter = (ctx: CanvasRenderingContext2D, viewport: Viewport) => void;

/**
 * Two canvases: the scene (committed elements, drawn from raster tiles, see SceneTiles) and the
 * overlay (strokes in progress, selection, cursors: repainted as the pointer moves). Geometry is
 * cached per element version; a tile paints only the elements that meet it.
 */
export class Renderer {
  private readonly paths = new Map<ElementId, { version: number; paths: ElementPaths }>();
  private readonly painters = new Set<OverlayPainter>();
  /**
   * Elements not painted on the scene, by who hides them: the one whose text is edited in place,
   * the ones an eraser stroke is about to delete.
   */
  private readonly hiddenBy = new Map<string, ReadonlySet<ElementId>>();
  /** The element whose label is being edited: drawn without it (the editor shows it). */
  private unlabelled: ElementId | null = null;
  private sceneDirty = true;
  private overlayDirty = true;
  private frame = 0;
  private readonly cleanups: (() => void)[] = [];
  private readonly tiles = new SceneTiles<SceneEntry>({
    entriesIn: (area) => this.entriesIn(area),
    paintEntry: (ctx, entry, scale) => this.paintEntry(ctx, entry, scale),
  });
  /** Each element's entry as last painted: where a change must repaint from. */
  private readonly painted = new Map<ElementId, SceneEntry>();
  /** Where the text of each labelled element is drawn (it may reach past the element's box). */
  private readonly labels = new Map<ElementId, Bounds>();
  /** An element at or in front of every one painted so far (new ones past it go on top). */
  private front: BoardElement | null = null;
  /** When the viewport last changed, and the timer that paints it afresh once it stops. */
  private viewChangedAt = 0;
  /** The devicePixelRatio the canvases were last sized for, and the watch on it. */
  private pixelRatio = globalThis.devicePixelRatio || 1;
  private stopFollowingRatio: (() => void) | null = null;
  /** When the overlay last asked for a frame. */
  private overlayAskedAt = Number.NEGATIVE_INFINITY;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  /** Time the last scene paint took, in ms, and how many there were (for the board benchmark). */
  lastSceneMs = 0;
  scenePaints = 0;
  /** How many times the overlay was painted (ink in progress shows with it). */
  overlayPaints = 0;

  /** Whether the scene shows everything in view (a large board appears tile by tile). */
  get sceneComplete(): boolean {
    return this.tiles.complete && !this.sceneDirty;
  }

  constructor(
    private readonly scene: SceneIndex,
    private readonly viewport: Viewport,
    private readonly sceneCanvas: HTMLCanvasElement,
    private readonly overlayCanvas: HTMLCanvasElement,
    /** Images' decoded files, by asset hash (null: not ready, a placeholder is drawn). */
    private readonly images: ImageSource | null = null,
  ) {}

  start(): void {
    this.cleanups.push(
      this.scene.onChange((changed) => {
        for (const id of changed) if (!this.scene.get(id)) this.paths.delete(id);
        this.repaintChanged(changed);
        this.requestScene();
        // Selections and handles follow their elements, whoever moved them (not overlay activity:
        // a board arriving in pieces keeps the still view's longer budget).
        this.overlayDirty = true;
        this.schedule();
      }),
      this.viewport.onChange(() => {
        this.resizeCanvases();
        this.viewChangedAt = performance.now();
        if (this.settleTimer) clearTimeout(this.settleTimer);
        this.settleTimer = setTimeout(() => {
          this.settleTimer = null;
          this.requestScene();
        }, SETTLE_MS);
        this.requestScene();
        this.requestOverlay();
      }),
    );
    this.followPixelRatio();
    for (const entry of this.scene.all()) {
      this.painted.set(entry.id, entry);
      this.noteLabel(entry);
      this.front = entry.element;
    }
    this.resizeCanvases();
    this.requestScene();
  }

  /**
   * Repaints the tiles what changed was and is now drawn in; new elements in front of everything
   * painted (a stroke just drawn, here or by someone else, a big board arriving in pieces) are
   * painted onto their tiles instead: a few at once, more within the frame budget.
   */
  private repaintChanged(changed: ReadonlySet<ElementId>): void {
    const frontBefore = this.front;
    const bulk = changed.size > BULK_CHANGE && !this.allNewInFront(changed, frontBefore);
    if (bulk) this.tiles.invalidateAll();
    const added: SceneEntry[] = [];
    for (const id of changed) {
      const before = this.painted.get(id);
      const now = this.scene.get(id);
      if (now && (!this.front || compareOrder(now.element, this.front) > 0)) this.front = now.element;
      if (!bulk && before) this.repaintElements([id]);
      if (now) this.painted.set(id, now);
      else this.painted.delete(id);
      if (now) this.noteLabel(now);
      else this.labels.delete(id);
      if (bulk) continue;
      if (!before && now) added.push(now);
      else if (now && now !== before) this.repaintElements([id]);
    }
    if (added.length === 0) return;
    added.sort((a, b) => compareOrder(a.element, b.element));
    const inFront = !frontBefore || compareOrder(added[0]!.element, frontBefore) > 0;
    for (const entry of added) {
      if (!inFront || this.isHidden(entry.id)) this.repaintElements([entry.id]);
      else if (added.length <= MAX_PAINTED_ON_TOP) this.tiles.paintOnTop(this.paintBox(entry), entry);
      else this.tiles.queueOnTop(this.paintBox(entry), entry);
    }
  }

  /** Whether every changed element is new and in front of `front`. */
  private allNewInFront(changed: ReadonlySet<ElementId>, front: BoardElement | null): boolean {
    for (const id of changed) {
      const now = this.scene.get(id);
      if (!now || this.painted.has(id) || (front && compareOrder(now.element, front) <= 0)) return false;
    }
    return true;
  }

  /** Notes where an element's text is drawn, when it reaches past the element's box. */
  private noteLabel(entry: SceneEntry): void {
    const box = labelBox(entry.element);
    const inside =
      !box ||
      (box.minX >= entry.minX && box.minY >= entry.minY && box.maxX <= entry.maxX && box.maxY <= entry.maxY);
    if (inside) this.labels.delete(entry.id);
    else this.labels.set(entry.id, box);
  }

  /** Where an element is painted: its box, and its text's. */
  private paintBox(entry: SceneEntry): Bounds {
    const label = this.labels.get(entry.id);
    if (!label) return entry;
    return {
      minX: Math.min(entry.minX, label.minX),
      minY: Math.min(entry.minY, label.minY),
      maxX: Math.max(entry.maxX, label.maxX),
      maxY: Math.max(entry.maxY, label.maxY),
    };
  }

  /** The elements painted in `area`, back to front: those it meets, and those whose text reaches it. */
  private entriesIn(area: Bounds): SceneEntry[] {
    const found = this.scene.search(area);
    const ids = new Set(found.map((entry) => entry.id));
    let more = false;
    for (const [id, box] of this.labels) {
      if (
        ids.has(id) ||
        box.maxX < area.minX ||
        box.minX > area.maxX ||
        box.maxY < area.minY ||
        box.minY > area.maxY
      )
        continue;
      const entry = this.scene.get(id);
      if (entry) {
        found.push(entry);
        more = true;
      }
    }
    if (more) found.sort((a, b) => compareOrder(a.element, b.element));
    return found.filter((entry) => !this.isHidden(entry.id));
  }

  /** Repaints the tiles showing these elements as last noted (hidden or shown, labelled or not). */
  private repaintElements(ids: Iterable<ElementId>): void {
    for (const id of ids) {
      const entry = this.painted.get(id);
      if (entry) this.tiles.invalidate(this.paintBox(entry));
    }
  }

  /** Everything is painted afresh (an image arrived: every element showing it changes). */
  invalidateScene(): void {
    this.tiles.invalidateAll();
    this.requestScene();
  }

  /** Stops painting and clears both canvases (the board they showed is gone). */
  stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.stopFollowingRatio?.();
    this.stopFollowingRatio = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    this.tiles.clear();
    this.painted.clear();
    this.labels.clear();
    this.front = null;
    for (const canvas of [this.sceneCanvas, this.overlayCanvas]) {
      canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height);
    }
  }

  addOverlayPainter(painter: OverlayPainter): () => void {
    this.painters.add(painter);
    this.requestOverlay();
    return () => {
      this.painters.delete(painter);
      this.requestOverlay();
    };
  }

  setHidden(owner: string, ids: ReadonlySet<ElementId>): void {
    if (ids.size === 0 && !this.hiddenBy.has(owner)) return;
    // Only what is hidden or shown now (the eraser's set grows a stroke at a time).
    const before = this.hiddenBy.get(owner) ?? new Set<ElementId>();
    this.repaintElements([...before].filter((id) => !ids.has(id)));
    this.repaintElements([...ids].filter((id) => !before.has(id)));
    if (ids.size === 0) this.hiddenBy.delete(owner);
    else this.hiddenBy.set(owner, new Set(ids));
    this.requestScene();
  }

  /** Draws `id` without its label, or every element with theirs again (null). */
  setUnlabelled(id: ElementId | null): void {
    if (this.unlabelled === id) return;
    this.repaintElements([this.unlabelled, id].filter((one): one is ElementId => one !== null));
    this.unlabelled = id;
    this.requestScene();
  }

  private isHidden(id: ElementId): boolean {
    if (this.hiddenBy.size === 0) return false;
    for (const ids of this.hiddenBy.values()) if (ids.has(id)) return true;
    return false;
  }

  requestScene(): void {
    this.sceneDirty = true;
    this.schedule();
  }

  requestOverlay(): void {
    this.overlayDirty = true;
    this.overlayAskedAt = performance.now();
    this.schedule();
  }

  /** Paints now, whatever is pending, every tile in view at the view's scale included (for tests). */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.paint(Number.POSITIVE_INFINITY);
  }

  private schedule(): void {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.paint(TILE_BUDGET_MS);
      });
  }

  private paint(budgetMs: number): void {
    if ((globalThis.devicePixelRatio || 1) !== this.pixelRatio) {
      this.resizeCanvases();
      this.sceneDirty = true;
      this.overlayDirty = true;
    }
    if (this.sceneDirty) {
      const started = performance.now();
      this.sceneDirty = false;
      // Tiles left to paint at the view's scale: the next frame goes on with them.
      if (this.paintScene(budgetMs)) this.requestScene();
      this.lastSceneMs = performance.now() - started;
      this.scenePaints++;
    }
    if (this.overlayDirty) {
      // Cleared first: a painter with something still moving (a fading laser) asks for the next frame.
      this.overlayDirty = false;
      this.paintOverlay();
      this.overlayPaints++;
    }
  }

  /**
   * The window moved to a screen of another pixel density, or the page was zoomed without its
   * size in CSS pixels changing: the canvases take the new density (else they show blurred or
   * too fine) and tiles are painted at it. A frame finds the change (see paint); a media query on
   * the current ratio asks for that frame when nothing else would, and is renewed after each change.
   */
  private followPixelRatio(): void {
    this.stopFollowingRatio?.();
    const query = globalThis.matchMedia?.(`(resolution: ${globalThis.devicePixelRatio || 1}dppx)`);
    if (!query) return;
    const changed = () => {
      this.requestScene();
      this.followPixelRatio();
    };
    query.addEventListener('change', changed);
    this.stopFollowingRatio = () => query.removeEventListener('change', changed);
  }

  private resizeCanvases(): void {
    const dpr = globalThis.devicePixelRatio || 1;
    this.pixelRatio = dpr;
    for (const canvas of [this.sceneCanvas, this.overlayCanvas]) {
      const width = Math.round(this.viewport.width * dpr);
      const height = Math.round(this.viewport.height * dpr);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
    }
  }

  /** Clears a canvas and sets it to board coordinates. */
  private prepare(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    const dpr = globalThis.devicePixelRatio || 1;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const { zoom, x, y } = this.viewport;
    ctx.setTransform(dpr * zoom, 0, 0, dpr * zoom, -x * zoom * dpr, -y * zoom * dpr);
    return ctx;
  }

  /** Draws the scene from its tiles; true while some in view are still to be painted at this scale. */
  private paintScene(budgetMs: number): boolean {
    const ctx = this.sceneCanvas.getContext('2d');
    if (!ctx) return false;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.sceneCanvas.width, this.sceneCanvas.height);
    const dpr = globalThis.devicePixelRatio || 1;
    const { zoom, x, y } = this.viewport;
    const scale = zoom * dpr;
    const current = this.tiles.scale;
    const ratio = current === null ? 0 : scale / current;
    // A flush (no budget) paints at the view's own scale, never tiles scaled from another.
    const settled =
      performance.now() - this.viewChangedAt >= SETTLE_MS || budgetMs === Number.POSITIVE_INFINITY;
    if (current === null || ratio > MAX_UPSCALE || ratio < MAX_DOWNSCALE || (settled && ratio !== 1))
      this.tiles.rescale(scale);
    // While the view moves, or something is drawn over it, its frames come first: what is not
    // painted yet fills in as it can.
    const still = settled ? Math.max(budgetMs, STILL_BUDGET_MS) : budgetMs;
    const quiet = performance.now() - this.overlayAskedAt >= OVERLAY_QUIET_MS;
    return this.tiles.draw(
      ctx,
      { x, y, scale, width: this.sceneCanvas.width, height: this.sceneCanvas.height },
      quiet ? still : budgetMs,
      still,
    );
  }

  /** Paints one committed element on a context set to board units, `scale` device pixels each. */
  private paintEntry(ctx: Canvas2D, entry: SceneEntry, scale: number): void {
    // Zoomed out, a thin pen stroke needs no outline: none is made (a large board's worth).
    if (drawnAsCenterline(entry.element, scale)) {
      drawElement(ctx, entry.element, NO_PATHS, null, scale);
      return;
    }
    let cached = this.paths.get(entry.id);
    if (!cached || cached.version !== entry.version) {
      cached = { version: entry.version, paths: elementGeometry(entry.element, newPath) };
      this.paths.set(entry.id, cached);
    }
    const { element } = entry;
    const drawn = entry.id === this.unlabelled && 'text' in element ? { ...element, text: '' } : element;
    drawElement(ctx, drawn, cached.paths, this.images, scale);
  }

  private paintOverlay(): void {
    const ctx = this.prepare(this.overlayCanvas);
    if (!ctx) return;
    for (const painter of this.painters) {
      ctx.save();
      painter(ctx, this.viewport);
      ctx.restore();
    }
  }
}
