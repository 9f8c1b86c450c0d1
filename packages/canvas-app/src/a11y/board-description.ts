import type { ElementId } from '@inkroom/shared';
import { html, type TemplateResult } from 'lit';
import type { Translator } from '../i18n/Translator.js';
import type { SceneEntry, SceneIndex } from '../scene/SceneIndex.js';
import { spokenElement } from './spoken.js';

/** Elements listed by name at most (a screen reader user steps through the rest with Tab). */
export const LISTED_ELEMENTS = 200;

/**
 * The board for screen readers, out of sight: how many elements it holds, and the first 200 in
 * reading order (kind, text, author, frame), each a button that selects it and brings it into
 * view. Out of the Tab order: Tab on the board steps through the elements themselves.
 */
export function boardDescription(
  t: Translator,
  /** The first elements in reading order (up to LISTED_ELEMENTS), or null while the board arrives. */
  order: readonly SceneEntry[] | null,
  count: number,
  scene: SceneIndex | null,
  selection: ReadonlySet<ElementId>,
  select: (id: ElementId) => void,
): TemplateResult {
  const frameOf = (id: ElementId) => scene?.get(id)?.element ?? null;
  const listed = order ?? [];
  return html`<section class="sr-only" aria-label=${t.t('a11y.contents')} data-board-description>
    <h2>${t.t('a11y.count', { count })}</h2>
    <ol>
      ${listed.map(
        (entry) => html`<li>
          <button type="button" tabindex="-1" data-element=${entry.id} aria-pressed=${selection.has(entry.id) ? 'true' : 'false'} @click=${() => select(entry.id)}>
            ${spokenElement(t, entry.element, frameOf)}
          </button>
        </li>`,
      )}
    </ol>
    ${count > listed.length && order ? html`<p>${t.t('a11y.more', { count: count - listed.length })}</p>` : ''}
  </section>`;
}
