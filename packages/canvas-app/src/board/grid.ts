import type { Viewport } from '../viewport/Viewport.js';

/** Board units between grid dots at zoom 1. */
export const GRID_SPACING = 20;
/** Dots closer than this many pixels are thinned out (every fifth kept) until they are not. */
const MIN_GAP_PX = 10;

/** Places a dot grid, drawn as the element's CSS background, to match the view. */
export function placeGrid(element: HTMLElement, viewport: Viewport): void {
  let gap = GRID_SPACING * viewport.zoom;
  while (gap < MIN_GAP_PX) gap *= 5;
  const offsetX = -viewport.x * viewport.zoom;
  const offsetY = -viewport.y * viewport.zoom;
  element.style.backgroundSize = `${gap}px ${gap}px`;
  element.style.backgroundPosition = `${offsetX - gap / 2}px ${offsetY - gap / 2}px`;
}
