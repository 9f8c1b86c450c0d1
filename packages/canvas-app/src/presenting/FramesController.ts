import { type ElementId, keysBetween, setElementField, updateElement } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { framesInOrder } from '../model/frames.js';
import type { SceneEntry } from '../scene/SceneIndex.js';
import type { BoardSession } from '../session/BoardSession.js';
import type { Viewport } from '../viewport/Viewport.js';

/** What frames and presenting need from the board. */
export interface FramesParts {
  readonly viewport: Viewport;
  readonly host: HTMLElement;
  session(): BoardSession | null;
  canEdit(): boolean;
  /** Asks everyone to follow this person while presenting (and stops). */
  spotlight(on: boolean): void;
  /** Saves a frame as a PNG or SVG file. */
  download(frame: ElementId, format: 'png' | 'svg', name: string): void;
}

/**
 * The frames panel and presentation mode. Frames are listed in their order (their `z` among
 * frames), renamed and reordered here (one field each, so two people doing it at once merge), and
 * exported. Presenting goes full screen without the board's chrome and steps from frame to frame
 * with the arrow keys (Escape ends it), each frame fitted to the screen; everyone in the room is
 * asked to follow, so followers go from frame to frame too.
 */
export class FramesController implements ReactiveController {
  open = false;
  /** The frame shown while presenting, by its place in the order; null when not presenting. */
  presenting: number | null = null;
  private stopViewport: (() => void) | null = null;
  /** This presentation put the page in full screen. */
  private fullscreen = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly parts: FramesParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.onFullscreen);
    // The stage changes size as presenting starts (full screen, no chrome): the frame is fitted again.
    let size = '';
    this.stopViewport = this.parts.viewport.onChange(() => {
      const now = `${this.parts.viewport.width}x${this.parts.viewport.height}`;
      if (now === size) return;
      size = now;
      if (this.presenting !== null) this.showCurrent();
    });
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.onFullscreen);
    this.stopViewport?.();
    this.stopViewport = null;
    this.presenting = null;
  }

  /** The board's frames, in order. */
  frames(): SceneEntry[] {
    const session = this.parts.session();
    return session ? framesInOrder(session.scene) : [];
  }

  /** Saves a frame as a PNG or SVG file. */
  download(id: ElementId, format: 'png' | 'svg', name: string): void {
    this.parts.download(id, format, name);
  }

  toggle(): void {
    this.open = !this.open;
    // Closed: the keys go to the board again.
    if (!this.open) this.parts.host.focus();
    this.host.requestUpdate();
  }

  /** Shows a frame whole in the view (its own area: the name above it is not part of the slide). */
  show(frame: SceneEntry, margin = 40): void {
    const { x, y, width, height } = frame.element;
    const box = { minX: x, minY: y, maxX: x + width, maxY: y + height };
    this.parts.viewport.fit(box, margin, this.presenting === null ? 1 : Number.POSITIVE_INFINITY);
  }

  rename(id: ElementId, name: string): void {
    const session = this.parts.session();
    if (!session || !this.parts.canEdit()) return;
    session.history.step(() =>
      updateElement(session.doc, id, 'frame', { name: name.trim().slice(0, 120) }, session.history.origin),
    );
  }

  /** Moves a frame one place earlier (-1) or later (+1) in the order: one `z` written. */
  move(id: ElementId, by: -1 | 1): void {
    const session = this.parts.session();
    const frames = this.frames();
    const at = frames.findIndex((frame) => frame.id === id);
    const to = at + by;
    if (!session || !this.parts.canEdit() || at < 0 || to < 0 || to >= frames.length) return;
    const others = frames.filter((frame) => frame.id !== id).map((frame) => frame.element.z);
    const [z] = keysBetween(others[to - 1] ?? null, others[to] ?? null, 1);
    session.history.step(() => setElementField(session.doc, id, 'z', z!, session.history.origin));
  }

  /** Starts presenting at the frame with this place in the order (the first by default). */
  present(from = 0): void {
    const frames = this.frames();
    if (frames.length === 0) return;
    this.presenting = Math.min(Math.max(0, from), frames.length - 1);
    this.open = false;
    // Full screen where the browser allows it (a user's click does); presenting goes on either way.
    this.parts.host.requestFullscreen?.().then(
      () => {
        this.fullscreen = true;
      },
      () => {},
    );
    // The keys go to the board (the panel's button that was clicked is gone).
    this.parts.host.focus();
    if (this.parts.canEdit()) this.parts.spotlight(true);
    this.host.requestUpdate();
    // The chrome is gone once the board has rendered: the frame is fitted to the whole stage.
    requestAnimationFrame(() => this.showCurrent());
  }

  /** Steps to the next (+1) or previous (-1) frame. */
  step(by: 1 | -1): void {
    if (this.presenting === null) return;
    const count = this.frames().length;
    this.presenting = Math.min(Math.max(0, this.presenting + by), Math.max(0, count - 1));
    this.showCurrent();
    this.host.requestUpdate();
  }

  stopPresenting(): void {
    if (this.presenting === null) return;
    this.presenting = null;
    // Inside another element's shadow root, document.fullscreenElement names that element, not
    // the board: what this presentation entered, it leaves.
    if (this.fullscreen && document.fullscreenElement) document.exitFullscreen().catch(() => {});
    this.fullscreen = false;
    this.parts.host.focus();
    this.parts.spotlight(false);
    this.host.requestUpdate();
  }

  /** Arrow keys, Page Up/Down and Space step; Escape ends. True when the key was the presenter's. */
  handleKey(event: KeyboardEvent): boolean {
    if (this.presenting === null) return false;
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(event.key)) this.step(1);
    else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(event.key)) this.step(-1);
    else if (event.key === 'Escape') this.stopPresenting();
    else return false;
    event.preventDefault();
    return true;
  }

  private showCurrent(): void {
    const frame = this.presenting === null ? null : this.frames()[this.presenting];
    if (frame) this.show(frame, 24);
  }

  private readonly onFullscreen = () => {
    // Leaving full screen (Escape in the browser) ends the presentation.
    if (this.presenting !== null && this.fullscreen && document.fullscreenElement === null) {
      this.fullscreen = false;
      this.stopPresenting();
    }
  };
}
