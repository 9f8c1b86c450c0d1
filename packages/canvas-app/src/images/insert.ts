import { addElement, type ElementId, type Point } from '@inkroom/shared';
import { topKey } from '../tools/order.js';
import type { ToolContext } from '../tools/Tool.js';
import { prepareImage } from './prepare.js';

/** The longer side of an image as first placed, in board units (it can be resized after). */
const PLACED_SIZE = 640;
/** Space between images placed side by side. */
const GAP = 16;

/**
 * Adds image files to the board around `at` (side by side), on top, as one undo step, and selects
 * them; each is added to the room's images (uploaded now, or when the server is back). Throws
 * ImageRefused for a file the board does not take (none is added then).
 */
export async function insertImages(
  ctx: ToolContext,
  files: readonly Blob[],
  at: Point,
  maxSize: number,
): Promise<ElementId[]> {
  const images = ctx.images;
  if (!images) throw new Error('this board cannot hold images');
  const prepared = await Promise.all(files.map((file) => prepareImage(file, maxSize)));
  const hashes = await Promise.all(prepared.map((image) => images.add(image.bytes, image.type)));
  const sizes = prepared.map(({ width, height }) => {
    const scale = Math.min(1, PLACED_SIZE / Math.max(width, height));
    return { width: width * scale, height: height * scale };
  });
  const total = sizes.reduce((sum, size) => sum + size.width, 0) + GAP * (sizes.length - 1);
  let x = at.x - total / 2;
  const ids: ElementId[] = [];
  ctx.doc.transact(() => {
    prepared.forEach((image, i) => {
      const { width, height } = sizes[i]!;
      ids.push(
        addElement(
          ctx.doc,
          {
            kind: 'image',
            x,
            y: at.y - height / 2,
            width,
            height,
            asset: hashes[i]!,
            naturalWidth: image.width,
            naturalHeight: image.height,
            author: ctx.author,
            z: topKey(ctx),
          },
          ctx.origin,
        ),
      );
      x += width + GAP;
    });
  }, ctx.origin);
  ctx.selection.clear();
  for (const id of ids) ctx.selection.add(id);
  ctx.selectionChanged();
  return ids;
}
