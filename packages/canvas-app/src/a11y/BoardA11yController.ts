import type { ElementId } from '@inkroom/shared';
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Translator } from '../i18n/Translator.js';
import type { BoardSession } from '../session/BoardSession.js';
import { boardDescription, LISTED_ELEMENTS, type ListedElement } from './board-description.js';
import { firstInReadingOrder, spokenElement } from './spoken.js';

/** The element list follows the board at most this often (finding a big board's first elements costs). */
const LIST_MS = 1000;
/** Sentences the live region holds: what is added is said, and the oldest go. */
const KEPT_SENTENCES = 4;

/** What the board's accessibility needs from the board. */
export interface A11yParts {
  session(): BoardSession | null;
  translator(): Translator;
  /** True once the board has synced with the server: its arrival is said then. */
  live(): boolean;
  /** True while the board is arriving from the server (the list waits: it would change at every piece). */
  arriving(): boolean;
  select(id: ElementId): void;
}

type A11yHost = ReactiveControllerHost & HTMLElement;

/**
 * What assistive technology reads of the board beside the stage (the stage itself is a named
 * `application`, see the board's render): a polite log that says what the narrator and the board
 * announce, sentence by sentence, and an out-of-sight list of the elements (see
 * board-description.ts), found again at most once a second as the board changes, not at every render.
 */
export class BoardA11yController implements ReactiveController {
  private said: { id: number; text: string }[] = [];
  private nextSentence = 0;
  private listTimer: ReturnType<typeof setTimeout> | undefined;
  /** The first elements in reading order, as last found and said; null until the board is there. */
  private listed: ListedElement[] | null = null;
  /** The language the list was said in (a new one says it again). */
  private listedIn: Translator | null = null;
  private arrivedSaid = false;

  constructor(
    private readonly host: A11yHost,
    private readonly parts: A11yParts,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const session = this.parts.session();
    if (!session || this.parts.arriving()) return;
    if (this.listed === null || this.listedIn !== this.parts.translator())
      this.listed = this.findListed(session);
    // Said once, when a board has arrived: how big it is.
    if (this.parts.live() && !this.arrivedSaid) {
      this.arrivedSaid = true;
      this.say(this.parts.translator().t('a11y.arrived', { count: session.scene.size }));
    }
  }

  hostDisconnected(): void {
    clearTimeout(this.listTimer);
    this.listTimer = undefined;
  }

  /** A new room: its list is found afresh, and its arrival said again. */
  roomChanged(): void {
    this.arrivedSaid = false;
    this.listed = null;
  }

  /** Says a sentence through the polite log. */
  say(text: string): void {
    this.said = [...this.said.slice(1 - KEPT_SENTENCES), { id: this.nextSentence++, text }];
    this.host.requestUpdate();
  }

  /** Elements changed: the list follows, within a second. */
  elementsChanged(): void {
    if (this.listTimer || this.listed === null) return;
    this.listTimer = setTimeout(() => {
      this.listTimer = undefined;
      const session = this.parts.session();
      this.listed = session ? this.findListed(session) : null;
      this.host.requestUpdate();
    }, LIST_MS);
  }

  render(selection: ReadonlySet<ElementId>): TemplateResult {
    const session = this.parts.session();
    return html`${boardDescription(
      this.parts.translator(),
      this.listed,
      session?.scene.size ?? 0,
      selection,
      (id) => this.parts.select(id),
    )}
      <div class="sr-only" role="log" aria-live="polite" data-announcer>
        ${repeat(
          this.said,
          (sentence) => sentence.id,
          (sentence) => html`<p>${sentence.text}</p>`,
        )}
      </div>`;
  }

  private findListed(session: BoardSession): ListedElement[] {
    const t = this.parts.translator();
    this.listedIn = t;
    const { scene } = session;
    const frameOf = (id: ElementId) => scene.get(id)?.element ?? null;
    return firstInReadingOrder(scene.unordered(), LISTED_ELEMENTS).map((entry) => ({
      id: entry.id,
      text: spokenElement(t, entry.element, frameOf),
    }));
  }
}
