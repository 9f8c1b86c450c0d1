import type { BoardElement } from '../schema/element-kinds.js';

/** How everything on a board is painted, shared by the canvas renderer and SVG export. */
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const LINE_HEIGHT = 1.25;
export const STICKY_PADDING = 12;
export const STICKY_FILL = '#ffe066';
export const STICKY_SHADOW = { opacity: 0.18, blur: 8, offsetY: 3 } as const;
/** Highlighter ink is see-through on top of the element's own opacity. */
export const HIGHLIGHTER_ALPHA = 0.4;

/** The element's overall alpha. */
export function elementAlpha(element: BoardElement): number {
  return (
    element.opacity * (element.kind === 'stroke' && element.brush === 'highlighter' ? HIGHLIGHTER_ALPHA : 1)
  );
}

/**
 * The rotation to paint with, about the element's centre; null for none. Elements made of points
 * are rotated by rewriting their points, so they carry none.
 */
export function elementRotation(element: BoardElement): { angle: number; cx: number; cy: number } | null {
  if (element.rotation === 0 || 'points' in element) return null;
  return { angle: element.rotation, cx: element.x + element.width / 2, cy: element.y + element.height / 2 };
}

/** Width of `text` at `fontSize` px in {@link FONT_FAMILY}. */
export type MeasureText = (text: string, fontSize: number) => number;

/**
 * A width estimate for where no font metrics exist (the server): an average glyph of a
 * system UI font is a little over half its size.
 */
export const estimateTextWidth: MeasureText = (text, fontSize) => text.length * fontSize * 0.56;

/** Lines of `text` that fit `maxWidth` (words are not split; explicit line breaks are kept). */
export function wrapText(text: string, maxWidth: number, fontSize: number, measure: MeasureText): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && measure(candidate, fontSize) > maxWidth) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

/** Where the lines of a text or sticky element go: `x` is the anchor for `align`, `y` each line's top. */
export interface TextLayout {
  readonly fontSize: number;
  readonly color: string;
  readonly align: 'left' | 'center' | 'right';
  readonly x: number;
  readonly lines: readonly { text: string; y: number }[];
}

/** Lays out a text or sticky element's text; null for other kinds. Sticky notes wrap, text does not. */
export function layoutText(element: BoardElement, measure: MeasureText): TextLayout | null {
  if (element.kind !== 'text' && element.kind !== 'sticky') return null;
  const inset = element.kind === 'sticky' ? STICKY_PADDING : 0;
  const { fontSize } = element;
  const align = element.kind === 'text' ? element.align : 'left';
  const x =
    align === 'center'
      ? element.x + element.width / 2
      : align === 'right'
        ? element.x + element.width - inset
        : element.x + inset;
  const width = Math.max(1, element.width - inset * 2);
  const lines =
    element.kind === 'sticky' ? wrapText(element.text, width, fontSize, measure) : element.text.split('\n');
  return {
    fontSize,
    color: element.strokeColor,
    align,
    x,
    lines: lines.map((text, i) => ({ text, y: element.y + inset + i * fontSize * LINE_HEIGHT })),
  };
}
