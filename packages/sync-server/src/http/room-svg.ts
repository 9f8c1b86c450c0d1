import { createHash } from 'node:crypto';
import {
  createBoardDoc,
  type ElementId,
  frameContents,
  isColor,
  listElements,
  RENDERER_VERSION,
  type SvgOptions,
  svgChunks,
} from '@inkroom/shared';
import * as Y from 'yjs';
import type { PreviewLimits } from '../config.js';

export interface PreviewError {
  status: number;
  error: string;
}

/** Thrown when too many drawings are under way. */
export class PreviewBusyError extends Error {
  override readonly name = 'PreviewBusyError';
}

export interface Preview {
  /** Changes whenever the room or the options do (a strong ETag, quoted). */
  etag: string;
  /** Draws the SVG, or takes it from the cache (only called when the body is wanted). */
  render(): Promise<string>;
}

/** Longest the server draws before letting other work (sync, other requests) run. */
const SLICE_MS = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Draws rooms as SVG with the board's own renderer (packages/shared). Query parameters:
 * `background` (a colour, or `transparent`; default white) and `padding` (board units, 0–1000).
 * Drawing yields to the event loop every few milliseconds; the last few drawings are kept by
 * ETag, so a preview asked for again (a chat unfurling a link) costs a hash, not a render.
 */
export class RoomPreviews {
  /** Finished drawings, or the refusal of a board too large, by ETag, oldest first. */
  private readonly cache = new Map<string, { svg: string } | { tooLarge: string }>();
  private cachedBytes = 0;
  private readonly drawing = new Map<string, Promise<string>>();

  constructor(
    private readonly readRoom: (roomName: string) => Promise<Uint8Array | null>,
    private readonly limits: PreviewLimits,
    /** Told how long each drawing took (for metrics). */
    private readonly drawn: (seconds: number) => void = () => {},
  ) {}

  /**
   * Reads the room (or, with `read`, what to draw of it: one of its versions) and what the query
   * asks for; the drawing is made only if `render` is called.
   */
  async prepare(
    roomName: string,
    query: URLSearchParams,
    read: () => Promise<Uint8Array | null> = () => this.readRoom(roomName),
    /** Draw only this frame and its members, framed by it. */
    frame: string | null = null,
  ): Promise<Preview | PreviewError> {
    const background = query.get('background') ?? '#ffffff';
    if (background !== 'transparent' && !isColor(background))
      return { status: 400, error: 'background must be a #rrggbb colour or "transparent"' };
    // A frame is drawn to its edges; a board with a margin.
    const padding = Number(query.get('padding') ?? (frame === null ? 16 : 0));
    if (!Number.isInteger(padding) || padding < 0 || padding > 1000)
      return { status: 400, error: 'padding must be a whole number from 0 to 1000' };
    const update = await read();
    if (!update) return { status: 400, error: 'not a valid room name' };
    // The room's name is in the drawing too: its images are linked by their room's path.
    const options = `\u0000${RENDERER_VERSION}\u0000${background}\u0000${padding}\u0000${roomName}\u0000${frame ?? ''}`;
    const assetUrl = (hash: string) => `/api/rooms/${encodeURIComponent(roomName)}/assets/${hash}`;
    const etag = `"${createHash('sha1').update(update).update(options).digest('base64url')}"`;
    return {
      etag,
      render: () =>
        this.render(etag, () =>
          draw(
            update,
            { background: background === 'transparent' ? null : background, padding, assetUrl },
            this.limits,
            frame,
          ),
        ),
    };
  }

  private async render(etag: string, drawNow: () => Promise<string>) {
    const kept = this.cache.get(etag);
    if (kept && 'svg' in kept) return kept.svg;
    if (kept) throw new PreviewTooLargeError(kept.tooLarge);
    // The same drawing asked for twice at once is drawn once.
    let drawing = this.drawing.get(etag);
    if (!drawing) {
      if (this.drawing.size >= this.limits.previewConcurrency)
        throw new PreviewBusyError('previews are busy');
      const started = performance.now();
      drawing = drawNow();
      this.drawing.set(etag, drawing);
      drawing
        .then(
          (svg) => {
            this.drawn((performance.now() - started) / 1000);
            this.keep(etag, { svg }, svg.length * 2);
          },
          (error: unknown) => {
            if (error instanceof PreviewTooLargeError) this.keep(etag, { tooLarge: error.message }, 0);
          },
        )
        .finally(() => this.drawing.delete(etag));
    }
    return drawing;
  }

  private keep(etag: string, entry: { svg: string } | { tooLarge: string }, bytes: number): void {
    if (bytes > this.limits.previewCacheBytes / 4) return;
    this.cache.set(etag, entry);
    this.cachedBytes += bytes;
    for (const [key, old] of this.cache) {
      if (this.cachedBytes <= this.limits.previewCacheBytes) break;
      this.cache.delete(key);
      if ('svg' in old) this.cachedBytes -= old.svg.length * 2;
    }
  }
}

/** Thrown for a board too large to draw. */
export class PreviewTooLargeError extends Error {
  override readonly name = 'PreviewTooLargeError';
}

/** Thrown when the frame asked for is not on the board. */
export class NoSuchFrameError extends Error {
  override readonly name = 'NoSuchFrameError';
}

async function draw(
  update: Uint8Array,
  options: SvgOptions,
  { previewMaxElements, previewMaxBytes }: PreviewLimits,
  frame: string | null,
): Promise<string> {
  const doc = createBoardDoc();
  try {
    Y.applyUpdate(doc, update);
    let elements = listElements(doc);
    if (frame !== null) {
      elements = frameContents(elements, frame as ElementId);
      if (!elements.some((element) => element.id === frame && element.kind === 'frame'))
        throw new NoSuchFrameError('no such frame on the board');
    }
    if (elements.length > previewMaxElements)
      throw new PreviewTooLargeError(
        `the board has ${elements.length} elements; previews stop at ${previewMaxElements}`,
      );
    const parts: string[] = [];
    let bytes = 0;
    let sliceStart = performance.now();
    for (const part of svgChunks(elements, options)) {
      parts.push(part);
      bytes += part.length;
      if (bytes > previewMaxBytes)
        throw new PreviewTooLargeError(`the board's SVG would be over ${previewMaxBytes} bytes`);
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
