import { type AuthInfo, type LinkGrant, parseRoomId, randomId } from '@inkroom/shared';
import { html, LitElement, nothing } from 'lit';
import '../board/inkroom-board.js';
import type { InkroomBoard } from '../board/inkroom-board.js';
import type { TokenProvider } from '../controllers/AccessToken.js';
import { LocaleController } from '../i18n/LocaleController.js';
import { CATALOGUES, LANGUAGES, matchLanguage, translator } from '../i18n/Translator.js';
import type { Person } from '../presence/Presence.js';
import { appStyles } from './app-styles.js';
import './inkroom-share.js';
import type { InkroomShare } from './inkroom-share.js';
import { ApiError, keyFromHash, linkUrl, roomsApi } from './rooms-api.js';

const NAME_KEY = 'inkroom.name';
/** Where a room's link key is remembered on this device, so the room reopens without the link. */
const LINK_KEY_PREFIX = 'inkroom.key:';
/** What the server said of its access control, for a page loaded while it is unreachable. */
const AUTH_KEY = 'inkroom.auth';
const COLOR_KEY = 'inkroom.color';
/** The language chosen on this device, over the browser's. */
const LANGUAGE_KEY = 'inkroom.lang';
const USER_COLORS = ['#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5', '#0c8599', '#c2255c'];

/** The room in the page URL (`/r/<room>`), or null on the start page. */
export function roomFromPath(pathname: string): string | null {
  const match = /^\/r\/(.+)$/.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    return null;
  }
}

/**
 * The page's language (`<html lang>`, which the boards follow): the one chosen on this device,
 * else the first of the browser's that Inkroom speaks.
 */
export function applyLanguage(chosen: string | null = localStorage.getItem(LANGUAGE_KEY)): void {
  document.documentElement.lang =
    chosen && Object.hasOwn(CATALOGUES, chosen) ? chosen : matchLanguage(navigator.languages);
}

function storedName(guest: string): string {
  let name = localStorage.getItem(NAME_KEY);
  if (!name) {
    // Kept, so the same person is the same guest on every page and every visit.
    name = `${guest} ${Math.floor(Math.random() * 900 + 100)}`;
    localStorage.setItem(NAME_KEY, name);
  }
  return name;
}

function storedColor(): string {
  let color = localStorage.getItem(COLOR_KEY);
  if (!color) {
    color = USER_COLORS[Math.floor(Math.random() * USER_COLORS.length)]!;
    localStorage.setItem(COLOR_KEY, color);
  }
  return color;
}

/**
 * The Inkroom app: a start page that creates or joins rooms, and the room page at `/r/<room>`
 * with the board full-window, the room's name, a copy-link button, your name and who is here.
 */
export class InkroomApp extends LitElement {
  static override properties = {
    room: { state: true },
    name: { state: true },
    copied: { state: true },
    people: { state: true },
    following: { state: true },
    spotlighting: { state: true },
    auth: { state: true },
    grant: { state: true },
    accessLost: { state: true },
    notice: { state: true },
    moreOpen: { state: true },
  };
  static override styles = appStyles;

  declare room: string | null;
  declare name: string;
  declare copied: boolean;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;
  declare people: Person[];
  /** The awareness id of the person the board follows, or null. */
  declare following: number | null;
  /** This person asks everyone to follow them. */
  declare spotlighting: boolean;
  /** How the server controls access; null until it has said (or when it cannot be asked). */
  declare auth: AuthInfo | null;
  /** What this page's link grants (links mode), once exchanged. */
  declare grant: LinkGrant | null;
  /** The server refused this page's link (revoked, expired): it is no longer what `grant` says. */
  declare accessLost: boolean;
  declare notice: string;
  /** On a phone, the header's controls beyond the room and the people are folded under "More". */
  declare moreOpen: boolean;
  private readonly color = storedColor();
  private readonly locale = new LocaleController(this);
  private linkKey: string | null = null;
  private tokenProvider: TokenProvider | null = null;

  constructor() {
    super();
    this.room = roomFromPath(location.pathname);
    this.name = '';
    this.copied = false;
    this.people = [];
    this.following = null;
    this.spotlighting = false;
    this.auth = null;
    this.grant = null;
    this.accessLost = false;
    this.notice = '';
    this.moreOpen = false;
    this.takeLinkKey();
  }

  override connectedCallback(): void {
    // The page's language first: the app and its boards read it as they connect.
    applyLanguage();
    super.connectedCallback();
    this.name ||= storedName(this.locale.translator.t('app.guest'));
    addEventListener('popstate', this.onPopState);
    roomsApi.authInfo().then(
      (auth) => {
        this.auth = auth;
        localStorage.setItem(AUTH_KEY, JSON.stringify(auth));
      },
      // The server is unreachable: go by what it said last time (the board shows from this device).
      () => {
        const known = localStorage.getItem(AUTH_KEY);
        this.auth = known ? (JSON.parse(known) as AuthInfo) : { mode: 'off', createRooms: 'anyone' };
      },
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.onPopState);
    clearTimeout(this.copiedTimer);
  }

  protected override updated(): void {
    // Keyboard shortcuts work from the start: the board takes the focus when a room opens.
    const board = this.renderRoot.querySelector('inkroom-board');
    // No focus ring for it: the page gave the focus, not the keyboard (`focusVisible` is newer
    // than TypeScript's DOM types; browsers without it ignore it).
    if (board && this.shadowRoot?.activeElement === null)
      board.focus({ focusVisible: false } as FocusOptions);
  }

  private readonly onPopState = () => {
    this.room = roomFromPath(location.pathname);
    this.takeLinkKey();
  };

  /** The room's link key: from the page's fragment (remembered on this device), else remembered. */
  private takeLinkKey(): void {
    const room = this.room;
    const fromHash = keyFromHash(location.hash);
    if (room && fromHash) {
      localStorage.setItem(LINK_KEY_PREFIX + room, fromHash);
      // Out of the address bar (and so of shared screens and history) once it is kept here.
      history.replaceState(history.state, '', location.pathname + location.search);
    }
    const key = room ? (fromHash ?? localStorage.getItem(LINK_KEY_PREFIX + room)) : null;
    if (key === this.linkKey && this.tokenProvider) return;
    this.linkKey = key;
    this.grant = null;
    this.accessLost = false;
    // One function per room and key, so the board is not told of a new provider on every render.
    this.tokenProvider =
      room && key
        ? async () => {
            try {
              const grant = await roomsApi.exchange(room, key);
              if (this.room === room) this.grant = grant;
              return grant.token;
            } catch (error) {
              // A revoked or expired link: forget it here, so the room shows as private next time.
              if (error instanceof ApiError && error.status === 403)
                localStorage.removeItem(LINK_KEY_PREFIX + room);
              throw error;
            }
          }
        : null;
  }

  private go(room: string, key: string | null = null): void {
    history.pushState(null, '', `/r/${encodeURIComponent(room)}${key ? `#k=${key}` : ''}`);
    this.room = room;
    this.takeLinkKey();
  }

  private async newBoard(): Promise<void> {
    this.notice = '';
    if (this.auth?.mode !== 'links') return this.go(randomId(12));
    try {
      const { room, link } = await roomsApi.createRoom();
      this.go(room, link.secret);
    } catch (error) {
      this.notice = (error as Error).message;
    }
  }

  private join(event: Event): void {
    event.preventDefault();
    const value = new FormData(event.target as HTMLFormElement).get('room')?.toString().trim() ?? '';
    if (!value) return;
    // Accept a pasted share link (with its key) as well as a bare room name.
    const url = value.includes('/r/') ? new URL(value, location.href) : null;
    const room = (url && roomFromPath(url.pathname)) ?? value;
    if (parseRoomId(room)) this.go(room, url ? keyFromHash(url.hash) : null);
  }

  private setName(name: string): void {
    this.name = name.slice(0, 40) || this.locale.translator.t('app.guest');
    localStorage.setItem(NAME_KEY, this.name);
  }

  private openShare(): void {
    void this.renderRoot.querySelector<InkroomShare>('inkroom-share')?.open();
  }

  /** Copies this page's link: with the link key it was opened with, so it opens the board too. */
  private board(): InkroomBoard | null {
    return this.renderRoot.querySelector('inkroom-board');
  }

  private async copyLink(): Promise<void> {
    const url = this.room && this.linkKey ? linkUrl(this.room, this.linkKey) : location.href;
    await navigator.clipboard?.writeText(url).catch(() => {});
    this.copied = true;
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => {
      this.copied = false;
    }, 1500);
  }

  /** Chooses the language on this device (the page's `lang`, which the boards follow). */
  private languagePicker() {
    const current = this.locale.language;
    return html`<select
      class="language"
      aria-label=${this.locale.translator.t('app.language')}
      @change=${(e: Event) => {
        const chosen = (e.target as HTMLSelectElement).value;
        localStorage.setItem(LANGUAGE_KEY, chosen);
        applyLanguage(chosen);
      }}
    >
      ${LANGUAGES.map(
        (language) =>
          html`<option value=${language} lang=${language} ?selected=${language === current}>${translator(language).t('language.name')}</option>`,
      )}
    </select>`;
  }

  override render() {
    const t = this.locale.translator;
    if (!this.room) {
      return html`<main class="start">
        <div class="card">
          <h1>Inkroom</h1>
          <p>${t.t('app.tagline')}</p>
          <button class="primary" @click=${this.newBoard}>${t.t('app.newBoard')}</button>
          ${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : nothing}
          <form @submit=${this.join}>
            <input name="room" aria-label=${t.t('app.roomOrLink')} placeholder=${t.t('app.roomOrLink')} />
            <button type="submit">${t.t('app.join')}</button>
          </form>
          ${this.languagePicker()}
        </div>
      </main>`;
    }
    const server = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    // The board waits for the access mode, so it never connects without the token it needs.
    if (!this.auth) return html`<div class="room"></div>`;
    const links = this.auth.mode === 'links';
    if (links && !this.linkKey) {
      return html`<main class="start">
        <div class="card">
          <h1>${t.t('app.private')}</h1>
          <p>${t.t('app.privateHelp')}</p>
          <a href="/">${t.t('app.home')}</a>
        </div>
      </main>`;
    }
    const grant = this.accessLost ? null : this.grant;
    const role = !links
      ? ''
      : this.accessLost
        ? 'none'
        : !grant
          ? ''
          : grant.owner
            ? 'owner'
            : grant.scope === 'write'
              ? 'edit'
              : 'view';
    const roleText = {
      none: t.t('app.roleNone'),
      owner: t.t('app.roleOwner'),
      edit: t.t('app.roleEdit'),
      view: t.t('app.roleView'),
      '': '',
    }[role];
    return html`<div class="room">
      <header>
        <a href="/" aria-label=${t.t('app.home')}>Inkroom</a>
        <span class="title" title=${this.room}>${this.room}</span>
        ${role ? html`<span class="role" data-role=${role}>${roleText}</span>` : nothing}
        <span class="spacer"></span>
        <div class="people" role="group" aria-label=${t.t('app.people')}>
          ${this.people.map((person) => {
            const followed = this.following === person.id;
            const label = t.t(
              person.spotlight
                ? followed
                  ? 'app.personSpotlightStop'
                  : 'app.personSpotlightFollow'
                : followed
                  ? 'app.personStop'
                  : 'app.personFollow',
              { name: person.name },
            );
            return html`<button
              type="button"
              class="person ${person.spotlight ? 'spotlight' : ''}"
              data-person=${person.id}
              style="background:${person.color}"
              title=${label}
              aria-label=${label}
              aria-pressed=${followed ? 'true' : 'false'}
              @click=${() => this.board()?.follow(followed ? null : person.id)}
            >
              ${person.name.slice(0, 1).toUpperCase()}
            </button>`;
          })}
        </div>
        <button
          type="button"
          class="more"
          aria-expanded=${this.moreOpen ? 'true' : 'false'}
          aria-controls="room-extras"
          @click=${() => {
            this.moreOpen = !this.moreOpen;
          }}
        >
          ${t.t('app.more')}
        </button>
        <div id="room-extras" class="extras ${this.moreOpen ? 'open' : ''}">
        ${
          grant?.owner
            ? html`<button class="share" @click=${this.openShare}>${t.t('app.share')}</button>`
            : html`<button @click=${this.copyLink}>${t.t(this.copied ? 'app.copied' : 'app.copyLink')}</button>`
        }
        ${
          grant && grant.scope !== 'write'
            ? nothing
            : html`<button
                class="spotlight-toggle"
                aria-pressed=${this.spotlighting ? 'true' : 'false'}
                title=${t.t('app.spotlightTitle')}
                @click=${() => this.board()?.spotlight(!this.spotlighting)}
              >
                ${t.t(this.spotlighting ? 'app.stopSpotlight' : 'app.spotlight')}
              </button>`
        }
        ${this.languagePicker()}
        <label
          >${t.t('app.yourName')}
          <input
            .value=${this.name}
            aria-label=${t.t('app.yourName')}
            @change=${(e: Event) => this.setName((e.target as HTMLInputElement).value)}
        /></label>
        </div>
      </header>
      <inkroom-board
        server=${server}
        room=${this.room}
        .tokenProvider=${links ? this.tokenProvider : null}
        user-name=${this.name}
        user-color=${this.color}
        @inkroom-presence=${(e: CustomEvent<{ people: Person[] }>) => {
          this.people = e.detail.people;
        }}
        @inkroom-follow=${(e: CustomEvent<{ following: Person | null; leading: boolean }>) => {
          this.following = e.detail.following?.id ?? null;
          this.spotlighting = e.detail.leading;
        }}
        @inkroom-status=${(e: CustomEvent<{ status: string; reason?: string }>) => {
          // Refused for access (revoked, expired, no token to be had); back once it syncs again.
          if (e.detail.reason) this.accessLost = /^(4401|4403|no access)/.test(e.detail.reason);
          else if (e.detail.status === 'synced') this.accessLost = false;
        }}
      ></inkroom-board>
      ${grant?.owner ? html`<inkroom-share .room=${this.room} .ownerToken=${() => this.grant?.token ?? null}></inkroom-share>` : nothing}
    </div>`;
  }
}

if (!customElements.get('inkroom-app')) customElements.define('inkroom-app', InkroomApp);
