import { css, html, LitElement } from 'lit';

interface Health {
  status: string;
  rooms: number;
  connections: number;
}

/** The start page until the board lands: shows that the server is up and what it serves. */
export class InkroomStatus extends LitElement {
  static override properties = { health: { state: true } };
  static override styles = css`
    :host { display: block; max-width: 36rem; padding: 2rem; }
    h1 { margin: 0 0 0.5rem; font-size: 2rem; }
    code { background: #e9ecef; padding: 0.1rem 0.3rem; border-radius: 4px; }
  `;

  declare private health: Health | null;

  constructor() {
    super();
    this.health = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    fetch('/healthz')
      .then((res) => res.json() as Promise<Health>)
      .then((health) => {
        this.health = health;
      })
      .catch(() => {
        this.health = null;
      });
  }

  override render() {
    const endpoint = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/<room>`;
    return html`
      <h1>Inkroom</h1>
      <p>The sync server is running. Connect any y-websocket client to <code>${endpoint}</code>.</p>
      <p>
        ${
          this.health
            ? `${this.health.rooms} room(s) open, ${this.health.connections} connection(s).`
            : 'Checking server health…'
        }
      </p>
    `;
  }
}

if (!customElements.get('inkroom-status')) customElements.define('inkroom-status', InkroomStatus);
