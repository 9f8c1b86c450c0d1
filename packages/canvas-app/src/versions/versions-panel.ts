import { listElements, renderSvg } from '@inkroom/shared';
import { html, nothing, type TemplateResult } from 'lit';
import { Pause, Play, X } from 'lucide';
import { icon } from '../board/icons.js';
import { formatTime, type VersionsController } from './VersionsController.js';

/** The selected version's picture, drawn with the board's own renderer. */
function picture(versions: VersionsController): TemplateResult | typeof nothing {
  const selected = versions.selected;
  if (!selected) return nothing;
  const svg = renderSvg(listElements(selected.doc), { background: '#ffffff', padding: 16 });
  const { gone, changed, added } = selected.diff;
  return html`<figure class="version-preview">
    <img alt=${`The board as of ${formatTime(selected.version.time)}`} src=${`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />
    <figcaption>
      Restoring it brings back ${gone.size}, sets back ${changed.size} and removes ${added.size}
      (on the board: green, orange and red).
    </figcaption>
  </figure>`;
}

/**
 * The History panel: save a version with a name, the versions newest first (time, name, whose
 * edits), the chosen one's picture, restore it, and play them all as a timelapse.
 */
export function versionsPanel(
  versions: VersionsController,
  canEdit: boolean,
): TemplateResult | typeof nothing {
  if (!versions.open) return nothing;
  const selectedId = versions.selected?.version.id ?? null;
  return html`<aside class="versions" part="history" aria-label="History">
    <div class="versions-head">
      <h2>History</h2>
      <button
        type="button"
        aria-label=${versions.playing ? 'Stop the timelapse' : 'Play the versions as a timelapse'}
        title=${versions.playing ? 'Stop' : 'Timelapse: play the versions in order'}
        @click=${() => void versions.play()}
      >
        ${icon(versions.playing ? Pause : Play)}
      </button>
      <button type="button" aria-label="Close the history" title="Close" @click=${() => versions.close()}>${icon(X)}</button>
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
            <input name="name" aria-label="Name of the version to save" placeholder="Name this version" maxlength="120" />
            <button type="submit">Save</button>
          </form>`
        : nothing
    }
    <p class="versions-message" role="status">${versions.message}</p>
    <ol>
      ${versions.versions.map(
        (version) => html`<li>
          <button
            type="button"
            data-version=${version.id}
            aria-pressed=${selectedId === version.id ? 'true' : 'false'}
            @click=${() => (selectedId === version.id ? versions.unselect() : void versions.select(version))}
          >
            <span class="version-time">${formatTime(version.time)}</span>
            ${version.name ? html`<span class="version-name">${version.name}</span>` : nothing}
            <span class="version-authors">${version.authors.length > 0 ? version.authors.join(', ') : 'no named editor'}</span>
          </button>
        </li>`,
      )}
    </ol>
    ${picture(versions)}
    ${
      versions.selected && canEdit
        ? html`<div class="version-actions">
            <button
              type="button"
              class="version-restore"
              title="Bring back what was erased and set back what changed; keep what was added since"
              @click=${() => versions.restore(true)}
            >
              Bring back what was lost
            </button>
            <button
              type="button"
              class="version-restore"
              title="Make the board exactly this version: what was added since is removed too"
              @click=${() => versions.restore(false)}
            >
              Restore exactly
            </button>
          </div>`
        : nothing
    }
  </aside>`;
}
