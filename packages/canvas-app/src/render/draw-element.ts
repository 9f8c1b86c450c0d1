import type { BoardElement } from '@inkroom/shared';
import type { ElementPaths } from './paths.js';

export const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const STICKY_PADDING = 12;

/** Lines of `text` that fit `maxWidth` at the context's current font (words are not split). */
export function wrapText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && ctx.measureText(candidate).width > maxWidth) {
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

function drawText(
  ctx: CanvasRenderingContext2D,
  element: BoardElement & { text: string; fontSize: number },
  inset: number,
): void {
  ctx.font = `${element.fontSize}px ${FONT_FAMILY}`;
  ctx.textBaseline = 'top';
  ctx.fillStyle = element.strokeColor;
  const lineHeight = element.fontSize * 1.25;
  const width = Math.max(1, element.width - inset * 2);
  const align = element.kind === 'text' ? element.align : 'left';
  ctx.textAlign = align;
  const x =
    align === 'center'
      ? element.x + element.width / 2
      : align === 'right'
        ? element.x + element.width - inset
        : element.x + inset;
  const lines = element.kind === 'sticky' ? wrapText(ctx, element.text, width) : element.text.split('\n');
  lines.forEach((line, i) => {
    ctx.fillText(line, x, element.y + inset + i * lineHeight);
  });
}

/** Paints one element in board coordinates (the context is already set to the viewport). */
export function drawElement(ctx: CanvasRenderingContext2D, element: BoardElement, paths: ElementPaths): void {
  ctx.save();
  ctx.globalAlpha =
    element.opacity * (element.kind === 'stroke' && element.brush === 'highlighter' ? 0.4 : 1);
  if (element.rotation !== 0 && !('points' in element)) {
    const cx = element.x + element.width / 2;
    const cy = element.y + element.height / 2;
    ctx.translate(cx, cy);
    ctx.rotate(element.rotation);
    ctx.translate(-cx, -cy);
  }
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  switch (element.kind) {
    case 'stroke':
      ctx.fillStyle = element.strokeColor;
      if (paths.body) ctx.fill(paths.body);
      break;
    case 'line':
    case 'arrow':
      ctx.strokeStyle = element.strokeColor;
      ctx.lineWidth = element.strokeWidth;
      if (paths.outline) ctx.stroke(paths.outline);
      for (const head of paths.heads) ctx.stroke(head);
      break;
    case 'rectangle':
    case 'ellipse':
      if (element.fill !== 'none' && paths.body) {
        ctx.fillStyle = element.fill;
        ctx.fill(paths.body);
      }
      if (element.strokeWidth > 0 && paths.outline) {
        ctx.strokeStyle = element.strokeColor;
        ctx.lineWidth = element.strokeWidth;
        ctx.stroke(paths.outline);
      }
      break;
    case 'sticky':
      ctx.shadowColor = 'rgba(0, 0, 0, 0.18)';
      ctx.shadowBlur = 8;
      ctx.shadowOffsetY = 3;
      ctx.fillStyle = element.fill === 'none' ? '#ffe066' : element.fill;
      if (paths.body) ctx.fill(paths.body);
      ctx.shadowColor = 'transparent';
      drawText(ctx, element, STICKY_PADDING);
      break;
    case 'text':
      drawText(ctx, element, 0);
      break;
  }
  ctx.restore();
}
