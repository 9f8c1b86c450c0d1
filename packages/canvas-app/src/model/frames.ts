import {
  addElement,
  type Bounds,
  center,
  compareOrder,
  type ElementId,
  keysBetween,
  type OrderKey,
  setElementField,
} from '@inkroom/shared';
import type { SceneEntry, SceneIndex } from '../scene/SceneIndex.js';
import type { ToolContext } from '../tools/Tool.js';
import { insideShape } from './hit-test.js';

/** The board's frames, in their order (their `z` among frames: the presentation's order). */
export function framesInOrder(scene: SceneIndex): SceneEntry[] {
  return [...scene.unordered()]
    .filter((entry) => entry.element.kind === 'frame')
    .sort((a, b) => compareOrder(a.element, b.element));
}

/** The front-most frame whose area holds the centre of `box`, or null. */
export function frameAround(scene: SceneIndex, box: Bounds, except?: ElementId): ElementId | null {
  const at = center(box);
  const around = scene
    .search({ minX: at.x, minY: at.y, maxX: at.x, maxY: at.y })
    .filter(({ id, element }) => id !== except && element.kind === 'frame' && insideShape(element, at));
  return around.at(-1)?.id ?? null;
}

/**
 * Makes a frame over `box`, named in the board's language and last in the frames' order, and
 * takes in what it covers (the frame tool and the keyboard both make frames this way).
 */
export function makeFrame(
  ctx: ToolContext,
  box: { x: number; y: number; width: number; height: number },
): ElementId {
  let frames = 0;
  for (const { element } of ctx.scene.unordered()) if (element.kind === 'frame') frames++;
  const name = ctx.translator.t('frames.defaultName', { number: frames + 1 });
  const id = addElement(
    ctx.doc,
    { kind: 'frame', ...box, name, author: ctx.author, z: nextFrameKey(ctx.scene) },
    ctx.origin,
  );
  const covered = ctx.scene
    .search({ minX: box.x, minY: box.y, maxX: box.x + box.width, maxY: box.y + box.height })
    .filter((entry) => entry.id !== id && entry.element.kind !== 'frame');
  settleFrames(
    ctx,
    covered.map((entry) => entry.id),
  );
  return id;
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
  const entries = [...scene.unordered()];
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
