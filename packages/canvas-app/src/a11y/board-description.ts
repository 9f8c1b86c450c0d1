import type { ElementId } from '@inkroom/shared';
import { html, type TemplateResult } from 'lit';
import type { Translator } from '../i18n/Translator.js';

/** Elements listed by name at most (a screen reader user steps through the rest with Tab). */
export const LISTED_ELEMENTS = 200;

/** An element of the list, said in words (made when the list is found, not at every render). */
export interface ListedElement {
  id: ElementId;
  text: string;
}

/**
 * The board for screen readers, out of sight: how many elements it holds, and the first 200 in
 * reading order (kind, text, author, frame), each a button that selects it and brings it into
 * view. Out of the Tab order: Tab on the board steps through the elements themselves.
 */
export function boardDescription(
  t: Translator,
  /** The first elements in reading order (up to LISTED_ELEMENTS) as said, or null while the board arrives. */
  listed: readonly ListedElement[] | null,
  count: number,
  selection: ReadonlySet<ElementId>,
  select: (id: ElementId) => void,
): TemplateResult {
  const items = listed ?? [];
  return html`<section class="sr-only" aria-label=${t.t('a11y.contents')} data-board-description>
    <h2>${t.t('a11y.count', { count })}</h2>
    <ol>
      ${items.map(
        ({ id, text }) => html`<li>
          <button type="button" tabindex="-1" data-element=${id} aria-pressed=${selection.has(id) ? 'true' : 'false'} @click=${() => select(id)}>
            ${text}
          </button>
        </li>`,
      )}
    </ol>
    ${count > items.length && listed ? html`<p>${t.t('a11y.more', { count: count - items.length })}</p>` : ''}
  </section>`;
}
