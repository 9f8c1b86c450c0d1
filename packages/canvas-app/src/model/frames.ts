import {
  type BoardElement,
  type Bounds,
  compareOrder,
  type ElementId,
  keysBetween,
  type OrderKey,
  setElementField,
} from '@inkroom/shared';
import type { SceneEntry, SceneIndex } from '../scene/SceneIndex.js';
import type { ToolContext } from '../tools/Tool.js';

/** The board's frames, in their order (their `z` among frames: the presentation's order). */
export function framesInOrder(scene: SceneIndex): SceneEntry[] {
  return scene
    .all()
    .filter((entry) => entry.element.kind === 'frame')
    .sort((a, b) => compareOrder(a.element, b.element));
}

const centreOf = (box: Bounds) => ({ x: (box.minX + box.maxX) / 2, y: (box.minY + box.maxY) / 2 });

/** The front-most frame whose area holds the centre of `box`, or null. */
export function frameAround(scene: SceneIndex, box: Bounds, except?: ElementId): ElementId | null {
  const { x, y } = centreOf(box);
  const around = scene
    .search({ minX: x, minY: y, maxX: x, maxY: y })
    .filter(({ id, element }) => id !== except && element.kind === 'frame' && inside(element, x, y));
  return around.at(-1)?.id ?? null;
}

function inside(frame: BoardElement, x: number, y: number): boolean {
  return x >= frame.x && x <= frame.x + frame.width && y >= frame.y && y <= frame.y + frame.height;
}

/**
 * Puts elements in the frame their centre is now in, or takes them out of the one they left
 * (frames themselves belong to none). Returns how many changed.
 */
export function settleFrames(ctx: ToolContext, ids: Iterable<ElementId>): number {
  let changed = 0;
  ctx.doc.transact(() => {
    for (const id of ids) {
      const entry = ctx.scene.get(id);
      if (!entry || entry.element.kind === 'frame') continue;
      const frame = frameAround(ctx.scene, entry, id);
      if (frame === entry.element.frame) continue;
      setElementField(ctx.doc, id, 'frame', frame, ctx.origin);
      changed++;
    }
  }, ctx.origin);
  return changed;
}

/**
 * The z key of a new frame: just after the last frame, so that it comes last in the frames'
 * order (the presentation's), and under whatever came after that frame; under everything on a
 * board without frames. Frames are drawn without a fill, so a frame over an element hides nothing.
 */
export function nextFrameKey(scene: SceneIndex): OrderKey {
  const entries = scene.all();
  let lastFrame: OrderKey | null = null;
  for (const { element } of entries)
    if (element.kind === 'frame' && (lastFrame === null || element.z > lastFrame)) lastFrame = element.z;
  let above: OrderKey | null = null;
  for (const { element } of entries) {
    const after = lastFrame === null || element.z > lastFrame;
    if (after && element.kind !== 'frame' && (above === null || element.z < above)) above = element.z;
  }
  return keysBetween(lastFrame, above, 1)[0]!;
}
