import { EraserTool } from './EraserTool.js';
import { FrameTool } from './FrameTool.js';
import { LaserTool } from './LaserTool.js';
import { PenTool } from './PenTool.js';
import { SelectTool } from './SelectTool.js';
import { ShapeTool } from './ShapeTool.js';
import { TextTool } from './TextTool.js';
import type { Tool, ToolId } from './Tool.js';

export * from './Tool.js';

/** One board's tools; the select tool by its own type, for the group it has entered. */
export type Tools = Record<ToolId, Tool> & { readonly select: SelectTool };

/** A fresh set of tools for one board (tools keep per-gesture state, so boards do not share). */
export function createTools(): Tools {
  return {
    select: new SelectTool(),
    pen: new PenTool('pen'),
    highlighter: new PenTool('highlighter'),
    eraser: new EraserTool(),
    rectangle: new ShapeTool('rectangle'),
    ellipse: new ShapeTool('ellipse'),
    line: new ShapeTool('line'),
    arrow: new ShapeTool('arrow'),
    text: new TextTool('text'),
    sticky: new TextTool('sticky'),
    frame: new FrameTool(),
    laser: new LaserTool(),
  };
}

/** Single-key shortcuts, as in the issue and as Excalidraw/tldraw users expect. */
export const TOOL_KEYS: Readonly<Record<string, ToolId>> = {
  v: 'select',
  p: 'pen',
  m: 'highlighter',
  e: 'eraser',
  r: 'rectangle',
  o: 'ellipse',
  l: 'line',
  a: 'arrow',
  t: 'text',
  n: 'sticky',
  f: 'frame',
  k: 'laser',
};
