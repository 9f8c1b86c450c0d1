import type { Bounds, Point, ViewRect } from '@inkroom/shared';

export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 20;

/**
 * The camera over the infinite board: screen = (board - offset) * zoom. Listeners hear every
 * change, so the renderer repaints and the pointer maths stay in step.
 */
export class Viewport {
  x = 0;
  y = 0;
  zoom = 1;
  width = 0;
  height = 0;
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setSize(width: number, height: number): void {
    this.width = width;
    this.height = height;
    this.changed();
  }

  toBoard(screen: Point): Point {
    return { x: screen.x / this.zoom + this.x, y: screen.y / this.zoom + this.y };
  }

  toScreen(board: Point): Point {
    return { x: (board.x - this.x) * this.zoom, y: (board.y - this.y) * this.zoom };
  }

  /** The board area on screen. */
  visibleBounds(): Bounds {
    return {
      minX: this.x,
      minY: this.y,
      maxX: this.x + this.width / this.zoom,
      maxY: this.y + this.height / this.zoom,
    };
  }

  /** Moves the board by a screen distance. */
  panBy(dx: number, dy: number): void {
    this.x -= dx / this.zoom;
    this.y -= dy / this.zoom;
    this.changed();
  }

  /** Zooms by `factor`, keeping the board point under `screen` where it is. */
  zoomAt(screen: Point, factor: number): void {
    const before = this.toBoard(screen);
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, this.zoom * factor));
    this.x = before.x - screen.x / this.zoom;
    this.y = before.y - screen.y / this.zoom;
    this.changed();
  }

  /** Puts board point (x, y) at the screen's top-left corner, at `zoom` (clamped). */
  moveTo(x: number, y: number, zoom: number): void {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.x = x;
    this.y = y;
    this.changed();
  }

  /** Puts board point `center` in the middle of the screen, at `zoom` (clamped). */
  centerOn(center: Point, zoom: number): void {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.x = center.x - this.width / 2 / this.zoom;
    this.y = center.y - this.height / 2 / this.zoom;
    this.changed();
  }

  /** Shows `bounds` whole, with a margin, at no more than `maxZoom` (100 %). */
  fit(bounds: Bounds, margin = 40, maxZoom = 1): void {
    const w = Math.max(1, bounds.maxX - bounds.minX);
    const h = Math.max(1, bounds.maxY - bounds.minY);
    const zoom = Math.min(maxZoom, (this.width - margin * 2) / w, (this.height - margin * 2) / h);
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    this.x = bounds.minX - (this.width / this.zoom - w) / 2;
    this.y = bounds.minY - (this.height / this.zoom - h) / 2;
    this.changed();
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** The part of the board a viewport shows, as presence shares it. */
export function viewRect(viewport: Viewport): ViewRect {
  return {
    x: viewport.x,
    y: viewport.y,
    width: viewport.width / viewport.zoom,
    height: viewport.height / viewport.zoom,
  };
}
