import { html, type TemplateResult } from 'lit';
import { X } from 'lucide';
import type { MessageKey, Translator } from '../i18n/Translator.js';
import { icon } from './icons.js';
import { TOOLS } from './tool-list.js';

/**
 * Every shortcut the board knows, beyond the tools' letters (see keyboard.ts): the keys (key
 * names that are not letters are translated), and what they do.
 */
const SHORTCUTS: [keys: string | MessageKey, what: MessageKey][] = [
  ['Ctrl/⌘ Z, Shift Ctrl/⌘ Z', 'help.undo'],
  ['Ctrl/⌘ C, X, V', 'help.clipboard'],
  ['Shift Alt C, Shift Alt S', 'help.copyAs'],
  ['Ctrl/⌘ D', 'help.duplicate'],
  ['Ctrl/⌘ A', 'help.selectAll'],
  ['Delete', 'help.delete'],
  ['Ctrl/⌘ G, Shift Ctrl/⌘ G', 'help.group'],
  ['Shift Ctrl/⌘ L', 'help.lock'],
  ['] [', 'help.order'],
  ['Shift 1', 'help.fit'],
  ['help.keys.space', 'help.pan'],
  ['help.keys.arrows', 'help.arrows'],
  ['Enter', 'help.enter'],
  ['Tab, Shift Tab', 'help.tab'],
  ['help.keys.alt', 'help.alt'],
  ['help.keys.doubleClick', 'help.doubleClick'],
  ['help.keys.arrowMod', 'help.arrowFree'],
  ['help.keys.dropFile', 'help.dropFile'],
  ['help.keys.shiftResize', 'help.imageRatio'],
  ['help.keys.twoFingerTap', 'help.twoFingerTap'],
  ['help.keys.longPress', 'help.longPress'],
  ['Shift F10', 'help.menu'],
  ['Escape', 'help.escape'],
  ['?', 'help.list'],
];

/** The keyboard shortcuts and the touch settings, in a dialog over the board. */
export function helpDialog(
  t: Translator,
  close: () => void,
  palmRejection: boolean,
  setPalmRejection: (on: boolean) => void,
): TemplateResult {
  const keys = (k: string) => (k in t.catalogue ? t.t(k as MessageKey) : localKeys(t, k));
  return html`<div
    class="help"
    role="dialog"
    aria-modal="true"
    aria-labelledby="inkroom-help-title"
    @keydown=${(event: KeyboardEvent) => {
      event.stopPropagation();
      if (event.key === 'Escape' || event.key === '?') close();
      else if (event.key === 'Tab') keepFocusIn(event);
    }}
  >
    <div class="help-head">
      <h2 id="inkroom-help-title">${t.t('help.title')}</h2>
      <button type="button" class="help-close" aria-label=${t.t('help.close')} title=${`${t.t('help.close')} — ${t.t('key.escape')}`} @click=${close}>
        ${icon(X)}
      </button>
    </div>
    <dl>
      ${TOOLS.map((tool) => html`<dt><kbd>${tool.key}</kbd></dt><dd>${t.t(tool.label)}</dd>`)}
      ${SHORTCUTS.map(([k, what]) => html`<dt><kbd>${keys(k)}</kbd></dt><dd>${t.t(what)}</dd>`)}
    </dl>
    <h3>${t.t('help.settings')}</h3>
    <label class="setting">
      <input
        type="checkbox"
        data-setting="palm-rejection"
        .checked=${palmRejection}
        @change=${(event: Event) => setPalmRejection((event.target as HTMLInputElement).checked)}
      />
      ${t.t('help.palmRejection')}
    </label>
  </div>`;
}

/** Key names as the language's keyboards print them: "Shift Ctrl/⌘ Z" is "Umschalt Strg/⌘ Z" in German. */
function localKeys(t: Translator, keys: string): string {
  return keys.replace(/\b(Ctrl|Shift|Alt|Delete|Enter|Escape|Tab)\b/g, (name) =>
    t.t(`key.${name.toLowerCase()}` as MessageKey),
  );
}

/** Tab and Shift+Tab go round the dialog's own controls: it is modal. */
function keepFocusIn(event: KeyboardEvent): void {
  const dialog = event.currentTarget as HTMLElement;
  const controls = [...dialog.querySelectorAll<HTMLElement>('button, input')];
  const root = dialog.getRootNode() as ShadowRoot;
  const at = controls.indexOf(root.activeElement as HTMLElement);
  const last = controls.length - 1;
  if (event.shiftKey ? at <= 0 : at === last) {
    event.preventDefault();
    controls[event.shiftKey ? last : 0]?.focus();
  }
}
