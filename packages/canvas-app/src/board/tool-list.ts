import {
  Circle,
  Eraser,
  Frame,
  Highlighter,
  type IconNode,
  Laser,
  MousePointer2,
  MoveUpRight,
  Pencil,
  Slash,
  Square,
  StickyNote,
  Type,
} from 'lucide';
import type { ToolId } from '../tools/Tool.js';

/** The toolbar's tools in order, with their names, icons and keys (see TOOL_KEYS). */
export const TOOLS: { id: ToolId; label: string; icon: IconNode; key: string }[] = [
  { id: 'select', label: 'Select', icon: MousePointer2, key: 'V' },
  { id: 'pen', label: 'Pen', icon: Pencil, key: 'P' },
  { id: 'highlighter', label: 'Highlighter', icon: Highlighter, key: 'M' },
  { id: 'eraser', label: 'Eraser, hold Alt to erase part of a stroke', icon: Eraser, key: 'E' },
  { id: 'rectangle', label: 'Rectangle', icon: Square, key: 'R' },
  { id: 'ellipse', label: 'Ellipse', icon: Circle, key: 'O' },
  { id: 'line', label: 'Line', icon: Slash, key: 'L' },
  { id: 'arrow', label: 'Arrow', icon: MoveUpRight, key: 'A' },
  { id: 'text', label: 'Text', icon: Type, key: 'T' },
  { id: 'sticky', label: 'Sticky note', icon: StickyNote, key: 'N' },
  { id: 'frame', label: 'Frame (a slide: what is inside moves with it)', icon: Frame, key: 'F' },
  { id: 'laser', label: 'Laser pointer (seen by everyone, not kept)', icon: Laser, key: 'K' },
];
