import {
  addElement,
  type BoardElement,
  type BoardJSON,
  BoardJSONError,
  boardToJSON,
  boundsOfElements,
  center,
  createBoardDoc,
  type ElementId,
  elementGeometry,
  elementsFromJSON,
  FONT_FAMILY,
  frameContents,
  getElement,
  keysAt,
  MAX_COORDINATE,
  type MeasureText,
  type Point,
  renderSvg,
} from '@inkroom/shared';
import { withNewGroups } from '../model/groups.js';
import { drawElement, newPath } from '../render/draw-element.js';
import type { ToolContext } from '../tools/Tool.js';

export interface ExportOptions {
  /** Only the selected elements (default: the whole board). */
  selection?: boolean;
  /** Only this frame and what belongs to it, to the frame's edges (padding 0 unless given). */
  frame?: ElementId;
  /** A background colour; transparent when absent or null. */
  background?: string | null;
  /** Board units of margin around the elements (default 16). */
  padding?: number;
}

export interface PngExportOptions extends ExportOptions {
  /** Pixels per board unit (default 1, or 2 on a high-density screen is up to the caller). */
  scale?: number;
  /**
   * The image's size in pixels. With both, the image is exactly that size and the elements are
   * fitted and centred in it; with one, the other follows the board's proportions.
   */
  width?: number;
  height?: number;
}

/** Largest PNG side: browsers refuse canvases much past this. */
const MAX_PNG_SIDE = 16384;

let measureContext: CanvasRenderingContext2D | null = null;

/** Text widths from the browser's own font metrics, as the canvas paints them. */
const measureText: MeasureText = (text, fontSize) => {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * fontSize * 0.56;
  measureContext.font = `${fontSize}px ${FONT_FAMILY}`;
  return measureContext.measureText(text).width;
};

function exportedElements(ctx: ToolContext, options: ExportOptions): BoardElement[] {
  const elements = ctx.scene
    .all()
    .filter((entry) => !options.selection || ctx.selection.has(entry.id))
    .map((entry) => entry.element);
  return options.frame ? frameContents(elements, options.frame) : elements;
}

/** A frame is exported to its edges; anything else with a margin. */
const paddingOf = (options: ExportOptions) => options.padding ?? (options.frame ? 0 : 16);

/** The board (or the selection) as an SVG document. */
export function exportSvg(ctx: ToolContext, options: ExportOptions = {}): string {
  const images = ctx.images;
  return renderSvg(exportedElements(ctx, options), {
    // Images by their address on the server (an SVG links its pictures; it does not hold them).
    ...(images ? { assetUrl: (hash: string) => images.urlOf(hash) ?? '' } : {}),
    background: options.background ?? null,
    padding: paddingOf(options),
    measureText,
  });
}

/** The board (or the selection) as a PNG image, painted by the board's own canvas renderer. */
export function exportPng(ctx: ToolContext, options: PngExportOptions = {}): Promise<Blob> {
  const elements = exportedElements(ctx, options);
  const padding = paddingOf(options);
  const box = boundsOfElements(elements) ?? { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  const contentWidth = box.maxX - box.minX + padding * 2;
  const contentHeight = box.maxY - box.minY + padding * 2;
  let scale = options.scale ?? 1;
  let width: number;
  let height: number;
  if (options.width !== undefined || options.height !== undefined) {
    const byWidth = options.width !== undefined ? options.width / contentWidth : Infinity;
    const byHeight = options.height !== undefined ? options.height / contentHeight : Infinity;
    scale = Math.min(byWidth, byHeight);
    width = options.width ?? Math.round(contentWidth * scale);
    height = options.height ?? Math.round(contentHeight * scale);
  } else {
    width = Math.ceil(contentWidth * scale);
    height = Math.ceil(contentHeight * scale);
  }
  if (!(scale > 0) || !Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    return Promise.reject(new RangeError('PNG export needs a positive scale and whole-pixel sizes'));
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE)
    return Promise.reject(
      new RangeError(`PNG export of ${width}×${height} px is over ${MAX_PNG_SIDE} px a side`),
    );
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) return Promise.reject(new Error('no 2D canvas context'));
  if (options.background) {
    g.fillStyle = options.background;
    g.fillRect(0, 0, width, height);
  }
  // Centre the padded content in the image, then paint in board units.
  const offsetX = (width - contentWidth * scale) / 2 + (padding - box.minX) * scale;
  const offsetY = (height - contentHeight * scale) / 2 + (padding - box.minY) * scale;
  g.setTransform(scale, 0, 0, scale, offsetX, offsetY);
  for (const element of elements)
    drawElement(g, element, elementGeometry(element, newPath), ctx.images ?? null);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

/** The board (or the selection) as a board file. */
export function exportBoardJson(ctx: ToolContext, options: ExportOptions = {}): BoardJSON {
  return boardToJSON(exportedElements(ctx, options));
}

/**
 * Adds a board file's elements with new ids, on top of everything, centred on `at` (board units;
 * default the centre of the view), as one undo step, and selects them. Throws BoardJSONError for a
 * file that does not read.
 */
export function importBoardJson(ctx: ToolContext, input: unknown, at?: Point): ElementId[] {
  // Groups in the file stay groups among the new elements, apart from any already here.
  // Frames first: a member is placed against its frame, which must be there already.
  const read = withNewGroups(elementsFromJSON(input));
  const inits = [
    ...read.filter((init) => init.kind === 'frame'),
    ...read.filter((init) => init.kind !== 'frame'),
  ];
  if (inits.length === 0) return [];
  // Read them once in a scratch doc, for their bounds with every default filled in.
  const scratch = createBoardDoc();
  const scratchIds = inits.map((init) => addElement(scratch, init));
  const box = boundsOfElements(scratchIds.map((id) => getElement(scratch, id)!))!;
  scratch.destroy();
  const from = center(box);
  const to = at ?? ctx.viewport.toBoard({ x: ctx.viewport.width / 2, y: ctx.viewport.height / 2 });
  const top = ctx.scene.topEntry()?.element.z ?? null;
  const keys = keysAt(top ? [top] : [], top ? 1 : 0, inits.length);
  const placed = inits.map((init, i) => ({
    ...init,
    x: (init.x ?? 0) + to.x - from.x,
    y: (init.y ?? 0) + to.y - from.y,
    z: keys[i]!,
  }));
  // Every value was checked when read; only the move can take one out of range. Checked before
  // anything is written, so an import lands whole or not at all.
  if (placed.some((init) => !(Math.abs(init.x) <= MAX_COORDINATE && Math.abs(init.y) <= MAX_COORDINATE)))
    throw new BoardJSONError('the elements would land outside the board (beyond ±1e9 units)');
  const ids: ElementId[] = [];
  ctx.doc.transact(() => {
    for (const init of placed) ids.push(addElement(ctx.doc, init, ctx.origin));
  }, ctx.origin);
  ctx.selection.clear();
  for (const id of ids) ctx.selection.add(id);
  ctx.selectionChanged();
  return ids;
}
