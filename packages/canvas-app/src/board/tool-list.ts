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
import type { MessageKey } from '../i18n/Translator.js';
import type { ToolId } from '../tools/Tool.js';

/** The toolbar's tools in order, with their names' message keys, icons and keys (see TOOL_KEYS). */
export const TOOLS: { id: ToolId; label: MessageKey; icon: IconNode; key: string }[] = [
  { id: 'select', label: 'tool.select', icon: MousePointer2, key: 'V' },
  { id: 'pen', label: 'tool.pen', icon: Pencil, key: 'P' },
  { id: 'highlighter', label: 'tool.highlighter', icon: Highlighter, key: 'M' },
  { id: 'eraser', label: 'tool.eraser', icon: Eraser, key: 'E' },
  { id: 'rectangle', label: 'tool.rectangle', icon: Square, key: 'R' },
  { id: 'ellipse', label: 'tool.ellipse', icon: Circle, key: 'O' },
  { id: 'line', label: 'tool.line', icon: Slash, key: 'L' },
  { id: 'arrow', label: 'tool.arrow', icon: MoveUpRight, key: 'A' },
  { id: 'text', label: 'tool.text', icon: Type, key: 'T' },
  { id: 'sticky', label: 'tool.sticky', icon: StickyNote, key: 'N' },
  { id: 'frame', label: 'tool.frame', icon: Frame, key: 'F' },
  { id: 'laser', label: 'tool.laser', icon: Laser, key: 'K' },
];
