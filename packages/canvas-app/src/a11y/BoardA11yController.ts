import type { ElementId } from '@inkroom/shared';
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { Translator } from '../i18n/Translator.js';
import type { BoardSession } from '../session/BoardSession.js';
import { boardDescription, LISTED_ELEMENTS } from './board-description.js';
import { firstInReadingOrder } from './spoken.js';

/** The element list follows the board at most this often (sorting a big board's elements costs). */
const LIST_MS = 1000;

/** What the board's accessibility needs from the board. */
export interface A11yParts {
  session(): BoardSession | null;
  translator(): Translator;
  room(): string;
  /** True once the board has synced with the server. */
  live(): boolean;
  select(id: ElementId): void;
}

type A11yHost = ReactiveControllerHost & HTMLElement;

/**
 * The board as assistive technology meets it: the host is a named `application` (a whiteboard,
 * so keys reach it and a screen reader says its name and how to use it), a polite live region
 * says what the narrator and the board announce, and an out-of-sight list describes the elements
 * (see board-description.ts), following the board once a second. Attributes an embedder set on
 * the element win.
 */
export class BoardA11yController implements ReactiveController {
  /** The live region's sentence, and a flip so the same sentence twice is said twice. */
  private spoken = '';
  private flip = false;
  private listTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly ownAttributes = new Set<string>();
  private arrivedSaid = false;

  constructor(
    private readonly host: A11yHost,
    private readonly parts: A11yParts,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.setOwn('role', 'application');
    this.label();
  }

  hostUpdate(): void {
    this.label();
    const session = this.parts.session();
    // Said once, when a board has arrived: how big it is.
    if (session && this.parts.live() && !this.arrivedSaid) {
      this.arrivedSaid = true;
      this.say(this.parts.translator().t('a11y.arrived', { count: session.scene.size }));
    }
  }

  hostDisconnected(): void {
    clearTimeout(this.listTimer);
    this.listTimer = undefined;
  }

  /** A new room: its arrival is said again. */
  roomChanged(): void {
    this.arrivedSaid = false;
  }

  /** Says a sentence through the polite live region. */
  say(text: string): void {
    this.spoken = text;
    this.flip = !this.flip;
    this.host.requestUpdate();
  }

  /** Elements changed: the list follows, within a second. */
  elementsChanged(): void {
    if (this.listTimer || !this.parts.live()) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      this.host.requestUpdate();
    }, LIST_MS);
  }

  render(selection: ReadonlySet<ElementId>): TemplateResult {
    const t = this.parts.translator();
    const session = this.parts.session();
    // While a board arrives, the count only: the list follows once it is there.
    const order =
      session && this.parts.live() ? firstInReadingOrder(session.scene.all(), LISTED_ELEMENTS) : null;
    return html`${boardDescription(
      t,
      order,
      session?.scene.size ?? 0,
      session?.scene ?? null,
      selection,
      (id) => this.parts.select(id),
    )}
      <div class="sr-only" role="log" aria-live="polite" data-announcer>
        ${this.flip ? html`<p>${this.spoken}</p>` : html`<div>${this.spoken}</div>`}
      </div>`;
  }

  /** The host's name and description in the board's language, unless the embedder gave them. */
  private label(): void {
    const t = this.parts.translator();
    this.setOwn('aria-roledescription', t.t('a11y.roleDescription'));
    this.setOwn('aria-label', t.t('a11y.board', { room: this.parts.room() }));
    this.setOwn('aria-description', t.t('a11y.boardDescription'));
  }

  /** Sets an attribute the board owns; one the page set itself is left alone. */
  private setOwn(name: string, value: string): void {
    const current = this.host.getAttribute(name);
    if (current !== null && !this.ownAttributes.has(name)) return;
    this.ownAttributes.add(name);
    if (current !== value) this.host.setAttribute(name, value);
  }
}
