import { type ElementId, elementGeometry } from '@inkroom/shared';
import type { SceneIndex } from '../scene/SceneIndex.js';
import type { Viewport } from '../viewport/Viewport.js';
import { drawElement, type ElementPaths, newPath } from './draw-element.js';

/** Decoded image files by asset hash; null while one loads or when it cannot be had. */
export interface ImageSource {
  bitmap(hash: string): CanvasImageSource | null;
}

/** Draws on the overlay layer, in board coordinates. */
export type OverlayPainter = (ctx: CanvasRenderingContext2D, viewport: Viewport) => void;

/**
 * Two canvases: the scene (committed elements, repainted only when they or the viewport change)
 * and the overlay (strokes in progress, selection, cursors: repainted as the pointer moves).
 * Geometry is cached per element version; only elements in view are painted.
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
  /** Time the last scene paint took, in ms, and how many there were (for the board benchmark). */
  lastSceneMs = 0;
  scenePaints = 0;

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
        this.requestScene();
        // Selections and handles follow their elements, whoever moved them.
        this.requestOverlay();
      }),
      this.viewport.onChange(() => {
        this.resizeCanvases();
        this.requestScene();
        this.requestOverlay();
      }),
    );
    this.resizeCanvases();
    this.requestScene();
  }

  /** Stops painting and clears both canvases (the board they showed is gone). */
  stop(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    cancelAnimationFrame(this.frame);
    this.frame = 0;
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
    if (ids.size === 0) this.hiddenBy.delete(owner);
    else this.hiddenBy.set(owner, new Set(ids));
    this.requestScene();
  }

  /** Draws `id` without its label, or every element with theirs again (null). */
  setUnlabelled(id: ElementId | null): void {
    if (this.unlabelled === id) return;
    this.unlabelled = id;
    this.requestScene();
  }

  private isHidden(id: ElementId): boolean {
    for (const ids of this.hiddenBy.values()) if (ids.has(id)) return true;
    return false;
  }

  requestScene(): void {
    this.sceneDirty = true;
    this.schedule();
  }

  requestOverlay(): void {
    this.overlayDirty = true;
    this.schedule();
  }

  /** Paints now, whatever is pending (tests and exports call this). */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.paint();
  }

  private schedule(): void {
    if (!this.frame)
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.paint();
      });
  }

  private paint(): void {
    if (this.sceneDirty) {
      const started = performance.now();
      this.paintScene();
      this.lastSceneMs = performance.now() - started;
      this.scenePaints++;
      this.sceneDirty = false;
    }
    if (this.overlayDirty) {
      this.paintOverlay();
      this.overlayDirty = false;
    }
  }

  private resizeCanvases(): void {
    const dpr = globalThis.devicePixelRatio || 1;
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

  private paintScene(): void {
    const ctx = this.prepare(this.sceneCanvas);
    if (!ctx) return;
    for (const entry of this.scene.search(this.viewport.visibleBounds())) {
      if (this.hiddenBy.size > 0 && this.isHidden(entry.id)) continue;
      let cached = this.paths.get(entry.id);
      if (!cached || cached.version !== entry.version) {
        cached = { version: entry.version, paths: elementGeometry(entry.element, newPath) };
        this.paths.set(entry.id, cached);
      }
      const { element } = entry;
      const drawn = entry.id === this.unlabelled && 'text' in element ? { ...element, text: '' } : element;
      drawElement(ctx, drawn, cached.paths, this.images);
    }
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
