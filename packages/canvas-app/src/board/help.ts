import { html, type TemplateResult } from 'lit';
import { X } from 'lucide';
import { icon } from './icons.js';
import { TOOLS } from './tool-list.js';

/** Every shortcut the board knows, beyond the tools' letters (see keyboard.ts). */
const SHORTCUTS: [keys: string, what: string][] = [
  ['Ctrl/⌘ Z, Shift Ctrl/⌘ Z', 'Undo, redo (your own work)'],
  ['Ctrl/⌘ C, X, V', 'Copy, cut, paste (also between boards)'],
  ['Shift Alt C, Shift Alt S', 'Copy as PNG, copy as SVG'],
  ['Ctrl/⌘ D', 'Duplicate'],
  ['Ctrl/⌘ A', 'Select all'],
  ['Delete', 'Delete the selection'],
  ['Ctrl/⌘ G, Shift Ctrl/⌘ G', 'Group, ungroup'],
  ['Shift Ctrl/⌘ L', 'Lock, unlock'],
  ['] and [', 'Bring forward, send backward'],
  ['Shift 1', 'Zoom to fit'],
  ['Space + drag', 'Pan'],
  ['Arrows, Shift + arrows', 'Move the selection (further); with nothing selected, pan'],
  [
    'Enter',
    "Edit the selected element's text; make the tool's shape in the middle; select the first element",
  ],
  ['Tab, Shift Tab', 'With something selected: the next or previous element'],
  ['Alt while moving', 'Move without snapping'],
  ['Double-click', 'Edit a text, a note, or the label of a shape or arrow; crop an image'],
  ['Ctrl/⌘ while drawing an arrow', 'Leave its end free (not attached to the shape)'],
  ['Paste or drop a file', 'Add an image (PNG, JPEG, GIF, WebP)'],
  ['Shift while resizing an image', 'Change its proportions'],
  ['Escape', 'Cancel, clear the selection'],
  ['?', 'This list'],
];

/** The keyboard shortcuts, in a dialog over the board. */
export function helpDialog(close: () => void): TemplateResult {
  return html`<div
    class="help"
    role="dialog"
    aria-modal="true"
    aria-labelledby="inkroom-help-title"
    @keydown=${(event: KeyboardEvent) => {
      event.stopPropagation();
      if (event.key === 'Escape' || event.key === '?') close();
    }}
  >
    <div class="help-head">
      <h2 id="inkroom-help-title">Keyboard shortcuts</h2>
      <button type="button" class="help-close" aria-label="Close" title="Close — Escape" @click=${close}>
        ${icon(X)}
      </button>
    </div>
    <dl>
      ${TOOLS.map((tool) => html`<dt><kbd>${tool.key}</kbd></dt><dd>${tool.label}</dd>`)}
      ${SHORTCUTS.map(([keys, what]) => html`<dt><kbd>${keys}</kbd></dt><dd>${what}</dd>`)}
    </dl>
  </div>`;
}
