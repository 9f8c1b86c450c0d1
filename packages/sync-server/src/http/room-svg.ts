import { createBoardDoc, isColor, listElements, renderSvg } from '@inkroom/shared';
import * as Y from 'yjs';

export interface PreviewError {
  status: number;
  error: string;
}

/**
 * A room's board as SVG, drawn by the board's own renderer (packages/shared). Query parameters:
 * `background` (a colour, or `transparent`; default white) and `padding` (board units, 0–1000).
 */
export async function roomSvg(
  readRoom: (roomName: string) => Promise<Uint8Array | null>,
  roomName: string,
  query: URLSearchParams,
): Promise<{ svg: string } | PreviewError> {
  const background = query.get('background') ?? '#ffffff';
  if (background !== 'transparent' && !isColor(background))
    return { status: 400, error: 'background must be a #rrggbb colour or "transparent"' };
  const padding = Number(query.get('padding') ?? 16);
  if (!Number.isFinite(padding) || padding < 0 || padding > 1000)
    return { status: 400, error: 'padding must be a number from 0 to 1000' };
  const update = await readRoom(roomName);
  if (!update) return { status: 400, error: 'not a valid room name' };
  const doc = createBoardDoc();
  try {
    Y.applyUpdate(doc, update);
    return {
      svg: renderSvg(listElements(doc), {
        background: background === 'transparent' ? null : background,
        padding,
      }),
    };
  } finally {
    doc.destroy();
  }
}
