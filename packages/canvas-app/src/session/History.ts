import { undoScope } from '@inkroom/shared';
import * as Y from 'yjs';

/**
 * Per-user undo and redo for one doc: a Y.UndoManager that tracks only transactions made with
 * this board's own origin, so undoing never reverts another person's work.
 */
export class History {
  readonly origin = { board: 'local' };
  private readonly manager: Y.UndoManager;

  /** `changed` is told when a step is added or taken (undo and redo become possible or not). */
  constructor(doc: Y.Doc, changed: () => void) {
    this.manager = new Y.UndoManager(undoScope(doc), {
      trackedOrigins: new Set([this.origin]),
      // Steps are cut explicitly (each gesture, key action or edit starts one), so a drag with a
      // pause in it is still one step.
      captureTimeout: 60 * 60 * 1000,
    });
    this.manager.on('stack-item-added', changed);
    this.manager.on('stack-item-popped', changed);
  }

  destroy(): void {
    this.manager.destroy();
  }

  /** Starts a new undo step (call at the start of a gesture). */
  boundary(): void {
    this.manager.stopCapturing();
  }

  /** Runs `change` as one undo step of its own: nothing before it, nothing after it. */
  step<T>(change: () => T): T {
    this.boundary();
    try {
      return change();
    } finally {
      this.boundary();
    }
  }

  undo(): void {
    this.manager.undo();
  }

  redo(): void {
    this.manager.redo();
  }

  get canUndo(): boolean {
    return this.manager.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.manager.redoStack.length > 0;
  }
}
