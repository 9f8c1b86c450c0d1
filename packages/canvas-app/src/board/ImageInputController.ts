import type { ElementId, Point } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { insertImages } from '../images/insert.js';
import { ImageRefused } from '../images/prepare.js';
import type { BoardSession } from '../session/BoardSession.js';

export interface ImageInputHost extends ReactiveControllerHost, EventTarget {
  readonly canEdit: boolean;
  /** The longer side, in pixels, past which an image is drawn smaller before it is added. */
  readonly maxImageSize: number;
}

export interface ImageInputParts {
  session(): BoardSession | null;
  /** A point on the page (client coordinates) in board units. */
  toBoard(clientX: number, clientY: number): Point;
  /** Where an image lands without a point: the view's centre. */
  centre(): Point;
  /** Tells the person why nothing was added. */
  report(message: string): void;
}

const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp';

/**
 * Images into the board: dropped on it, picked with the toolbar's button (a file chooser), or
 * handed over by the clipboard. Each goes in through `add`, which reports a refusal instead of
 * adding anything.
 */
export class ImageInputController implements ReactiveController {
  private picker: HTMLInputElement | null = null;

  constructor(
    private readonly host: ImageInputHost,
    private readonly parts: ImageInputParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('dragover', this.onDragOver as EventListener);
    this.host.addEventListener('drop', this.onDrop as EventListener);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('dragover', this.onDragOver as EventListener);
    this.host.removeEventListener('drop', this.onDrop as EventListener);
    this.picker?.remove();
    this.picker = null;
  }

  /** Adds image files at `at` (the view's centre by default); resolves with their ids. */
  async add(files: readonly Blob[], at: Point = this.parts.centre()): Promise<ElementId[]> {
    const session = this.parts.session();
    if (!session || !this.host.canEdit || files.length === 0) return [];
    session.history.boundary();
    try {
      const ids = await insertImages(session.context, files, at, this.host.maxImageSize);
      session.context.setTool('select');
      return ids;
    } catch (error) {
      if (!(error instanceof ImageRefused)) throw error;
      this.parts.report(error.message);
      return [];
    }
  }

  /** Opens the file chooser (the toolbar's image button). */
  pick(): void {
    if (!this.host.canEdit) return;
    if (!this.picker) {
      const picker = document.createElement('input');
      picker.type = 'file';
      picker.accept = ACCEPT;
      picker.multiple = true;
      picker.hidden = true;
      picker.addEventListener('change', () => {
        const files = [...(picker.files ?? [])];
        picker.value = '';
        void this.add(files);
      });
      document.body.append(picker);
      this.picker = picker;
    }
    this.picker.click();
  }

  private readonly onDragOver = (event: DragEvent) => {
    if (!this.host.canEdit || !event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };

  private readonly onDrop = (event: DragEvent) => {
    const files = [...(event.dataTransfer?.files ?? [])];
    if (!this.host.canEdit || files.length === 0) return;
    event.preventDefault();
    void this.add(files, this.parts.toBoard(event.clientX, event.clientY));
  };
}
