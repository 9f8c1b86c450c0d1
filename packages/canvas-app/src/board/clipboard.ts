import {
  addElement,
  BOARD_JSON_TYPE,
  type ElementId,
  estimateTextWidth,
  FONT_FAMILY,
  LINE_HEIGHT,
  type Point,
} from '@inkroom/shared';
import type { ToolContext } from '../tools/Tool.js';
import { deleteSelection } from './actions.js';
import { exportBoardJson, importBoardJson } from './exporting.js';

/** Longest plain text pasted as one text element. */
const MAX_PASTED_TEXT = 20_000;
const PASTED_FONT_SIZE = 20;

/**
 * The selection as clipboard text: a board file (`type: "inkroom-board"`, versioned), which any
 * Inkroom board, in any tab and on any origin, pastes back with new ids. Null with nothing selected.
 */
export function copySelection(ctx: ToolContext): string | null {
  if (ctx.selection.size === 0) return null;
  return JSON.stringify(exportBoardJson(ctx, { selection: true }));
}

/** Copies the selection, then deletes it (one undo step); locked elements are neither. */
export function cutSelection(ctx: ToolContext): string | null {
  for (const id of [...ctx.selection]) if (ctx.scene.get(id)?.element.locked) ctx.selection.delete(id);
  const text = copySelection(ctx);
  if (text) deleteSelection(ctx);
  return text;
}

/** A board file in clipboard text, or null when the text is something else. */
function boardFileIn(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return value && typeof value === 'object' && value.type === BOARD_JSON_TYPE ? value : null;
  } catch {
    return null;
  }
}

/**
 * Pastes clipboard text at `at` (board units): a board file's elements with new ids, keeping how
 * they sit among themselves, or plain text as a text element. Selects what it added. A board file
 * that does not read throws a BoardJSONError (from `importBoardJson`).
 */
export function pasteText(ctx: ToolContext, text: string, at: Point): ElementId[] {
  const file = boardFileIn(text);
  if (file) return importBoardJson(ctx, file, at);
  const content = text.replace(/\r\n?/g, '\n').slice(0, MAX_PASTED_TEXT);
  if (content.trim() === '') return [];
  const lines = content.split('\n');
  const width = Math.max(40, ...lines.map((line) => textWidth(line) + 8));
  const height = lines.length * PASTED_FONT_SIZE * LINE_HEIGHT;
  const id = addElement(
    ctx.doc,
    {
      kind: 'text',
      text: content,
      x: at.x - width / 2,
      y: at.y - height / 2,
      width,
      height,
      fontSize: PASTED_FONT_SIZE,
      strokeColor: ctx.style.strokeColor,
      author: ctx.author,
      z: ctx.scene.topKey(),
    },
    ctx.origin,
  );
  ctx.selection.clear();
  ctx.selection.add(id);
  ctx.selectionChanged();
  return [id];
}

let measure: CanvasRenderingContext2D | null = null;

function textWidth(line: string): number {
  if (typeof document !== 'undefined') measure ??= document.createElement('canvas').getContext('2d');
  if (!measure) return estimateTextWidth(line, PASTED_FONT_SIZE);
  measure.font = `${PASTED_FONT_SIZE}px ${FONT_FAMILY}`;
  return measure.measureText(line).width;
}
