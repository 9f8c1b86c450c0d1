import {
  type BoardElement,
  type ElementGeometry,
  type ElementOf,
  elementAlpha,
  elementRotation,
  FONT_FAMILY,
  FRAME_NAME_SIZE,
  IMAGE_PLACEHOLDER,
  LABEL_HALO,
  LABEL_HALO_WIDTH,
  LINE_HEIGHT,
  layoutText,
  STICKY_FILL,
  STICKY_SHADOW,
} from '@inkroom/shared';
import type { ImageSource } from './Renderer.js';

/** An element's geometry as canvas paths, built once per element version. */
export type ElementPaths = ElementGeometry<Path2D>;

export const newPath = () => new Path2D();

/** A 2D context on a page's canvas or an offscreen one (the scene's tiles). */
export type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * A pen stroke narrower than this on screen, in device pixels, is drawn as a smooth line through
 * its points (about half the cost of its outline, and alike at that size); narrower than one
 * pixel, as a one-pixel line faded to its width (a fifth of the cost).
 */
const CENTERLINE_PX = 2;

/** Whether `element` is drawn as a line through its points at `scale` (its outline is not needed). */
export function drawnAsCenterline(element: BoardElement, scale: number | null): boolean {
  return (
    scale !== null &&
    element.kind === 'stroke' &&
    element.brush === 'pen' &&
    element.strokeWidth * 2 * scale < CENTERLINE_PX
  );
}

/** A pen stroke as a line through its points, at most one every two device pixels. */
function drawCenterline(ctx: Canvas2D, element: ElementOf<'stroke'>, scale: number): void {
  const across = element.strokeWidth * 2 * scale;
  const { xy } = element.points;
  if (xy.length < 2) return;
  const step = 2 / scale;
  const firstX = xy[0]! + element.x;
  const firstY = xy[1]! + element.y;
  let lastX = firstX;
  let lastY = firstY;
  let moved = false;
  ctx.beginPath();
  ctx.moveTo(firstX, firstY);
  for (let i = 2; i < xy.length; i += 2) {
    const x = xy[i]! + element.x;
    const y = xy[i + 1]! + element.y;
    const last = i >= xy.length - 2;
    if (!last && Math.abs(x - lastX) < step && Math.abs(y - lastY) < step) continue;
    // Curves through the midpoints, as the outline is traced: no corners at the points.
    if (last) ctx.lineTo(x, y);
    else ctx.quadraticCurveTo(lastX, lastY, (lastX + x) / 2, (lastY + y) / 2);
    moved ||= x !== firstX || y !== firstY;
    lastX = x;
    lastY = y;
  }
  if (across < 1) ctx.globalAlpha *= across;
  if (!moved) {
    // A dot (a tap of the pen): a line through one point draws nothing.
    ctx.beginPath();
    ctx.arc(firstX, firstY, Math.max(across, 1) / scale / 2, 0, Math.PI * 2);
    ctx.fillStyle = element.strokeColor;
    ctx.fill();
    return;
  }
  ctx.strokeStyle = element.strokeColor;
  ctx.lineWidth = Math.max(across, 1) / scale;
  ctx.stroke();
}

/** The size of the text an element shows (a frame's name, a note's text, a label), or null for none. */
export function textSize(element: BoardElement): number | null {
  if (element.kind === 'frame') return element.name === '' ? null : FRAME_NAME_SIZE;
  return 'text' in element && element.text !== '' ? element.fontSize : null;
}

function drawText(ctx: Canvas2D, element: BoardElement): void {
  const size = textSize(element);
  if (size === null) return;
  ctx.font = `${size}px ${FONT_FAMILY}`;
  // The font is set once for the element: the measure ignores the size it is given.
  const layout = layoutText(element, (text) => ctx.measureText(text).width);
  if (!layout) return;
  ctx.textBaseline = 'top';
  ctx.fillStyle = layout.color;
  ctx.textAlign = layout.align;
  if (layout.halo) {
    // The line under a label is covered, spaces between words included.
    ctx.fillStyle = LABEL_HALO;
    const pad = layout.fontSize * LABEL_HALO_WIDTH;
    for (const line of layout.lines) {
      const width = ctx.measureText(line.text).width;
      ctx.fillRect(layout.x - width / 2 - pad, line.y, width + pad * 2, layout.fontSize * LINE_HEIGHT);
    }
    ctx.fillStyle = layout.color;
  }
  for (const line of layout.lines) ctx.fillText(line.text, layout.x, line.y);
}

/** A small picture mark (a frame, a sun, a hill) in the middle of an image's placeholder. */
function drawPictureMark(ctx: Canvas2D, element: BoardElement): void {
  const size = Math.min(48, element.width / 2, element.height / 2);
  if (size < 8) return;
  const x = element.x + element.width / 2 - size / 2;
  const y = element.y + element.height / 2 - size / 2;
  ctx.strokeStyle = '#adb5bd';
  ctx.lineWidth = Math.max(1, size / 16);
  ctx.strokeRect(x, y, size, size);
  ctx.beginPath();
  ctx.arc(x + size * 0.68, y + size * 0.32, size * 0.1, 0, Math.PI * 2);
  ctx.moveTo(x, y + size * 0.85);
  ctx.lineTo(x + size * 0.35, y + size * 0.5);
  ctx.lineTo(x + size * 0.6, y + size * 0.75);
  ctx.lineTo(x + size * 0.75, y + size * 0.6);
  ctx.lineTo(x + size, y + size * 0.85);
  ctx.stroke();
}

/**
 * Paints one element in board coordinates (the context is already set to the viewport), with
 * the paint rules SVG export shares (packages/shared render/paint.ts).
 */
export function drawElement(
  ctx: Canvas2D,
  element: BoardElement,
  paths: ElementPaths,
  images: ImageSource | null = null,
  /** Device pixels per board unit, when thin pen strokes may be drawn simpler (see CENTERLINE_PX). */
  scale: number | null = null,
): void {
  ctx.save();
  ctx.globalAlpha = elementAlpha(element);
  const rotation = elementRotation(element);
  if (rotation) {
    ctx.translate(rotation.cx, rotation.cy);
    ctx.rotate(rotation.angle);
    ctx.translate(-rotation.cx, -rotation.cy);
  }
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  switch (element.kind) {
    case 'stroke':
      if (scale !== null && drawnAsCenterline(element, scale)) {
        drawCenterline(ctx, element, scale);
        break;
      }
      ctx.fillStyle = element.strokeColor;
      if (paths.body) ctx.fill(paths.body);
      break;
    case 'line':
    case 'arrow':
      ctx.strokeStyle = element.strokeColor;
      ctx.lineWidth = element.strokeWidth;
      if (paths.outline) ctx.stroke(paths.outline);
      for (const head of paths.heads) ctx.stroke(head);
      drawText(ctx, element);
      break;
    case 'rectangle':
    case 'ellipse':
    case 'frame':
      if (element.fill !== 'none' && paths.body) {
        ctx.fillStyle = element.fill;
        ctx.fill(paths.body);
      }
      if (element.strokeWidth > 0 && paths.outline) {
        ctx.strokeStyle = element.strokeColor;
        ctx.lineWidth = element.strokeWidth;
        ctx.stroke(paths.outline);
      }
      drawText(ctx, element);
      break;
    case 'sticky':
      ctx.shadowColor = `rgba(0, 0, 0, ${STICKY_SHADOW.opacity})`;
      ctx.shadowBlur = STICKY_SHADOW.blur;
      ctx.shadowOffsetY = STICKY_SHADOW.offsetY;
      ctx.fillStyle = element.fill === 'none' ? STICKY_FILL : element.fill;
      if (paths.body) ctx.fill(paths.body);
      ctx.shadowColor = 'transparent';
      drawText(ctx, element);
      break;
    case 'text':
      drawText(ctx, element);
      break;
    case 'image': {
      const bitmap = element.asset ? (images?.bitmap(element.asset) ?? null) : null;
      if (bitmap && element.crop) {
        const { crop } = element;
        const w = 'width' in bitmap ? Number(bitmap.width) : element.naturalWidth;
        const h = 'height' in bitmap ? Number(bitmap.height) : element.naturalHeight;
        ctx.drawImage(
          bitmap,
          crop.x * w,
          crop.y * h,
          crop.width * w,
          crop.height * h,
          element.x,
          element.y,
          element.width,
          element.height,
        );
      } else if (bitmap) ctx.drawImage(bitmap, element.x, element.y, element.width, element.height);
      else {
        // Loading, or not to be had: a placeholder, never a broken board.
        ctx.fillStyle = IMAGE_PLACEHOLDER;
        if (paths.body) ctx.fill(paths.body);
        drawPictureMark(ctx, element);
      }
      break;
    }
  }
  ctx.restore();
}
