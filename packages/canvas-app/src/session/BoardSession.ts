import type { ElementId, PresenceUser } from '@inkroom/shared';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { Narrator } from '../a11y/Narrator.js';
import type { Translator } from '../i18n/Translator.js';
import { type AssetEndpoint, BoardImages } from '../images/BoardImages.js';
import { settleFrames } from '../model/frames.js';
import { Presence } from '../presence/Presence.js';
import { Renderer } from '../render/Renderer.js';
import { SceneIndex } from '../scene/SceneIndex.js';
import type { DrawingStyle, ToolContext, ToolId } from '../tools/Tool.js';
import { type Viewport, viewRect } from '../viewport/Viewport.js';
import { History } from './History.js';

/** What a session takes from its board, which outlives it (the view, the selection, the style). */
export interface SessionBoard {
  readonly viewport: Viewport;
  readonly selection: Set<ElementId>;
  readonly style: DrawingStyle;
  readonly author: string;
  readonly user: PresenceUser;
  /** The board's language. */
  readonly translator: Translator;
  /** True once the board has synced with the server. */
  live(): boolean;
  /** Says a sentence to screen readers (the board's polite live region). */
  say(text: string): void;
  /** The grid spacing while the grid shows (moves and resizes snap to it), else null. */
  readonly snapGrid: number | null;
  /** The selection changed (tools mutate the set, then say so). */
  selectionChanged(): void;
  editText(id: ElementId): void;
  setTool(id: ToolId): void;
  /** Paints the active tool's gesture on the overlay. */
  paintTool(ctx: CanvasRenderingContext2D, toolContext: ToolContext): void;
  /** Elements were added, changed or removed, by anyone. */
  elementsChanged(ids: ReadonlySet<ElementId>): void;
  /** Where the room's images are, and the token for them; null without a room. */
  assetEndpoint(): AssetEndpoint | null;
  /** Someone joined, left, moved or renamed themselves. */
  peopleChanged(): void;
  /** Undo or redo became possible or not. */
  historyChanged(): void;
}

export interface SessionParts {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly sceneCanvas: HTMLCanvasElement;
  readonly overlayCanvas: HTMLCanvasElement;
}

/**
 * Everything of a board that hangs off one Y.Doc: the scene index, the renderer, per-user
 * history, presence, and the context tools work in. Built as one unit when the board gets a doc,
 * and torn down as one when it lets go of it (see BoardSessionController), so nothing of one room
 * outlives it.
 */
export class BoardSession {
  readonly doc: Y.Doc;
  readonly scene: SceneIndex;
  readonly renderer: Renderer;
  readonly history: History;
  readonly presence: Presence;
  readonly images: BoardImages;
  readonly context: ToolContext;
  /** What screen readers hear of the board (others' changes, people, the selection). */
  readonly narrator: Narrator;
  private readonly cleanups: (() => void)[] = [];

  constructor(
    parts: SessionParts,
    private readonly board: SessionBoard,
  ) {
    const { doc, awareness } = parts;
    this.doc = doc;
    this.scene = new SceneIndex(doc);
    this.images = new BoardImages(
      () => board.assetEndpoint(),
      () => this.renderer.invalidateScene(),
    );
    this.renderer = new Renderer(
      this.scene,
      board.viewport,
      parts.sceneCanvas,
      parts.overlayCanvas,
      this.images,
    );
    this.history = new History(doc, () => board.historyChanged());
    this.presence = new Presence(awareness, board.user, () => {
      this.renderer.requestOverlay();
      this.narrator?.peopleChanged();
      board.peopleChanged();
    });
    this.context = this.toolContext();
    this.cleanups.push(
      this.scene.onChange((changed) => this.elementsChanged(changed)),
      this.renderer.addOverlayPainter((ctx, viewport) => {
        const fading = this.presence.paint(
          ctx,
          viewport,
          (id) => this.scene.get(id) ?? null,
          (id) => this.scene.get(id) !== undefined,
        );
        if (fading) this.renderer.requestOverlay();
      }),
      this.renderer.addOverlayPainter((ctx) => board.paintTool(ctx, this.context)),
    );
    // Whoever follows us sees what we see.
    const shareView = () => {
      if (board.viewport.width > 0) this.presence.setView(viewRect(board.viewport));
    };
    this.cleanups.push(board.viewport.onChange(shareView));
    shareView();
    this.scene.start();
    this.narrator = new Narrator(this.scene, this.presence.peers, board);
    this.renderer.start();
    // What this board adds inside a frame belongs to it (the scene has placed it by then).
    this.cleanups.push(
      this.scene.onDiff(({ added, origin }) => {
        if (origin !== this.history.origin || added.size === 0) return;
        const loose = [...added.values()]
          .filter((e) => e.frame === null && e.kind !== 'frame')
          .map((e) => e.id);
        if (loose.length > 0) settleFrames(this.context, loose);
      }),
    );
  }

  /** Lets go of the doc: stops observing it, painting it and publishing presence for it. */
  destroy(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.renderer.stop();
    this.scene.stop();
    this.history.destroy();
    this.presence.destroy();
    this.images.destroy();
    this.narrator.destroy();
  }

  private elementsChanged(changed: ReadonlySet<ElementId>): void {
    // Elements deleted by anyone leave the selection.
    const { selection } = this.board;
    let dropped = false;
    for (const id of changed)
      if (selection.has(id) && !this.scene.get(id)) dropped = selection.delete(id) || dropped;
    if (dropped) this.board.selectionChanged();
    this.board.elementsChanged(changed);
  }

  private toolContext(): ToolContext {
    const { board, renderer, presence } = this;
    return {
      doc: this.doc,
      scene: this.scene,
      viewport: board.viewport,
      origin: this.history.origin,
      get style() {
        return board.style;
      },
      get author() {
        return board.author;
      },
      get translator() {
        return board.translator;
      },
      get snapGrid() {
        return board.snapGrid;
      },
      selection: board.selection,
      selectionChanged: () => board.selectionChanged(),
      requestOverlay: () => renderer.requestOverlay(),
      editText: (id) => board.editText(id),
      shareLiveStroke: (stroke, done) => presence.setLive(stroke, done),
      pointLaser: (point) => presence.pointLaser(point),
      images: this.images,
      hide: (ids) => renderer.setHidden('tool', ids),
      setTool: (id) => board.setTool(id),
    };
  }
}
