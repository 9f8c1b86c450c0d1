import { getStroke } from 'perfect-freehand';
import type { BoardElement, ElementOf } from '../schema/element-kinds.js';
import type { PointList } from '../schema/points.js';
import type { PathSink } from './path-sink.js';

/** Freehand options per brush: a pen thins with pressure, a highlighter is a flat wide marker. */
export function freehandOptions(brush: 'pen' | 'highlighter', width: number, hasPressure: boolean) {
  return brush === 'highlighter'
    ? { size: width * 4, thinning: 0, smoothing: 0.5, streamline: 0.5, simulatePressure: false }
    : { size: width * 2, thinning: 0.6, smoothing: 0.5, streamline: 0.5, simulatePressure: !hasPressure };
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

/** perfect-freehand's outline as a smooth closed path (quadratic curves through midpoints). */
export function traceOutline<P extends PathSink>(outline: number[][], path: P): P {
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

/**
 * The ink of a freehand stroke as a closed path: one function for committed strokes and strokes
 * in progress (ours and other people's), so a stroke looks the same before and after pen-up.
 * `last` is false while the stroke is still being drawn (its end is not yet final).
 */
export function traceFreehand<P extends PathSink>(
  input: number[][],
  brush: 'pen' | 'highlighter',
  width: number,
  hasPressure: boolean,
  last: boolean,
  path: P,
): P {
  return traceOutline(getStroke(input, { ...freehandOptions(brush, width, hasPressure), last }), path);
}

function traceStroke<P extends PathSink>(element: ElementOf<'stroke'>, path: P): P {
  const input = freehandInput(element.points, element.x, element.y);
  return traceFreehand(
    input,
    element.brush,
    element.strokeWidth,
    element.points.pressure !== null,
    true,
    path,
  );
}

/** A polyline through an element's points (lines and arrows). */
function tracePolyline<P extends PathSink>(element: ElementOf<'line'> | ElementOf<'arrow'>, path: P): P {
  const { xy } = element.points;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i]! + element.x;
    const y = xy[i + 1]! + element.y;
    if (i === 0) path.moveTo(x, y);
    else path.lineTo(x, y);
  }
  return path;
}

/** An arrowhead at the tip, pointing away from `from`. */
function traceArrowhead<P extends PathSink>(
  fromX: number,
  fromY: number,
  tipX: number,
  tipY: number,
  width: number,
  path: P,
): P {
  const angle = Math.atan2(tipY - fromY, tipX - fromX);
  const length = 8 + width * 3;
  path.moveTo(tipX - length * Math.cos(angle - Math.PI / 7), tipY - length * Math.sin(angle - Math.PI / 7));
  path.lineTo(tipX, tipY);
  path.lineTo(tipX - length * Math.cos(angle + Math.PI / 7), tipY - length * Math.sin(angle + Math.PI / 7));
  return path;
}

/** Control-point distance that makes a cubic Bézier a quarter circle (within 0.03 %). */
const KAPPA = 0.5522847498;

function traceEllipse<P extends PathSink>(cx: number, cy: number, rx: number, ry: number, path: P): P {
  const kx = rx * KAPPA;
  const ky = ry * KAPPA;
  path.moveTo(cx + rx, cy);
  path.bezierCurveTo(cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry);
  path.bezierCurveTo(cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy);
  path.bezierCurveTo(cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry);
  path.bezierCurveTo(cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy);
  path.closePath();
  return path;
}

function traceRect<P extends PathSink>(
  x: number,
  y: number,
  w: number,
  h: number,
  radius: number,
  path: P,
): P {
  const r = Math.min(radius, w / 2, h / 2);
  const k = r * (1 - KAPPA);
  path.moveTo(x + r, y);
  path.lineTo(x + w - r, y);
  if (r > 0) path.bezierCurveTo(x + w - k, y, x + w, y + k, x + w, y + r);
  path.lineTo(x + w, y + h - r);
  if (r > 0) path.bezierCurveTo(x + w, y + h - k, x + w - k, y + h, x + w - r, y + h);
  path.lineTo(x + r, y + h);
  if (r > 0) path.bezierCurveTo(x + k, y + h, x, y + h - k, x, y + h - r);
  path.lineTo(x, y + r);
  if (r > 0) path.bezierCurveTo(x, y + k, x + k, y, x + r, y);
  path.closePath();
  return path;
}

function traceShape<P extends PathSink>(
  element:
    | ElementOf<'rectangle'>
    | ElementOf<'ellipse'>
    | ElementOf<'sticky'>
    | ElementOf<'image'>
    | ElementOf<'frame'>,
  path: P,
): P {
  const { x, y, width, height } = element;
  if (element.kind === 'ellipse')
    return traceEllipse(x + width / 2, y + height / 2, width / 2, height / 2, path);
  return traceRect(x, y, width, height, element.kind === 'rectangle' ? element.cornerRadius : 0, path);
}

/**
 * An element's shapes, in board coordinates and before rotation: `body` is filled (freehand
 * ink, shape fills, the sticky note), `outline` and `heads` are stroked.
 */
export interface ElementGeometry<P> {
  readonly body: P | null;
  readonly outline: P | null;
  readonly heads: P[];
}

/** Traces an element's geometry into paths made by `newPath` (Path2D on a canvas, SvgPath for SVG). */
export function elementGeometry<P extends PathSink>(
  element: BoardElement,
  newPath: () => P,
): ElementGeometry<P> {
  switch (element.kind) {
    case 'stroke':
      return { body: traceStroke(element, newPath()), outline: null, heads: [] };
    case 'line':
    case 'arrow': {
      const heads: P[] = [];
      const { xy } = element.points;
      const n = xy.length;
      if (element.kind === 'arrow' && n >= 4) {
        const ox = element.x;
        const oy = element.y;
        const width = element.strokeWidth;
        if (element.arrowEnd)
          heads.push(
            traceArrowhead(
              xy[n - 4]! + ox,
              xy[n - 3]! + oy,
              xy[n - 2]! + ox,
              xy[n - 1]! + oy,
              width,
              newPath(),
            ),
          );
        if (element.arrowStart)
          heads.push(traceArrowhead(xy[2]! + ox, xy[3]! + oy, xy[0]! + ox, xy[1]! + oy, width, newPath()));
      }
      return { body: null, outline: tracePolyline(element, newPath()), heads };
    }
    case 'rectangle':
    case 'ellipse':
    case 'frame':
      return { body: traceShape(element, newPath()), outline: traceShape(element, newPath()), heads: [] };
    case 'sticky':
    case 'image':
      return { body: traceShape(element, newPath()), outline: null, heads: [] };
    case 'text':
      return { body: null, outline: null, heads: [] };
  }
}
