import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ConnectionController } from '../controllers/ConnectionController.js';
import { BoardSession, type SessionBoard } from './BoardSession.js';

export interface SessionHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * Owns the board's {@link BoardSession}: builds it when the connection has a doc and the canvases
 * are rendered, rebuilds it when the connection changes rooms, and destroys it when the element
 * leaves the page. `leaving` runs before a session is dropped (a gesture or an edit in progress
 * belongs to the board being left).
 */
export class BoardSessionController implements ReactiveController {
  private session: BoardSession | null = null;
  private stopFollowing: (() => void) | null = null;

  constructor(
    private readonly host: SessionHost,
    private readonly connection: ConnectionController,
    private readonly board: SessionBoard,
    private readonly leaving: (session: BoardSession) => void,
  ) {
    host.addController(this);
  }

  /** The session of the current doc, or null while there is none. */
  get current(): BoardSession | null {
    return this.session;
  }

  hostConnected(): void {
    this.stopFollowing = this.connection.onRebuild(() => this.rebuild());
    // Back on the page: the session is built on the next update, once the canvases are there.
    if (this.connection.doc) this.host.requestUpdate();
  }

  hostUpdated(): void {
    // The first render brings the canvases.
    if (!this.session && this.connection.doc) this.rebuild();
  }

  hostDisconnected(): void {
    this.stopFollowing?.();
    this.stopFollowing = null;
    this.drop();
  }

  private rebuild(): void {
    this.drop();
    const doc = this.connection.doc;
    const awareness = this.connection.provider?.awareness;
    const root = this.host.renderRoot;
    const sceneCanvas = root.querySelector<HTMLCanvasElement>('canvas.scene');
    const overlayCanvas = root.querySelector<HTMLCanvasElement>('canvas.overlay');
    if (!doc || !awareness || !sceneCanvas || !overlayCanvas) return;
    this.session = new BoardSession({ doc, awareness, sceneCanvas, overlayCanvas }, this.board);
    this.host.requestUpdate();
  }

  private drop(): void {
    const session = this.session;
    if (!session) return;
    this.leaving(session);
    this.session = null;
    session.destroy();
  }
}
