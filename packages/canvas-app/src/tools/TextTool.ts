import { addElement, hasLabel } from '@inkroom/shared';
import { topKey } from './order.js';
import type { BoardPointer, Tool, ToolContext } from './Tool.js';

/**
 * Text and sticky notes: a click on the board places one and opens the editor on it; a click
 * on an existing one of the same kind edits it.
 */
export class TextTool implements Tool {
  readonly cursor = 'text';

  constructor(readonly id: 'text' | 'sticky') {}

  down(pointer: BoardPointer, ctx: ToolContext): void {
    const hit = ctx.scene.pickAt(pointer.board, 4 / ctx.viewport.zoom);
    // On one of its own kind, or (the text tool) on a shape, line or arrow: edits its text or label.
    if (hit && (hit.element.kind === this.id || (this.id === 'text' && hasLabel(hit.element.kind)))) {
      ctx.editText(hit.id);
      return;
    }
    const { x, y } = pointer.board;
    const id =
      this.id === 'sticky'
        ? addElement(
            ctx.doc,
            {
              kind: 'sticky',
              x: x - 100,
              y: y - 100,
              width: 200,
              height: 200,
              author: ctx.author,
              z: topKey(ctx),
            },
            ctx.origin,
          )
        : addElement(
            ctx.doc,
            {
              kind: 'text',
              x,
              y: y - 12,
              width: 240,
              height: 30,
              strokeColor: ctx.style.strokeColor,
              opacity: ctx.style.opacity,
              author: ctx.author,
              z: topKey(ctx),
            },
            ctx.origin,
          );
    ctx.selection.clear();
    ctx.selection.add(id);
    ctx.selectionChanged();
    ctx.editText(id);
  }

  move(): void {}

  up(): void {}

  cancel(): void {}
}
