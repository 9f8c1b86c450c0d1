import type { BoardElement, ElementOf } from '../schema/element-kinds.js';

/** How everything on a board is painted, shared by the canvas renderer and SVG export. */
export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const LINE_HEIGHT = 1.25;
export const STICKY_PADDING = 12;
/** Space between a shape's outline and its label. */
export const LABEL_PADDING = 10;
/** What an image is drawn as while its file is loading, or when it cannot be had. */
export const IMAGE_PLACEHOLDER = '#e9ecef';
/** A line's label is drawn over a halo of the board's background, this wide a font size. */
export const LABEL_HALO = '#ffffff';
export const LABEL_HALO_WIDTH = 0.3;
/** A line's or arrow's label wraps at this width. */
export const LINE_LABEL_WIDTH = 240;
/** Fraction of an ellipse's box its label may use (the box of the largest inscribed rectangle). */
const ELLIPSE_TEXT_AREA = Math.SQRT1_2;
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
  /** Drawn over a line: the glyphs get a halo of the board's background first. */
  readonly halo: boolean;
  /** Where the lines wrap, and the height they take (the editor sizes itself by them). */
  readonly width: number;
  readonly height: number;
}

/** The middle of a polyline, by length, in board units. */
function midpointOf(element: BoardElement & { points: { xy: Float32Array } }): { x: number; y: number } {
  const { xy } = element.points;
  let total = 0;
  for (let i = 2; i < xy.length; i += 2) total += Math.hypot(xy[i]! - xy[i - 2]!, xy[i + 1]! - xy[i - 1]!);
  let left = total / 2;
  for (let i = 2; i < xy.length; i += 2) {
    const length = Math.hypot(xy[i]! - xy[i - 2]!, xy[i + 1]! - xy[i - 1]!);
    if (left <= length && length > 0) {
      const t = left / length;
      return {
        x: element.x + xy[i - 2]! + (xy[i]! - xy[i - 2]!) * t,
        y: element.y + xy[i - 1]! + (xy[i + 1]! - xy[i - 1]!) * t,
      };
    }
    left -= length;
  }
  return { x: element.x + (xy[0] ?? 0), y: element.y + (xy[1] ?? 0) };
}

/** A frame's name sits just above its top-left corner, in its border's colour (bounds.ts leaves room for it). */
export const FRAME_NAME_SIZE = 14;

function frameNameLayout(element: ElementOf<'frame'>): TextLayout | null {
  if (element.name === '') return null;
  const height = FRAME_NAME_SIZE * LINE_HEIGHT;
  return {
    fontSize: FRAME_NAME_SIZE,
    color: element.strokeColor,
    align: 'left',
    x: element.x,
    lines: [{ text: element.name, y: element.y - height - 2 }],
    halo: false,
    width: element.width,
    height,
  };
}

/**
 * A label's layout: wrapped to `width`, centred on `centre` both ways. Shapes use their inner
 * box; lines and arrows their middle.
 */
function labelLayout(element: BoardElement, measure: MeasureText): TextLayout | null {
  if (!('text' in element) || element.text === '' || !('fontSize' in element)) return null;
  const { fontSize } = element;
  let centre: { x: number; y: number };
  let width: number;
  if ('points' in element) {
    centre = midpointOf(element);
    width = LINE_LABEL_WIDTH;
  } else {
    centre = { x: element.x + element.width / 2, y: element.y + element.height / 2 };
    const area = element.kind === 'ellipse' ? element.width * ELLIPSE_TEXT_AREA : element.width;
    width = Math.max(fontSize, area - LABEL_PADDING * 2);
  }
  const lines = wrapText(element.text, width, fontSize, measure);
  const height = lines.length * fontSize * LINE_HEIGHT;
  const top = centre.y - height / 2;
  return {
    fontSize,
    color: element.strokeColor,
    align: 'center',
    x: centre.x,
    lines: lines.map((text, i) => ({ text, y: top + i * fontSize * LINE_HEIGHT })),
    halo: 'points' in element,
    width,
    height,
  };
}

/**
 * Lays out an element's text: a text element's or a sticky note's (notes wrap, text does not), or
 * a label (see `labelLayout`); null for none.
 */
export function layoutText(element: BoardElement, measure: MeasureText): TextLayout | null {
  if (element.kind === 'frame') return frameNameLayout(element);
  if (element.kind !== 'text' && element.kind !== 'sticky') return labelLayout(element, measure);
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
    halo: false,
    width,
    height: lines.length * fontSize * LINE_HEIGHT,
  };
}
