import { parseRoomId, randomId } from '@inkroom/shared';
import { css, html, LitElement, nothing } from 'lit';
import '../board/inkroom-board.js';
import type { UserInfo } from '../presence/PresenceController.js';

const NAME_KEY = 'inkroom.name';
const COLOR_KEY = 'inkroom.color';
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

function storedName(): string {
  return localStorage.getItem(NAME_KEY) || `Guest ${Math.floor(Math.random() * 900 + 100)}`;
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
  };
  static override styles = css`
    :host {
      display: block;
      height: 100vh;
      font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
      color: #1e1e1e;
    }
    .start {
      display: grid;
      place-items: center;
      height: 100%;
      background: #f8f9fa;
    }
    .card {
      background: #fff;
      padding: 32px;
      border-radius: 14px;
      box-shadow: 0 2px 12px rgba(0, 0, 0, 0.1);
      display: grid;
      gap: 14px;
      width: min(380px, 90vw);
    }
    h1 {
      margin: 0;
      font-size: 28px;
    }
    button,
    input {
      font: inherit;
      padding: 8px 12px;
      border-radius: 8px;
      border: 1px solid #ced4da;
    }
    button.primary {
      background: #4c6ef5;
      color: #fff;
      border-color: #4c6ef5;
      cursor: pointer;
    }
    .room {
      display: grid;
      grid-template-rows: auto 1fr;
      height: 100%;
    }
    header {
      display: flex;
      gap: 10px;
      align-items: center;
      padding: 6px 12px;
      border-bottom: 1px solid #e9ecef;
      background: #fff;
    }
    header .title {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      max-width: 30vw;
    }
    header .spacer {
      flex: 1;
    }
    .people {
      display: flex;
      gap: 4px;
    }
    .person {
      width: 26px;
      height: 26px;
      border-radius: 50%;
      color: #fff;
      display: grid;
      place-items: center;
      font-size: 12px;
      font-weight: 600;
    }
    inkroom-board {
      height: 100%;
    }
  `;

  declare room: string | null;
  declare name: string;
  declare copied: boolean;
  private copiedTimer: ReturnType<typeof setTimeout> | undefined;
  declare people: UserInfo[];
  private readonly color = storedColor();

  constructor() {
    super();
    this.room = roomFromPath(location.pathname);
    this.name = storedName();
    this.copied = false;
    this.people = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this.onPopState);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.onPopState);
    clearTimeout(this.copiedTimer);
  }

  protected override updated(): void {
    // Keyboard shortcuts work from the start: the board takes the focus when a room opens.
    const board = this.renderRoot.querySelector('inkroom-board');
    if (board && this.shadowRoot?.activeElement === null) board.focus();
  }

  private readonly onPopState = () => {
    this.room = roomFromPath(location.pathname);
  };

  private go(room: string): void {
    history.pushState(null, '', `/r/${encodeURIComponent(room)}`);
    this.room = room;
  }

  private join(event: Event): void {
    event.preventDefault();
    const value = new FormData(event.target as HTMLFormElement).get('room')?.toString().trim() ?? '';
    if (!value) return;
    // Accept a pasted share link as well as a bare room name.
    const fromLink = value.includes('/r/') ? roomFromPath(new URL(value, location.href).pathname) : null;
    const room = fromLink ?? value;
    if (parseRoomId(room)) this.go(room);
  }

  private setName(name: string): void {
    this.name = name.slice(0, 40) || 'Guest';
    localStorage.setItem(NAME_KEY, this.name);
  }

  private async copyLink(): Promise<void> {
    await navigator.clipboard?.writeText(location.href).catch(() => {});
    this.copied = true;
    clearTimeout(this.copiedTimer);
    this.copiedTimer = setTimeout(() => {
      this.copied = false;
    }, 1500);
  }

  override render() {
    if (!this.room) {
      return html`<main class="start">
        <div class="card">
          <h1>Inkroom</h1>
          <p>Draw together. Share the link, and everyone in the room sees every stroke live.</p>
          <button class="primary" @click=${() => this.go(randomId(12))}>New board</button>
          <form @submit=${this.join}>
            <input name="room" aria-label="Room name or link" placeholder="Room name or link" />
            <button type="submit">Join</button>
          </form>
        </div>
      </main>`;
    }
    const server = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
    return html`<div class="room">
      <header>
        <a href="/" aria-label="Inkroom home">Inkroom</a>
        <span class="title" title=${this.room}>${this.room}</span>
        <button @click=${this.copyLink}>${this.copied ? 'Copied' : 'Copy link'}</button>
        <span class="spacer"></span>
        <div class="people" aria-label="People here">
          ${this.people.map(
            (person) => html`<span class="person" style="background:${person.color}" title=${person.name}
              >${person.name.slice(0, 1).toUpperCase()}</span
            >`,
          )}
        </div>
        <label
          >Your name
          <input
            .value=${this.name}
            aria-label="Your name"
            @change=${(e: Event) => this.setName((e.target as HTMLInputElement).value)}
        /></label>
      </header>
      <inkroom-board
        server=${server}
        room=${this.room}
        user-name=${this.name}
        user-color=${this.color}
        @inkroom-presence=${(e: CustomEvent<{ people: UserInfo[] }>) => {
          this.people = e.detail.people;
        }}
      ></inkroom-board>
      ${nothing}
    </div>`;
  }
}

if (!customElements.get('inkroom-app')) customElements.define('inkroom-app', InkroomApp);
