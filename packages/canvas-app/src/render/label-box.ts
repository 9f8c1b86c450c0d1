import {
  type BoardElement,
  type Bounds,
  elementRotation,
  FONT_FAMILY,
  LABEL_HALO_WIDTH,
  LINE_HEIGHT,
  layoutText,
} from '@inkroom/shared';
import { textSize } from './draw-element.js';

let measurer: OffscreenCanvasRenderingContext2D | null = null;

/**
 * Where an element's text is drawn, in board units, or null when it has none. A line's or an
 * arrow's label is laid out 240 units wide around its middle, a shape's may run past its
 * height, and a frame's name sits above it: the element's box does not hold them, the tiles they
 * are painted on must.
 */
export function labelBox(element: BoardElement): Bounds | null {
  const size = textSize(element);
  if (size === null || element.kind === 'text') return null;
  measurer ??= new OffscreenCanvas(1, 1).getContext('2d');
  const ctx = measurer;
  if (!ctx) return null;
  ctx.font = `${size}px ${FONT_FAMILY}`;
  const layout = layoutText(element, (text) => ctx.measureText(text).width);
  if (!layout || layout.lines.length === 0) return null;
  const pad = layout.fontSize * (LABEL_HALO_WIDTH + 1);
  const top = layout.lines[0]!.y;
  const bottom = layout.lines.at(-1)!.y + layout.fontSize * LINE_HEIGHT;
  const left =
    layout.align === 'center'
      ? layout.x - layout.width / 2
      : layout.align === 'right'
        ? layout.x - layout.width
        : layout.x;
  const box = { minX: left - pad, minY: top - pad, maxX: left + layout.width + pad, maxY: bottom + pad };
  const rotation = elementRotation(element);
  if (!rotation) return box;
  // Drawn turned about the element's centre: the box of its turned corners.
  const cos = Math.cos(rotation.angle);
  const sin = Math.sin(rotation.angle);
  const turned = [
    [box.minX, box.minY],
    [box.maxX, box.minY],
    [box.minX, box.maxY],
    [box.maxX, box.maxY],
  ].map(([x, y]) => {
    const dx = x! - rotation.cx;
    const dy = y! - rotation.cy;
    return { x: rotation.cx + dx * cos - dy * sin, y: rotation.cy + dx * sin + dy * cos };
  });
  return {
    minX: Math.min(...turned.map((p) => p.x)),
    minY: Math.min(...turned.map((p) => p.y)),
    maxX: Math.max(...turned.map((p) => p.x)),
    maxY: Math.max(...turned.map((p) => p.y)),
  };
}
