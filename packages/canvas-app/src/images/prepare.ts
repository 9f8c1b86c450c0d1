import { type ImageType, sniffImageType } from '@inkroom/shared';

/** An image file made ready for a board: its bytes, type and size in pixels. */
export interface PreparedImage {
  readonly bytes: Uint8Array;
  readonly type: ImageType;
  readonly width: number;
  readonly height: number;
}

/** Thrown for a file the board does not take; its message says why, for the person. */
export class ImageRefused extends Error {
  override readonly name = 'ImageRefused';
}

/**
 * Reads a file for the board: PNG, JPEG, GIF or WebP (SVG and anything else are refused: an SVG
 * can carry scripts), its size read by decoding it, and one larger than `maxSize` pixels on its
 * longer side drawn smaller first (JPEG stays JPEG; the others become PNG), so that a phone
 * photo does not cost the room 8 MB.
 */
export async function prepareImage(file: Blob, maxSize: number): Promise<PreparedImage> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffImageType(bytes);
  if (!type)
    throw new ImageRefused(
      file.type === 'image/svg+xml'
        ? 'SVG images are not taken (they can carry scripts): export it as PNG first'
        : 'only PNG, JPEG, GIF and WebP images can be added',
    );
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BufferSource], { type }));
  } catch {
    throw new ImageRefused('the image does not decode');
  }
  const { width, height } = bitmap;
  const scale = Math.min(1, maxSize / Math.max(width, height));
  if (scale === 1) {
    bitmap.close();
    return { bytes, type, width, height };
  }
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const outType: ImageType = type === 'image/jpeg' ? 'image/jpeg' : 'image/png';
  const blob = await canvas.convertToBlob({ type: outType, quality: 0.9 });
  return { bytes: new Uint8Array(await blob.arrayBuffer()), type: outType, width: w, height: h };
}
