import { html, nothing, type TemplateResult } from 'lit';
import { Pause, Play, X } from 'lucide';
import { icon } from '../board/icons.js';
import type { Translator } from '../i18n/Translator.js';
import type { VersionsController } from './VersionsController.js';

/** The selected version's picture (drawn with the board's own renderer when it was picked). */
function picture(t: Translator, versions: VersionsController): TemplateResult | typeof nothing {
  const selected = versions.selected;
  if (!selected) return nothing;
  const { gone, changed, added } = selected.diff;
  return html`<figure class="version-preview">
    <img alt=${t.t('history.pictureAlt', { time: t.dateTime(selected.version.time) })} src=${selected.picture} />
    <figcaption>${t.t('history.diff', { gone: gone.size, changed: changed.size, added: added.size })}</figcaption>
  </figure>`;
}

/**
 * The History panel: save a version with a name, the versions newest first (time, name, whose
 * edits), the chosen one's picture, restore it, and play them all as a timelapse.
 */
export function versionsPanel(
  t: Translator,
  versions: VersionsController,
  canEdit: boolean,
): TemplateResult | typeof nothing {
  if (!versions.open) return nothing;
  const selectedId = versions.selected?.version.id ?? null;
  return html`<aside class="versions" part="history" aria-label=${t.t('history.title')}>
    <div class="versions-head">
      <h2>${t.t('history.title')}</h2>
      <button
        type="button"
        aria-label=${t.t(versions.playing ? 'history.stop' : 'history.play')}
        title=${t.t(versions.playing ? 'history.stopTitle' : 'history.playTitle')}
        @click=${() => void versions.play()}
      >
        ${icon(versions.playing ? Pause : Play)}
      </button>
      <button type="button" title=${t.t('history.close')} @click=${() => versions.close()}>${icon(X)}</button>
    </div>
    ${
      canEdit
        ? html`<form
            class="version-save"
            @submit=${(event: SubmitEvent) => {
              event.preventDefault();
              const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
              void versions.save(input.value).then(() => {
                input.value = '';
              });
            }}
          >
            <input name="name" aria-label=${t.t('history.nameLabel')} placeholder=${t.t('history.namePlaceholder')} maxlength="120" />
            <button type="submit">${t.t('history.save')}</button>
          </form>`
        : nothing
    }
    <p class="versions-message" role="status">${versions.message?.(t) ?? ''}</p>
    <ol>
      ${versions.versions.map(
        (version) => html`<li>
          <button
            type="button"
            data-version=${version.id}
            aria-pressed=${selectedId === version.id ? 'true' : 'false'}
            @click=${() => (selectedId === version.id ? versions.unselect() : void versions.select(version))}
          >
            <span class="version-time">${t.dateTime(version.time)}</span>
            ${version.name ? html`<span class="version-name">${version.name}</span>` : nothing}
            <span class="version-authors">${version.authors.length > 0 ? t.list(version.authors) : t.t('history.noEditor')}</span>
          </button>
        </li>`,
      )}
    </ol>
    ${picture(t, versions)}
    ${
      versions.selected && canEdit
        ? html`<div class="version-actions">
            <button
              type="button"
              class="version-restore"
              title=${t.t('history.bringBackTitle')}
              @click=${() => versions.restore(true)}
            >
              ${t.t('history.bringBack')}
            </button>
            <button
              type="button"
              class="version-restore"
              title=${t.t('history.restoreExactlyTitle')}
              @click=${() => versions.restore(false)}
            >
              ${t.t('history.restoreExactly')}
            </button>
          </div>`
        : nothing
    }
  </aside>`;
}
