import { resolveBindings } from '../schema/bindings.js';
import type { BoardElement } from '../schema/element-kinds.js';
import { type Bounds, elementBounds, union } from './bounds.js';
import { elementGeometry } from './geometry.js';
import {
  elementAlpha,
  elementRotation,
  estimateTextWidth,
  FONT_FAMILY,
  IMAGE_PLACEHOLDER,
  LABEL_HALO,
  LABEL_HALO_WIDTH,
  LINE_HEIGHT,
  layoutText,
  type MeasureText,
  STICKY_FILL,
  STICKY_SHADOW,
} from './paint.js';
import { SvgPath, svgNumber } from './path-sink.js';

/**
 * Bumped whenever the same board would draw differently; caches of drawings (the server's
 * preview ETags) include it, so an upgrade never serves an old drawing as current.
 */
export const RENDERER_VERSION = 2;

export interface SvgOptions {
  /** A colour to fill the background with; transparent when absent. */
  background?: string | null;
  /** Board units of margin around the elements (default 16). */
  padding?: number;
  /** Text widths, for wrapping sticky notes; an estimate when absent (the server has no fonts). */
  measureText?: MeasureText;
  /**
   * Where an image's file is, by its asset hash (an `<image href>`); absent, images are drawn as
   * grey boxes.
   */
  assetUrl?: (hash: string) => string;
}

/** Characters XML 1.0 forbids anywhere (control characters but tab and line breaks, lone surrogates). */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe inside an attribute or an element: escaped, and without characters XML forbids. */
function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The box that holds every element, or null for none. */
export function boundsOfElements(elements: readonly BoardElement[]): Bounds | null {
  let box: Bounds | null = null;
  for (const element of elements) {
    const b = elementBounds(element);
    box = box ? union(box, b) : b;
  }
  return box;
}

const TEXT_ANCHOR = { left: 'start', center: 'middle', right: 'end' } as const;

function elementSvg(
  element: BoardElement,
  measure: MeasureText,
  assetUrl?: (hash: string) => string,
): string {
  const geometry = elementGeometry(element, () => new SvgPath());
  const parts: string[] = [];
  const color = escapeXml(element.strokeColor);
  switch (element.kind) {
    case 'stroke':
      parts.push(`<path d="${geometry.body}" fill="${color}"/>`);
      break;
    case 'line':
    case 'arrow': {
      const stroke = `fill="none" stroke="${color}" stroke-width="${svgNumber(element.strokeWidth)}" stroke-linecap="round" stroke-linejoin="round"`;
      parts.push(`<path d="${geometry.outline}" ${stroke}/>`);
      for (const head of geometry.heads) parts.push(`<path d="${head}" ${stroke}/>`);
      break;
    }
    case 'rectangle':
    case 'ellipse':
    case 'frame':
      if (element.fill !== 'none')
        parts.push(`<path d="${geometry.body}" fill="${escapeXml(element.fill)}"/>`);
      if (element.strokeWidth > 0)
        parts.push(
          `<path d="${geometry.outline}" fill="none" stroke="${color}" stroke-width="${svgNumber(element.strokeWidth)}" stroke-linejoin="round"/>`,
        );
      break;
    case 'sticky':
      parts.push(
        `<path d="${geometry.body}" fill="${escapeXml(element.fill === 'none' ? STICKY_FILL : element.fill)}" filter="url(#inkroom-shadow)"/>`,
      );
      break;
    case 'text':
      break;
    case 'image': {
      const box = `x="${svgNumber(element.x)}" y="${svgNumber(element.y)}" width="${svgNumber(element.width)}" height="${svgNumber(element.height)}"`;
      const { crop, naturalWidth: w, naturalHeight: h } = element;
      const href = element.asset && assetUrl ? escapeXml(assetUrl(element.asset)) : null;
      if (href && crop && w > 0 && h > 0) {
        // The shown part of the picture, stretched over the box.
        const view = [crop.x * w, crop.y * h, crop.width * w, crop.height * h].map(svgNumber).join(' ');
        parts.push(
          `<svg ${box} viewBox="${view}" preserveAspectRatio="none"><image href="${href}" width="${svgNumber(w)}" height="${svgNumber(h)}"/></svg>`,
        );
      } else if (href) parts.push(`<image href="${href}" ${box} preserveAspectRatio="none"/>`);
      else parts.push(`<rect ${box} fill="${IMAGE_PLACEHOLDER}"/>`);
      break;
    }
  }
  const text = layoutText(element, measure);
  if (text) {
    const lines = text.lines
      .map(
        (line) => `<tspan x="${svgNumber(text.x)}" y="${svgNumber(line.y)}">${escapeXml(line.text)}</tspan>`,
      )
      .join('');
    if (text.halo) {
      // The line under a label is covered, spaces between words included.
      const pad = text.fontSize * LABEL_HALO_WIDTH;
      for (const line of text.lines) {
        const width = measure(line.text, text.fontSize);
        parts.push(
          `<rect x="${svgNumber(text.x - width / 2 - pad)}" y="${svgNumber(line.y)}" width="${svgNumber(width + pad * 2)}" height="${svgNumber(text.fontSize * LINE_HEIGHT)}" fill="${LABEL_HALO}"/>`,
        );
      }
    }
    parts.push(
      `<text font-size="${svgNumber(text.fontSize)}" fill="${escapeXml(text.color)}" text-anchor="${TEXT_ANCHOR[text.align]}" dominant-baseline="text-before-edge" xml:space="preserve">${lines}</text>`,
    );
  }
  const alpha = elementAlpha(element);
  const rotation = elementRotation(element);
  const attributes = [
    `data-id="${escapeXml(element.id)}"`,
    `data-kind="${element.kind}"`,
    alpha < 1 ? `opacity="${svgNumber(alpha)}"` : '',
    rotation
      ? `transform="rotate(${svgNumber((rotation.angle * 180) / Math.PI)} ${svgNumber(rotation.cx)} ${svgNumber(rotation.cy)})"`
      : '',
  ].filter(Boolean);
  return `<g ${attributes.join(' ')}>${parts.join('')}</g>`;
}

/**
 * The SVG document of {@link renderSvg} in pieces: the opening, then one group per element, then
 * the closing tag. A server joins them while yielding to its event loop now and then, so a large
 * board never blocks other work for long.
 */
export function* svgChunks(given: readonly BoardElement[], options: SvgOptions = {}): Generator<string> {
  // Bound ends drawn on their targets (those among the elements).
  const byId = new Map(given.map((element) => [element.id, element]));
  const elements = given.map((element) => resolveBindings(element, (id) => byId.get(id)));
  const padding = options.padding ?? 16;
  const box = boundsOfElements(elements) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  const x = Math.floor(box.minX - padding);
  const y = Math.floor(box.minY - padding);
  const width = Math.ceil(box.maxX + padding) - x;
  const height = Math.ceil(box.maxY + padding) - y;
  const measure = options.measureText ?? estimateTextWidth;
  const background = options.background
    ? `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${escapeXml(options.background)}"/>`
    : '';
  const shadow = `<filter id="inkroom-shadow" x="-20%" y="-20%" width="140%" height="150%"><feDropShadow dx="0" dy="${STICKY_SHADOW.offsetY}" stdDeviation="${STICKY_SHADOW.blur / 2}" flood-color="#000" flood-opacity="${STICKY_SHADOW.opacity}"/></filter>`;
  yield `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="${x} ${y} ${width} ${height}" font-family="${escapeXml(FONT_FAMILY)}"><defs>${shadow}</defs>${background}`;
  for (const element of elements) yield elementSvg(element, measure, options.assetUrl);
  yield '</svg>';
}

/**
 * The elements as a standalone SVG document, framed to fit them. Elements are painted in the
 * order given (back to front), each as a `<g data-id data-kind>` group, with the same geometry
 * and paint as the board's canvas.
 *
 * @example
 * const svg = renderSvg(listElements(doc), { background: '#ffffff' });
 */
export function renderSvg(elements: readonly BoardElement[], options: SvgOptions = {}): string {
  return [...svgChunks(elements, options)].join('');
}
