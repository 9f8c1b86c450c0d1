import {
  type BoardElement,
  type Bounds,
  FONT_FAMILY,
  LABEL_HALO_WIDTH,
  LINE_HEIGHT,
  layoutText,
} from '@inkroom/shared';

let measurer: OffscreenCanvasRenderingContext2D | null = null;

/**
 * Where an element's text is drawn, in board units, or null when it has none. A line's or an
 * arrow's label is laid out 240 units wide around its middle, and a shape's may run past its
 * height: the element's box does not hold them, the tiles they are painted on must.
 */
export function labelBox(element: BoardElement): Bounds | null {
  if (!('text' in element) || element.text === '' || element.kind === 'text') return null;
  measurer ??= new OffscreenCanvas(1, 1).getContext('2d');
  const ctx = measurer;
  if (!ctx) return null;
  ctx.font = `${element.fontSize}px ${FONT_FAMILY}`;
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
  return { minX: left - pad, minY: top - pad, maxX: left + layout.width + pad, maxY: bottom + pad };
}
