import type { Color, ElementId, LiveStroke, Point } from '@inkroom/shared';
import type * as Y from 'yjs';
import type { Translator } from '../i18n/Translator.js';
import type { BoardImages } from '../images/BoardImages.js';
import type { SceneIndex } from '../scene/SceneIndex.js';
import type { Viewport } from '../viewport/Viewport.js';

export const TOOL_IDS = [
  'select',
  'pen',
  'highlighter',
  'eraser',
  'rectangle',
  'ellipse',
  'line',
  'arrow',
  'text',
  'sticky',
  'frame',
  'laser',
] as const;
export type ToolId = (typeof TOOL_IDS)[number];

/** A pointer event reduced to what tools need, with the position in both spaces. */
export interface BoardPointer {
  readonly screen: Point;
  readonly board: Point;
  /** 0..1; mice report 0.5 while pressed. */
  readonly pressure: number;
  readonly pointerType: string;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
  /** Ctrl, or Cmd on a Mac: places a line's or arrow's end free rather than bound. */
  readonly modKey: boolean;
}

/** The style new elements get, from the style panel. */
export interface DrawingStyle {
  strokeColor: Color;
  strokeWidth: number;
  fill: Color;
  opacity: number;
}

/** Everything a tool may touch. Writes go through `origin`, so undo sees only local work. */
export interface ToolContext {
  readonly doc: Y.Doc;
  readonly scene: SceneIndex;
  readonly viewport: Viewport;
  readonly origin: object;
  readonly style: DrawingStyle;
  readonly author: string;
  /** The board's language (a new frame's name is in it). */
  readonly translator: Translator;
  /** The grid spacing to snap to while the grid shows; absent or null otherwise. */
  readonly snapGrid?: number | null;
  readonly selection: Set<ElementId>;
  /** The selection changed (tools mutate the set, then say so). */
  selectionChanged(): void;
  requestOverlay(): void;
  /** Opens the in-place text editor on a text or sticky element. */
  editText(id: ElementId): void;
  /** The board's images (decoded for drawing, and added to its room); absent where there are none. */
  readonly images?: BoardImages;
  /** Shares the stroke being drawn; `done` at pen-up (it is being committed), null if abandoned. */
  shareLiveStroke(stroke: LiveStroke | null, done?: boolean): void;
  /** Shares a point of the laser pointer's trail with everyone; null when it is lifted. */
  pointLaser(point: Point | null): void;
  /** Leaves these elements off the scene until told otherwise (an empty set shows them again). */
  hide(ids: ReadonlySet<ElementId>): void;
  setTool(id: ToolId): void;
}

/** One tool: a small state machine driven by pointer events. */
export interface Tool {
  readonly id: ToolId;
  readonly cursor: string;
  /** Changes nothing on the board (the laser pointer): usable on a read-only board too. */
  readonly passive?: boolean;
  down(pointer: BoardPointer, ctx: ToolContext): void;
  move(pointer: BoardPointer, ctx: ToolContext): void;
  up(pointer: BoardPointer, ctx: ToolContext): void;
  /** Abandons what is in progress (Escape, or a switch of tool). */
  cancel(ctx: ToolContext): void;
  /** Draws what is in progress on the overlay, in board coordinates (asking for the next frame while it moves on its own). */
  paint?(canvas: CanvasRenderingContext2D, ctx: ToolContext): void;
}
