import type { OrderKey } from '@inkroom/shared';
import type { ToolContext } from './Tool.js';

/** A key above every element on the board: new elements go on top. */
export function topKey(ctx: ToolContext): OrderKey {
  return ctx.scene.topKey();
}
