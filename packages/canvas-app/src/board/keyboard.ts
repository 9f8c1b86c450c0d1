import { groupSelection, toggleLock, ungroupSelection } from '../model/groups.js';
import { TOOL_KEYS, type ToolContext, type ToolId } from '../tools/index.js';
import { deleteSelection, duplicateSelection, reorderSelection, selectAll, zoomToFit } from './actions.js';
import { makeAtCentre, nudgeSelection, selectNext } from './keyboard-actions.js';

/** What a key may do to the board. */
export interface KeyTarget {
  /** Null while the board has no document. */
  readonly context: ToolContext | null;
  readonly canEdit: boolean;
  /** The active tool. */
  readonly tool: ToolId;
  holdSpace(): void;
  undo(): void;
  redo(): void;
  /** Starts a new undo step. */
  boundary(): void;
  setTool(id: ToolId): void;
  cancelGesture(ctx: ToolContext): void;
  /** Puts the selection (or the board) on the system clipboard as a PNG image or SVG. */
  copyAs(format: 'png' | 'svg'): void;
  /** The group the select tool has entered (see groups.ts), or null. */
  enteredGroup(): string | null;
  /** Opens the list of shortcuts. */
  showHelp(): void;
  /** Opens the context menu for the selection (Shift+F10, the menu key). */
  contextMenu(): void;
}

/**
 * The board's keyboard: tool letters, Delete, Ctrl/Cmd+Z and Shift+Ctrl/Cmd+Z (or Ctrl+Y), Ctrl/Cmd+D,
 * Ctrl/Cmd+A, Ctrl/Cmd+G and Shift+Ctrl/Cmd+G to group and ungroup, Shift+Ctrl/Cmd+L to lock or
 * unlock, Escape, ] and [ to reorder, Shift+1 to zoom to fit, Shift+Alt+C and Shift+Alt+S to copy as PNG and SVG,
 * ? for the list of shortcuts, Shift+F10 or the menu key for the context menu, Space held to pan. Arrows move the selection (Shift: further) or,
 * with none, pan; Enter edits the selected element's text, makes the tool's element at the centre
 * of the view, or selects the first element, after which Tab and Shift+Tab step through them. Ctrl/Cmd+C, X and V arrive as clipboard events (see ClipboardController).
 */
export function handleBoardKey(event: KeyboardEvent, target: KeyTarget): void {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (key === ' ') {
    target.holdSpace();
    event.preventDefault();
    return;
  }
  if (mod && (key === 'z' || key === 'y')) {
    event.preventDefault();
    if (key === 'y' || event.shiftKey) target.redo();
    else target.undo();
    return;
  }
  if (event.key === '?') {
    event.preventDefault();
    target.showHelp();
    return;
  }
  if (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10')) {
    event.preventDefault();
    target.contextMenu();
    return;
  }
  // Every keyboard action is an undo step of its own.
  target.boundary();
  const ctx = target.context;
  if (!ctx) return;
  if (mod && key === 'a') {
    event.preventDefault();
    target.setTool('select');
    selectAll(ctx);
  } else if (mod && key === 'g') {
    event.preventDefault();
    if (!target.canEdit) return;
    if (event.shiftKey) ungroupSelection(ctx, target.enteredGroup());
    else groupSelection(ctx, target.enteredGroup());
    ctx.selectionChanged();
  } else if (mod && event.shiftKey && key === 'l') {
    event.preventDefault();
    if (target.canEdit) toggleLock(ctx);
  } else if (mod && key === 'd') {
    event.preventDefault();
    if (target.canEdit) duplicateSelection(ctx);
  } else if (key === 'delete' || key === 'backspace') {
    if (target.canEdit) deleteSelection(ctx);
  } else if (key === 'escape') {
    target.cancelGesture(ctx);
    ctx.selection.clear();
    ctx.selectionChanged();
  } else if (key === ']' && target.canEdit) {
    reorderSelection(ctx, 'forward');
  } else if (key === '[' && target.canEdit) {
    reorderSelection(ctx, 'backward');
  } else if (event.shiftKey && event.altKey && (event.code === 'KeyC' || event.code === 'KeyS')) {
    event.preventDefault();
    target.copyAs(event.code === 'KeyC' ? 'png' : 'svg');
  } else if (event.shiftKey && event.code === 'Digit1') {
    zoomToFit(ctx);
  } else if (event.key.startsWith('Arrow') && !mod) {
    event.preventDefault();
    arrowKey(event, ctx, target.canEdit);
  } else if (event.key === 'Tab' && !mod && !event.altKey && ctx.selection.size > 0) {
    // With something selected, Tab steps through the elements; with nothing, it leaves the board.
    event.preventDefault();
    selectNext(ctx, event.shiftKey);
  } else if (event.key === 'Enter' && !mod && !event.altKey) {
    event.preventDefault();
    enterKey(ctx, target);
  } else if (!mod && !event.altKey && TOOL_KEYS[key]) {
    target.setTool(TOOL_KEYS[key]!);
  }
}

/** Arrows move the selection a pixel (Shift: ten), or with nothing selected pan the view. */
function arrowKey(event: KeyboardEvent, ctx: ToolContext, canEdit: boolean): void {
  const dx = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
  const dy = event.key === 'ArrowUp' ? -1 : event.key === 'ArrowDown' ? 1 : 0;
  if (ctx.selection.size > 0 && canEdit) {
    const step = (event.shiftKey ? 10 : 1) / ctx.viewport.zoom;
    nudgeSelection(ctx, dx * step, dy * step);
    return;
  }
  const step = event.shiftKey ? 400 : 80;
  ctx.viewport.panBy(-dx * step, -dy * step);
}

/**
 * Enter: with one element selected, edits its text (a text, a note, a shape's or arrow's label);
 * with nothing selected, a drawing tool makes its element at the centre of the view, and the
 * select tool selects the first element (then Tab and Shift+Tab step through them).
 */
function enterKey(ctx: ToolContext, target: KeyTarget): void {
  if (ctx.selection.size === 1) {
    const [id] = ctx.selection;
    const element = ctx.scene.get(id!)?.element;
    if (target.canEdit && element && 'text' in element && !element.locked) ctx.editText(id!);
    return;
  }
  if (ctx.selection.size > 0) return;
  if (target.canEdit && makeAtCentre(ctx, target.tool)) return;
  selectNext(ctx, false);
}
