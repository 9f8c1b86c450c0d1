import type { AccessScope, LinkView } from '@inkroom/shared';
import { css, html, LitElement, nothing } from 'lit';
import { LocaleController } from '../i18n/LocaleController.js';
import type { MessageKey, Translator } from '../i18n/Translator.js';
import { linkUrl, roomsApi } from './rooms-api.js';

const EXPIRIES: { label: MessageKey; seconds: number | null }[] = [
  { label: 'share.never', seconds: null },
  { label: 'share.hour', seconds: 3600 },
  { label: 'share.day', seconds: 86_400 },
  { label: 'share.week', seconds: 7 * 86_400 },
];

function describeExpiry(t: Translator, link: LinkView): string {
  if (link.expiresAt === null) return t.t('share.noExpiry');
  const left = link.expiresAt - Date.now();
  if (left <= 0) return t.t('share.expired');
  const hours = left / 3_600_000;
  return hours < 1
    ? t.t('share.minutesLeft', { count: Math.ceil(left / 60_000) })
    : hours < 48
      ? t.t('share.hoursLeft', { count: Math.round(hours) })
      : t.t('share.daysLeft', { count: Math.round(hours / 24) });
}

/**
 * The owner's Share dialog: makes view and edit links (with a label and an expiry), lists them,
 * copies them, lowers an edit link to view, and revokes them. Revoking cuts open pages off within
 * a second.
 */
export class InkroomShare extends LitElement {
  static override properties = {
    room: { type: String },
    links: { state: true },
    error: { state: true },
    copiedId: { state: true },
  };

  static override styles = css`
    dialog {
      border: none;
      border-radius: 14px;
      box-shadow: 0 8px 32px rgba(0, 0, 0, 0.2);
      padding: 20px;
      width: min(680px, 94vw);
      font: inherit;
    }
    h2 {
      margin: 0 0 12px;
      font-size: 18px;
    }
    form,
    li {
      display: flex;
      gap: 8px;
      align-items: center;
      flex-wrap: wrap;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 16px 0;
      display: grid;
      gap: 8px;
    }
    li {
      padding: 8px;
      border: 1px solid #e9ecef;
      border-radius: 8px;
    }
    .label {
      flex: 1;
      min-width: 120px;
      overflow: hidden;
      text-overflow: ellipsis;
    }
    .scope {
      font-size: 12px;
      padding: 2px 8px;
      border-radius: 10px;
      background: #e7f5ff;
      color: #1864ab;
    }
    .scope[data-scope='read'] {
      background: #f1f3f5;
      color: #495057;
    }
    .muted {
      color: #868e96;
      font-size: 12px;
    }
    .error {
      color: #c92a2a;
    }
    button,
    input,
    select {
      font: inherit;
      padding: 6px 10px;
      border-radius: 8px;
      border: 1px solid #ced4da;
      background: #fff;
    }
    button.primary {
      background: #4c6ef5;
      color: #fff;
      border-color: #4c6ef5;
    }
    button.danger {
      color: #c92a2a;
    }
    .footer {
      display: flex;
      justify-content: flex-end;
    }
  `;

  declare room: string;
  declare links: LinkView[];
  declare error: string;
  declare copiedId: string;
  /** The owner's current token (it renews, so it is asked for on each call). */
  ownerToken: () => string | null = () => null;
  private readonly locale = new LocaleController(this);

  constructor() {
    super();
    this.room = '';
    this.links = [];
    this.error = '';
    this.copiedId = '';
  }

  /** Opens the dialog and loads the room's links. */
  async open(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
    await this.refresh();
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    const token = this.ownerToken();
    if (!token) {
      this.error = this.locale.translator.t('share.notOwnerYet');
      return;
    }
    try {
      this.error = '';
      await action();
      this.links = await roomsApi.listLinks(this.room, token);
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  private refresh(): Promise<void> {
    return this.run(async () => {});
  }

  private create(event: Event): void {
    event.preventDefault();
    // Taken now: once the event has been dispatched, its target is retargeted to the host.
    const element = event.target as HTMLFormElement;
    const form = new FormData(element);
    const expiry = EXPIRIES[Number(form.get('expiry'))]?.seconds ?? null;
    void this.run(() =>
      roomsApi.createLink(this.room, this.ownerToken()!, {
        scope: form.get('scope') === 'write' ? 'write' : 'read',
        label: String(form.get('label') ?? '').slice(0, 80),
        expiresInSeconds: expiry,
      }),
    ).then(() => element.reset());
  }

  private async copy(link: LinkView): Promise<void> {
    if (!link.secret) return;
    await navigator.clipboard?.writeText(linkUrl(this.room, link.secret)).catch(() => {});
    this.copiedId = link.id;
    setTimeout(() => {
      if (this.copiedId === link.id) this.copiedId = '';
    }, 1500);
  }

  private setScope(link: LinkView, scope: AccessScope): void {
    void this.run(() => roomsApi.updateLink(this.room, this.ownerToken()!, link.id, scope));
  }

  private revoke(link: LinkView): void {
    void this.run(() => roomsApi.deleteLink(this.room, this.ownerToken()!, link.id));
  }

  private renderLink(link: LinkView) {
    // An expired link opens nothing: it can only be revoked (to tidy the list).
    const expired = link.expiresAt !== null && link.expiresAt <= Date.now();
    const t = this.locale.translator;
    const scopeText = t.t(
      link.owner ? 'share.owner' : link.scope === 'write' ? 'share.canEdit' : 'share.canView',
    );
    return html`<li data-link=${link.id} data-scope=${link.scope}>
      <span class="label">${link.label || t.t(link.owner ? 'share.ownerLink' : 'share.untitled')}
        <span class="muted">· ${describeExpiry(t, link)}</span></span>
      <span class="scope" data-scope=${link.scope}>${scopeText}</span>
      <button type="button" class="copy" ?disabled=${!link.secret || expired} @click=${() => this.copy(link)}>
        ${t.t(this.copiedId === link.id ? 'share.copied' : 'share.copyLink')}
      </button>
      ${
        link.owner
          ? nothing
          : html`<button
                type="button"
                class="scope-change"
                ?disabled=${expired}
                @click=${() => this.setScope(link, link.scope === 'write' ? 'read' : 'write')}
              >
                ${t.t(link.scope === 'write' ? 'share.makeViewOnly' : 'share.allowEditing')}
              </button>
              <button type="button" class="danger revoke" @click=${() => this.revoke(link)}>${t.t('share.revoke')}</button>`
      }
    </li>`;
  }

  override render() {
    const t = this.locale.translator;
    return html`<dialog aria-label=${t.t('share.title')}>
      <h2>${t.t('share.title')}</h2>
      <form @submit=${this.create}>
        <select name="scope" aria-label=${t.t('share.scope')}>
          <option value="read">${t.t('share.canView')}</option>
          <option value="write">${t.t('share.canEdit')}</option>
        </select>
        <input name="label" aria-label=${t.t('share.label')} placeholder=${t.t('share.labelPlaceholder')} maxlength="80" />
        <select name="expiry" aria-label=${t.t('share.expiry')}>
          ${EXPIRIES.map((expiry, index) => html`<option value=${index}>${t.t(expiry.label)}</option>`)}
        </select>
        <button type="submit" class="primary">${t.t('share.create')}</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <ul aria-label=${t.t('share.links')}>
        ${this.links.map((link) => this.renderLink(link))}
      </ul>
      <div class="footer">
        <button type="button" @click=${() => this.renderRoot.querySelector('dialog')?.close()}>${t.t('share.done')}</button>
      </div>
    </dialog>`;
  }
}

if (!customElements.get('inkroom-share')) customElements.define('inkroom-share', InkroomShare);

declare global {
  interface HTMLElementTagNameMap {
    'inkroom-share': InkroomShare;
  }
}
