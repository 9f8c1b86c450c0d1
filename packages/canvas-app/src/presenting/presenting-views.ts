import { html, nothing, type TemplateResult } from 'lit';
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight, X } from 'lucide';
import { icon } from '../board/icons.js';
import type { Peer } from '../presence/Presence.js';
import type { FramesController } from './FramesController.js';

/**
 * The frames panel: the board's frames in order, each shown on a click, renamed, moved earlier or
 * later, saved as PNG or SVG; and Present, from the first.
 */
export function framesPanel(frames: FramesController, canEdit: boolean): TemplateResult | typeof nothing {
  if (!frames.open) return nothing;
  const list = frames.frames();
  return html`<aside class="versions frames" part="frames" aria-label="Frames">
    <div class="versions-head">
      <h2>Frames</h2>
      <button type="button" aria-label="Close the frames" title="Close" @click=${() => frames.toggle()}>${icon(X)}</button>
    </div>
    <button type="button" class="version-restore" data-action="present" ?disabled=${list.length === 0} @click=${() => frames.present(0)}>
      Present (arrow keys step, Escape ends)
    </button>
    <p class="versions-message">${list.length === 0 ? 'No frames yet: draw one with the frame tool (F).' : ''}</p>
    <ol>
      ${list.map((frame, i) => {
        const element = frame.element;
        const name = element.kind === 'frame' ? element.name || `Frame ${i + 1}` : '';
        return html`<li class="frame-row">
          ${
            canEdit
              ? html`<input
                  aria-label=${`Name of frame ${i + 1}`}
                  .value=${name}
                  maxlength="120"
                  @change=${(event: Event) => frames.rename(frame.id, (event.target as HTMLInputElement).value)}
                />`
              : html`<span>${name}</span>`
          }
          <button type="button" aria-label=${`Show ${name}`} title="Show it" @click=${() => frames.show(frame)}>${icon(ChevronRight)}</button>
          ${
            canEdit
              ? html`<button type="button" aria-label=${`Move ${name} earlier`} title="Earlier" ?disabled=${i === 0} @click=${() => frames.move(frame.id, -1)}>${icon(ArrowUp)}</button>
                  <button type="button" aria-label=${`Move ${name} later`} title="Later" ?disabled=${i === list.length - 1} @click=${() => frames.move(frame.id, 1)}>${icon(ArrowDown)}</button>`
              : nothing
          }
          <button type="button" aria-label=${`Save ${name} as PNG`} title="PNG" @click=${() => frames.download(frame.id, 'png', name)}>PNG</button>
          <button type="button" aria-label=${`Save ${name} as SVG`} title="SVG" @click=${() => frames.download(frame.id, 'svg', name)}>SVG</button>
        </li>`;
      })}
    </ol>
  </aside>`;
}

/** While presenting: where we are, and the way on, back and out. */
export function presentBar(frames: FramesController): TemplateResult | typeof nothing {
  if (frames.presenting === null) return nothing;
  const list = frames.frames();
  const current = list[frames.presenting]?.element;
  const name = current?.kind === 'frame' ? current.name : '';
  return html`<div class="present-bar" role="status">
    <button type="button" aria-label="Previous frame" @click=${() => frames.step(-1)}>${icon(ChevronLeft)}</button>
    <span>${frames.presenting + 1} / ${list.length}${name ? html` · ${name}` : nothing}</span>
    <button type="button" aria-label="Next frame" @click=${() => frames.step(1)}>${icon(ChevronRight)}</button>
    <button type="button" aria-label="Stop presenting" @click=${() => frames.stopPresenting()}>${icon(X)}</button>
  </div>`;
}

/**
 * Over the board while it follows someone ("Following Ana", with a way out), or while this person
 * asks everyone to follow them.
 */
export function followBanner(
  following: { peer: Peer; spotlight: boolean } | null,
  spotlighting: boolean,
  actions: { stopFollowing(): void; stopSpotlight(): void },
): TemplateResult | typeof nothing {
  if (following) {
    const { name } = following.peer.user;
    return html`<div class="follow-banner" role="status">
      <span>${following.spotlight ? html`<b>${name}</b> asks everyone to follow` : html`Following <b>${name}</b>`}</span>
      <button type="button" data-action="stop-following" @click=${actions.stopFollowing}>Stop following</button>
    </div>`;
  }
  if (spotlighting)
    return html`<div class="follow-banner" role="status">
      <span>Everyone here is asked to follow you</span>
      <button type="button" data-action="stop-spotlight" @click=${actions.stopSpotlight}>Stop</button>
    </div>`;
  return nothing;
}
