import { keysAt, type OrderKey } from '@inkroom/shared';
import type { ToolContext } from './Tool.js';

/** A key above every element on the board: new elements go on top. */
export function topKey(ctx: ToolContext): OrderKey {
  const all = ctx.scene.all();
  const last = all.at(-1);
  return keysAt(last ? [last.element.z] : [], last ? 1 : 0)[0]!;
}
