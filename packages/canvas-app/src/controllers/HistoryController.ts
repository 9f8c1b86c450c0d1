import { undoScope } from '@inkroom/shared';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as Y from 'yjs';

/**
 * Per-user undo and redo: a Y.UndoManager that tracks only transactions made with this board's
 * own origin, so undoing never reverts another person's work.
 */
export class HistoryController implements ReactiveController {
  readonly origin = { board: 'local' };
  private manager: Y.UndoManager | null = null;
  private readonly onStack = () => this.host.requestUpdate();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.detach();
  }

  attach(doc: Y.Doc): void {
    this.detach();
    this.manager = new Y.UndoManager(undoScope(doc), {
      trackedOrigins: new Set([this.origin]),
      // Steps are cut explicitly (each gesture, key action or edit starts one), so a drag with a
      // pause in it is still one step.
      captureTimeout: 60 * 60 * 1000,
    });
    this.manager.on('stack-item-added', this.onStack);
    this.manager.on('stack-item-popped', this.onStack);
  }

  detach(): void {
    this.manager?.off('stack-item-added', this.onStack);
    this.manager?.off('stack-item-popped', this.onStack);
    this.manager?.destroy();
    this.manager = null;
  }

  /** Starts a new undo step (call at the start of a gesture). */
  boundary(): void {
    this.manager?.stopCapturing();
  }

  undo(): void {
    this.manager?.undo();
  }

  redo(): void {
    this.manager?.redo();
  }

  get canUndo(): boolean {
    return (this.manager?.undoStack.length ?? 0) > 0;
  }

  get canRedo(): boolean {
    return (this.manager?.redoStack.length ?? 0) > 0;
  }
}
