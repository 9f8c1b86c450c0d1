import type { Point } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { BoardSession } from '../session/BoardSession.js';
import { copySelection, cutSelection, pasteText } from './clipboard.js';

export interface ClipboardHost extends ReactiveControllerHost, EventTarget {
  readonly canEdit: boolean;
}

export interface ClipboardParts {
  session(): BoardSession | null;
  /** True while a text is edited in place: the clipboard is then the text editor's. */
  editing(): boolean;
  /** Where a paste lands, in board units: the pointer if it is over the board, else the view's centre. */
  pastePoint(): Point;
  /** Adds pasted image files (a screenshot) at a point. */
  addImages(files: readonly Blob[], at: Point): void;
}

/**
 * Copy, cut and paste through the system clipboard: Ctrl/Cmd+C, X and V reach the focused board
 * as the browser's clipboard events, whose data it reads and writes without asking for a
 * permission. The selection travels as a board file in plain text, so it pastes into any
 * Inkroom board, on any origin; plain text pastes as a text element, an image as an image.
 */
export class ClipboardController implements ReactiveController {
  constructor(
    private readonly host: ClipboardHost,
    private readonly parts: ClipboardParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('copy', this.onCopy as EventListener);
    this.host.addEventListener('cut', this.onCut as EventListener);
    this.host.addEventListener('paste', this.onPaste as EventListener);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('copy', this.onCopy as EventListener);
    this.host.removeEventListener('cut', this.onCut as EventListener);
    this.host.removeEventListener('paste', this.onPaste as EventListener);
  }

  private readonly onCopy = (event: ClipboardEvent) => this.put(event, false);

  private readonly onCut = (event: ClipboardEvent) => this.put(event, true);

  private put(event: ClipboardEvent, cut: boolean): void {
    const session = this.parts.session();
    if (!session || this.parts.editing() || !event.clipboardData) return;
    if (cut && !this.host.canEdit) return;
    const text = session.history.step(() =>
      cut ? cutSelection(session.context) : copySelection(session.context),
    );
    if (!text) return;
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
  }

  private readonly onPaste = (event: ClipboardEvent) => {
    const session = this.parts.session();
    if (!session || this.parts.editing() || !this.host.canEdit || !event.clipboardData) return;
    // An image (a screenshot, a copied picture) pastes as an image.
    const images = [...event.clipboardData.files].filter((file) => file.type.startsWith('image/'));
    if (images.length > 0) {
      event.preventDefault();
      this.parts.addImages(images, this.parts.pastePoint());
      return;
    }
    const text = event.clipboardData.getData('text/plain');
    if (!text) return;
    event.preventDefault();
    try {
      const pasted = session.history.step(() => pasteText(session.context, text, this.parts.pastePoint()));
      // What was pasted is selected, ready to be moved: with the select tool.
      if (pasted.length > 0) session.context.setTool('select');
    } catch (error) {
      // A board file from a newer or broken Inkroom: say why, change nothing.
      console.error(`inkroom-board: nothing pasted: ${(error as Error).message}`);
    }
  };
}
