import { createHash } from 'node:crypto';
import { createBoardDoc, isColor, listElements, svgChunks } from '@inkroom/shared';
import * as Y from 'yjs';

export interface PreviewError {
  status: number;
  error: string;
}

export interface Preview {
  /** Changes whenever the room or the options do (a strong ETag, quoted). */
  etag: string;
  /** Draws the SVG, or takes it from the cache (only called when the body is wanted). */
  render(): Promise<string>;
}

/** Boards with more elements than this are not drawn. */
export const MAX_PREVIEW_ELEMENTS = 20_000;
/** Nor those whose SVG would be larger than this (a freehand stroke is a few KB of path data). */
export const MAX_PREVIEW_BYTES = 32 * 2 ** 20;
/** Longest the server draws before letting other work (sync, other requests) run. */
const SLICE_MS = 8;
const CACHE_ENTRIES = 16;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Draws rooms as SVG with the board's own renderer (packages/shared). Query parameters:
 * `background` (a colour, or `transparent`; default white) and `padding` (board units, 0–1000).
 * Drawing yields to the event loop every few milliseconds; the last few drawings are kept by
 * ETag, so a preview asked for again (a chat unfurling a link) costs a hash, not a render.
 */
export class RoomPreviews {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly readRoom: (roomName: string) => Promise<Uint8Array | null>) {}

  async prepare(roomName: string, query: URLSearchParams): Promise<Preview | PreviewError> {
    const background = query.get('background') ?? '#ffffff';
    if (background !== 'transparent' && !isColor(background))
      return { status: 400, error: 'background must be a #rrggbb colour or "transparent"' };
    const padding = Number(query.get('padding') ?? 16);
    if (!Number.isFinite(padding) || padding < 0 || padding > 1000)
      return { status: 400, error: 'padding must be a number from 0 to 1000' };
    const update = await this.readRoom(roomName);
    if (!update) return { status: 400, error: 'not a valid room name' };
    const etag = `"${createHash('sha1').update(update).update(`\u0000${background}\u0000${padding}`).digest('base64url')}"`;
    return {
      etag,
      render: () => {
        let drawing = this.cache.get(etag);
        if (!drawing) {
          drawing = draw(update, background === 'transparent' ? null : background, padding);
          this.keep(etag, drawing);
        }
        return drawing;
      },
    };
  }

  private keep(etag: string, drawing: Promise<string>): void {
    this.cache.set(etag, drawing);
    drawing.catch(() => this.cache.delete(etag));
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
  }
}

/** Thrown for a board too large to draw. */
export class PreviewTooLargeError extends Error {
  override readonly name = 'PreviewTooLargeError';
}

async function draw(update: Uint8Array, background: string | null, padding: number): Promise<string> {
  const doc = createBoardDoc();
  try {
    Y.applyUpdate(doc, update);
    const elements = listElements(doc);
    if (elements.length > MAX_PREVIEW_ELEMENTS)
      throw new PreviewTooLargeError(
        `the board has ${elements.length} elements; previews stop at ${MAX_PREVIEW_ELEMENTS}`,
      );
    const parts: string[] = [];
    let bytes = 0;
    let sliceStart = performance.now();
    for (const part of svgChunks(elements, { background, padding })) {
      parts.push(part);
      bytes += part.length;
      if (bytes > MAX_PREVIEW_BYTES)
        throw new PreviewTooLargeError(`the board's SVG would be over ${MAX_PREVIEW_BYTES / 2 ** 20} MiB`);
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
    return parts.join('');
  } finally {
    doc.destroy();
  }
}
