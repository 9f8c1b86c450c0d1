import { html, nothing, type TemplateResult } from 'lit';
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight, X } from 'lucide';
import { icon } from '../board/icons.js';
import type { Translator } from '../i18n/Translator.js';
import type { Peer } from '../presence/Presence.js';
import type { FramesController } from './FramesController.js';

/**
 * The frames panel: the board's frames in order, each shown on a click, renamed, moved earlier or
 * later, saved as PNG or SVG; and Present, from the first.
 */
export function framesPanel(
  t: Translator,
  frames: FramesController,
  canEdit: boolean,
): TemplateResult | typeof nothing {
  if (!frames.open) return nothing;
  const list = frames.frames();
  return html`<aside class="versions frames" part="frames" aria-label=${t.t('frames.title')}>
    <div class="versions-head">
      <h2>${t.t('frames.title')}</h2>
      <button type="button" title=${t.t('frames.close')} @click=${() => frames.toggle()}>${icon(X)}</button>
    </div>
    <button type="button" class="version-restore" data-action="present" ?disabled=${list.length === 0} @click=${() => frames.present(0)}>
      ${t.t('frames.present')}
    </button>
    <p class="versions-message">${list.length === 0 ? t.t('frames.none') : ''}</p>
    <ol>
      ${list.map((frame, i) => {
        const element = frame.element;
        const name =
          element.kind === 'frame' ? element.name || t.t('frames.defaultName', { number: i + 1 }) : '';
        return html`<li class="frame-row">
          ${
            canEdit
              ? html`<input
                  aria-label=${t.t('frames.nameOf', { number: i + 1 })}
                  .value=${name}
                  maxlength="120"
                  @change=${(event: Event) => frames.rename(frame.id, (event.target as HTMLInputElement).value)}
                />`
              : html`<span>${name}</span>`
          }
          <button type="button" aria-label=${t.t('frames.show', { name })} title=${t.t('frames.showTitle')} @click=${() => frames.show(frame)}>${icon(ChevronRight)}</button>
          ${
            canEdit
              ? html`<button type="button" aria-label=${t.t('frames.earlier', { name })} title=${t.t('frames.earlierTitle')} ?disabled=${i === 0} @click=${() => frames.move(frame.id, -1)}>${icon(ArrowUp)}</button>
                  <button type="button" aria-label=${t.t('frames.later', { name })} title=${t.t('frames.laterTitle')} ?disabled=${i === list.length - 1} @click=${() => frames.move(frame.id, 1)}>${icon(ArrowDown)}</button>`
              : nothing
          }
          <button type="button" aria-label=${t.t('frames.savePng', { name })} title="PNG" @click=${() => frames.download(frame.id, 'png', name)}>PNG</button>
          <button type="button" aria-label=${t.t('frames.saveSvg', { name })} title="SVG" @click=${() => frames.download(frame.id, 'svg', name)}>SVG</button>
        </li>`;
      })}
    </ol>
  </aside>`;
}

/** While presenting: where we are, and the way on, back and out. */
export function presentBar(t: Translator, frames: FramesController): TemplateResult | typeof nothing {
  if (frames.presenting === null) return nothing;
  const list = frames.frames();
  const current = list[frames.presenting]?.element;
  const name = current?.kind === 'frame' ? current.name : '';
  return html`<div class="present-bar" role="status">
    <button type="button" aria-label=${t.t('present.previous')} @click=${() => frames.step(-1)}>${icon(ChevronLeft)}</button>
    <span>${t.number(frames.presenting + 1)} / ${t.number(list.length)}${name ? html` · ${name}` : nothing}</span>
    <button type="button" aria-label=${t.t('present.next')} @click=${() => frames.step(1)}>${icon(ChevronRight)}</button>
    <button type="button" aria-label=${t.t('present.stop')} @click=${() => frames.stopPresenting()}>${icon(X)}</button>
  </div>`;
}

/**
 * Over the board while it follows someone ("Following Ana", with a way out), or while this person
 * asks everyone to follow them.
 */
export function followBanner(
  t: Translator,
  following: { peer: Peer; spotlight: boolean } | null,
  spotlighting: boolean,
  actions: { stopFollowing(): void; stopSpotlight(): void },
): TemplateResult | typeof nothing {
  if (following) {
    const { name } = following.peer.user;
    return html`<div class="follow-banner" role="status">
      <span>${t.t(following.spotlight ? 'follow.spotlight' : 'follow.following', { name })}</span>
      <button type="button" data-action="stop-following" @click=${actions.stopFollowing}>${t.t('follow.stop')}</button>
    </div>`;
  }
  if (spotlighting)
    return html`<div class="follow-banner" role="status">
      <span>${t.t('follow.leading')}</span>
      <button type="button" data-action="stop-spotlight" @click=${actions.stopSpotlight}>${t.t('follow.stopLeading')}</button>
    </div>`;
  return nothing;
}
