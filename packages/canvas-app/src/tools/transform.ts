import {
  type BoardElement,
  type Bounds,
  boundsOfPoints,
  type ElementId,
  type Point,
  type PointList,
  setElementField,
  updateElement,
} from '@inkroom/shared';
import type { ToolContext } from './Tool.js';

/** The box an element's geometry spans (no stroke width, no rotation): what resizing scales. */
export function geometryBox(element: BoardElement): Bounds {
  if ('points' in element) return boundsOfPoints(element.points, element.x, element.y);
  return {
    minX: element.x,
    minY: element.y,
    maxX: element.x + element.width,
    maxY: element.y + element.height,
  };
}

export type Corner = 'nw' | 'ne' | 'sw' | 'se';
export const CORNERS: readonly Corner[] = ['nw', 'ne', 'sw', 'se'];

export function cornerPoint(box: Bounds, corner: Corner): Point {
  return { x: corner.includes('w') ? box.minX : box.maxX, y: corner.includes('n') ? box.minY : box.maxY };
}

function opposite(corner: Corner): Corner {
  return ((corner[0] === 'n' ? 's' : 'n') + (corner[1] === 'w' ? 'e' : 'w')) as Corner;
}

/**
 * Where the rotate handle sits: a fixed screen distance above the middle of the top edge, turned
 * with the element.
 */
export function rotateHandle(box: Bounds, zoom: number, rotation = 0): Point {
  const center = { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 };
  return rotatePoint({ x: center.x, y: box.minY - 24 / zoom }, center, rotation);
}

function scalePoints(points: PointList, sx: number, sy: number): PointList {
  const xy = new Float32Array(points.xy.length);
  for (let i = 0; i < xy.length; i += 2) {
    xy[i] = points.xy[i]! * sx;
    xy[i + 1] = points.xy[i + 1]! * sy;
  }
  return points.precision === undefined
    ? { xy, pressure: points.pressure }
    : { xy, pressure: points.pressure, precision: points.precision };
}

/**
 * A resize in progress: the elements as they were when it began, scaled about the corner
 * opposite the dragged one. Each move rewrites the elements from those originals, so rounding
 * never accumulates.
 */
export class Resize {
  private readonly anchor: Point;
  private readonly handle: Point;
  /** Images keep their proportions unless Shift is held (the other way round from shapes). */
  private readonly imagesInside: boolean;

  constructor(
    private readonly originals: ReadonlyMap<ElementId, BoardElement>,
    box: Bounds,
    corner: Corner,
  ) {
    this.anchor = cornerPoint(box, opposite(corner));
    this.handle = cornerPoint(box, corner);
    this.imagesInside = [...originals.values()].some((element) => element.kind === 'image');
  }

  apply(to: Point, keepAspect: boolean, ctx: ToolContext): void {
    const w = this.handle.x - this.anchor.x || 1;
    const h = this.handle.y - this.anchor.y || 1;
    let sx = Math.max(0.02, (to.x - this.anchor.x) / w);
    let sy = Math.max(0.02, (to.y - this.anchor.y) / h);
    if (keepAspect !== this.imagesInside) sx = sy = Math.max(sx, sy);
    const ax = this.anchor.x;
    const ay = this.anchor.y;
    ctx.doc.transact(() => {
      for (const [id, element] of this.originals) {
        const x = ax + (element.x - ax) * sx;
        const y = ay + (element.y - ay) * sy;
        if ('points' in element) {
          updateElement(
            ctx.doc,
            id,
            element.kind,
            { x, y, points: scalePoints(element.points, sx, sy) },
            ctx.origin,
          );
        } else if (element.kind === 'text') {
          const s = Math.min(sx, sy);
          updateElement(
            ctx.doc,
            id,
            'text',
            {
              x,
              y,
              width: element.width * s,
              height: element.height * s,
              fontSize: Math.max(1, element.fontSize * s),
            },
            ctx.origin,
          );
        } else {
          updateElement(
            ctx.doc,
            id,
            element.kind,
            { x, y, width: element.width * sx, height: element.height * sy },
            ctx.origin,
          );
        }
      }
    }, ctx.origin);
  }
}

/** `p` turned by `angle` about `center`. */
export function rotatePoint(p: Point, center: Point, angle: number): Point {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const dx = p.x - center.x;
  const dy = p.y - center.y;
  return { x: center.x + dx * cos - dy * sin, y: center.y + dx * sin + dy * cos };
}

/**
 * A rotation in progress of one element about its centre: the element turns by as much as the
 * pointer has turned around the centre since the grab. Shift snaps the result to 15°.
 */
export class Rotate {
  private readonly center: Point;
  private readonly grabAngle: number;

  constructor(
    private readonly id: ElementId,
    box: Bounds,
    private readonly initial: number,
    grab: Point,
  ) {
    this.center = { x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 };
    this.grabAngle = Math.atan2(grab.y - this.center.y, grab.x - this.center.x);
  }

  apply(to: Point, snap: boolean, ctx: ToolContext): void {
    let angle = this.initial + Math.atan2(to.y - this.center.y, to.x - this.center.x) - this.grabAngle;
    if (snap) angle = Math.round(angle / (Math.PI / 12)) * (Math.PI / 12);
    // Keep it in (-π, π], so the stored value stays small.
    angle = Math.atan2(Math.sin(angle), Math.cos(angle));
    setElementField(ctx.doc, this.id, 'rotation', angle, ctx.origin);
  }
}

type ImageElement = Extract<BoardElement, { kind: 'image' }>;

/** The whole picture of an image, on the board: where its crop is a part of (unrotated). */
export function pictureFrame(image: ImageElement): Bounds {
  const crop = image.crop ?? { x: 0, y: 0, width: 1, height: 1 };
  const width = image.width / crop.width;
  const height = image.height / crop.height;
  const minX = image.x - crop.x * width;
  const minY = image.y - crop.y * height;
  return { minX, minY, maxX: minX + width, maxY: minY + height };
}

/**
 * A crop in progress: the dragged corner of an image's box moves over its picture, which stays
 * where it is; the box never leaves the picture.
 */
export class Crop {
  private readonly frame: Bounds;
  private readonly anchor: Point;

  constructor(
    private readonly image: ImageElement,
    corner: Corner,
  ) {
    this.frame = pictureFrame(image);
    this.anchor = cornerPoint(geometryBox(image), opposite(corner));
  }

  apply(to: Point, _keepAspect: boolean, ctx: ToolContext): void {
    const { frame, anchor } = this;
    const min = 4 / ctx.viewport.zoom;
    const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));
    const x = clamp(to.x, frame.minX, frame.maxX);
    const y = clamp(to.y, frame.minY, frame.maxY);
    const box = {
      minX: Math.min(x, anchor.x),
      minY: Math.min(y, anchor.y),
      maxX: Math.max(Math.max(x, anchor.x), Math.min(x, anchor.x) + min),
      maxY: Math.max(Math.max(y, anchor.y), Math.min(y, anchor.y) + min),
    };
    const width = frame.maxX - frame.minX;
    const height = frame.maxY - frame.minY;
    const fraction = (v: number) => clamp(v, 0, 1);
    const crop = {
      x: fraction((box.minX - frame.minX) / width),
      y: fraction((box.minY - frame.minY) / height),
      width: 0,
      height: 0,
    };
    crop.width = clamp((box.maxX - box.minX) / width, 1e-6, 1 - crop.x);
    crop.height = clamp((box.maxY - box.minY) / height, 1e-6, 1 - crop.y);
    updateElement(
      ctx.doc,
      this.image.id,
      'image',
      {
        x: frame.minX + crop.x * width,
        y: frame.minY + crop.y * height,
        width: crop.width * width,
        height: crop.height * height,
        crop,
      },
      ctx.origin,
    );
  }
}
