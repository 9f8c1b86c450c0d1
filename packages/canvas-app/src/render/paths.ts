import type { BoardElement, ElementOf, PointList } from '@inkroom/shared';
import { getStroke } from 'perfect-freehand';

/** Freehand options per brush: a pen thins with pressure, a highlighter is a flat wide marker. */
export function freehandOptions(brush: 'pen' | 'highlighter', width: number, hasPressure: boolean) {
  return brush === 'highlighter'
    ? { size: width * 4, thinning: 0, smoothing: 0.5, streamline: 0.5, simulatePressure: false }
    : { size: width * 2, thinning: 0.6, smoothing: 0.5, streamline: 0.5, simulatePressure: !hasPressure };
}

/** perfect-freehand's outline as a smooth closed path (quadratic curves through midpoints). */
export function outlinePath(outline: number[][], path = new Path2D()): Path2D {
  if (outline.length < 2) return path;
  const first = outline[0]!;
  path.moveTo(first[0]!, first[1]!);
  for (let i = 1; i < outline.length; i++) {
    const [x0, y0] = outline[i]!;
    const [x1, y1] = outline[(i + 1) % outline.length]!;
    path.quadraticCurveTo(x0!, y0!, (x0! + x1!) / 2, (y0! + y1!) / 2);
  }
  path.closePath();
  return path;
}

/** Point tuples in board units for perfect-freehand. */
export function freehandInput(points: PointList, offsetX: number, offsetY: number): number[][] {
  const { xy, pressure } = points;
  const out: number[][] = [];
  for (let i = 0; i < xy.length / 2; i++) {
    out.push([xy[i * 2]! + offsetX, xy[i * 2 + 1]! + offsetY, pressure ? pressure[i]! : 0.5]);
  }
  return out;
}

export function strokePath(element: ElementOf<'stroke'>): Path2D {
  const input = freehandInput(element.points, element.x, element.y);
  const options = freehandOptions(element.brush, element.strokeWidth, element.points.pressure !== null);
  return outlinePath(getStroke(input, { ...options, last: true }));
}

/** A polyline through an element's points (lines and arrows). */
export function polylinePath(element: ElementOf<'line'> | ElementOf<'arrow'>): Path2D {
  const path = new Path2D();
  const { xy } = element.points;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i]! + element.x;
    const y = xy[i + 1]! + element.y;
    if (i === 0) path.moveTo(x, y);
    else path.lineTo(x, y);
  }
  return path;
}

/** An arrowhead at `tip`, pointing away from `from`. */
export function arrowheadPath(
  fromX: number,
  fromY: number,
  tipX: number,
  tipY: number,
  width: number,
): Path2D {
  const angle = Math.atan2(tipY - fromY, tipX - fromX);
  const length = 8 + width * 3;
  const path = new Path2D();
  path.moveTo(tipX - length * Math.cos(angle - Math.PI / 7), tipY - length * Math.sin(angle - Math.PI / 7));
  path.lineTo(tipX, tipY);
  path.lineTo(tipX - length * Math.cos(angle + Math.PI / 7), tipY - length * Math.sin(angle + Math.PI / 7));
  return path;
}

export function shapePath(
  element: ElementOf<'rectangle'> | ElementOf<'ellipse'> | ElementOf<'sticky'>,
): Path2D {
  const path = new Path2D();
  const { x, y, width, height } = element;
  if (element.kind === 'ellipse') {
    path.ellipse(x + width / 2, y + height / 2, width / 2, height / 2, 0, 0, Math.PI * 2);
  } else if (element.kind === 'rectangle' && element.cornerRadius > 0) {
    path.roundRect(x, y, width, height, Math.min(element.cornerRadius, width / 2, height / 2));
  } else {
    path.rect(x, y, width, height);
  }
  return path;
}

/** The cached geometry of an element: what the renderer fills or strokes. */
export interface ElementPaths {
  /** Filled (freehand outlines, arrowheads are stroked separately). */
  readonly body: Path2D | null;
  readonly outline: Path2D | null;
  readonly heads: Path2D[];
}

export function buildPaths(element: BoardElement): ElementPaths {
  switch (element.kind) {
    case 'stroke':
      return { body: strokePath(element), outline: null, heads: [] };
    case 'line':
    case 'arrow': {
      const heads: Path2D[] = [];
      const { xy } = element.points;
      const n = xy.length;
      if (element.kind === 'arrow' && n >= 4) {
        const ox = element.x;
        const oy = element.y;
        if (element.arrowEnd)
          heads.push(
            arrowheadPath(
              xy[n - 4]! + ox,
              xy[n - 3]! + oy,
              xy[n - 2]! + ox,
              xy[n - 1]! + oy,
              element.strokeWidth,
            ),
          );
        if (element.arrowStart)
          heads.push(arrowheadPath(xy[2]! + ox, xy[3]! + oy, xy[0]! + ox, xy[1]! + oy, element.strokeWidth));
      }
      return { body: null, outline: polylinePath(element), heads };
    }
    case 'rectangle':
    case 'ellipse':
    case 'sticky':
      return { body: shapePath(element), outline: shapePath(element), heads: [] };
    case 'text':
      return { body: null, outline: null, heads: [] };
  }
}
