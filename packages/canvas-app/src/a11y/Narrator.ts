import type { BoardElement, ElementId, ElementsDiff } from '@inkroom/shared';
import type { Translator } from '../i18n/Translator.js';
import type { Peer } from '../presence/Presence.js';
import type { SceneEntry, SceneIndex } from '../scene/SceneIndex.js';
import { type ElementWord, elementWord, spokenElement, tabOrder } from './spoken.js';

/** A change is said once its element has been left alone this long (a note is said with its text). */
const QUIET_MS = 1200;
/** Least time between two announcements of others' changes. */
const GAP_MS = 1500;
/** How often the waiting changes are looked at. */
const TICK_MS = 400;
/** The selection is said once it has stopped changing for this long (Tab held down says the last). */
const SELECTION_MS = 150;
/**
 * How long who had an element selected is remembered: a deletion names no writer, and the
 * remover's emptied selection can arrive before the deletion (which the server relays once stored).
 */
const SELECTED_BY_MS = 10_000;

type Verb = 'added' | 'changed' | 'removed';

interface Pending {
  verb: Verb;
  /** Who did it, as presence names them (null: nobody known). */
  name: string | null;
  word: ElementWord;
  last: number;
}

/** What the narrator needs from its board. */
export interface NarratorBoard {
  readonly translator: Translator;
  readonly selection: ReadonlySet<ElementId>;
  /** True once the board has synced with the server: what arrives before is the board, not news. */
  live(): boolean;
  /** Says a sentence through the board's polite live region. */
  say(text: string): void;
}

/**
 * What a screen reader hears of one board's doc: other people's changes, grouped by person and
 * kind and said politely at most every 1.5 s ("Ana added a sticky note: Plan the launch", once
 * she stops typing), who joins and leaves, and the selection as it moves ("Selected: Rectangle,
 * 3 of 12"). Built and dropped with the doc's session; the page's own edits are not said.
 */
export class Narrator {
  private readonly pending = new Map<ElementId, Pending>();
  private readonly stopObserving: () => void;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSaid = Number.NEGATIVE_INFINITY;
  private selectionTimer: ReturnType<typeof setTimeout> | undefined;
  private people = new Map<number, string>();
  /** Each person's last selection that held something, and when it was seen (a set made when asked). */
  private readonly lastSelections = new Map<
    number,
    { name: string; ids: readonly ElementId[]; at: number; set?: Set<ElementId> }
  >();
  /** What Tab steps through, until the elements change. */
  private order: SceneEntry[] | null = null;

  /** Built once the scene has started: what the board holds already is not news. */
  constructor(
    private readonly scene: SceneIndex,
    private readonly peers: ReadonlyMap<number, Peer>,
    private readonly board: NarratorBoard,
  ) {
    this.stopObserving = scene.onDiff((diff, removed) => {
      this.order = null;
      if (!diff.local && this.board.live()) this.heard(diff, removed);
    });
  }

  destroy(): void {
    this.stopObserving();
    clearInterval(this.timer);
    clearTimeout(this.selectionTimer);
    this.timer = undefined;
  }

  /** What Tab steps through (see keyboard-actions.ts selectNext), kept until the elements change. */
  private tabOrder(): readonly SceneEntry[] {
    this.order ??= tabOrder(this.scene);
    return this.order;
  }

  /**
   * Presence changed: who joined or left is said by name once the room is live (not everyone
   * already there), and what each person selects is remembered a while.
   */
  peopleChanged(): void {
    this.rememberSelections();
    const now = new Map([...this.peers.values()].map((peer) => [peer.clientId, peer.user.name]));
    const translator = this.board.translator;
    // Before the board is live, who is here is the room as found, not news.
    if (this.board.live()) {
      const lines: string[] = [];
      for (const [id, name] of now)
        if (!this.people.has(id)) lines.push(translator.t('a11y.joined', { name }));
      for (const [id, name] of this.people) if (!now.has(id)) lines.push(translator.t('a11y.left', { name }));
      if (lines.length > 0) this.board.say(lines.join('. '));
    }
    this.people = now;
  }

  /** The selection changed: says what is selected now, once it settles. */
  selectionChanged(): void {
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => this.saySelection(), SELECTION_MS);
  }

  private saySelection(): void {
    const translator = this.board.translator;
    const { selection } = this.board;
    if (selection.size === 0) return;
    if (selection.size > 1) {
      this.board.say(translator.t('a11y.selectedMany', { count: selection.size }));
      return;
    }
    const [id] = selection;
    const element = this.scene.get(id!)?.element;
    if (!element) return;
    const what = spokenElement(translator, element, (frame) => this.scene.get(frame)?.element ?? null);
    // Where it is in what Tab steps through (a locked element is not: said without it).
    const order = this.tabOrder();
    const index = element.locked ? -1 : order.findIndex((entry) => entry.id === id);
    this.board.say(
      index < 0
        ? translator.t('a11y.selectedOne', { what })
        : translator.t('a11y.selected', { what, index: index + 1, count: order.length }),
    );
  }

  private heard(diff: ElementsDiff, removedElements: ReadonlyMap<ElementId, BoardElement>): void {
    const now = performance.now();
    const writer = diff.writers.map((id) => this.peers.get(id)?.user.name).find((name) => name);
    const note = (id: ElementId, verb: Verb, element: BoardElement, name: string | null) => {
      const known = this.pending.get(id);
      // An element added and changed before it was said is still news as an addition.
      this.pending.set(id, {
        verb: known?.verb === 'added' ? 'added' : verb,
        name: name ?? known?.name ?? null,
        word: elementWord(element),
        last: now,
      });
    };
    for (const [id, element] of diff.added) note(id, 'added', element, writer ?? element.author ?? null);
    for (const [id, element] of diff.updated) note(id, 'changed', element, writer ?? null);
    for (const id of diff.removed) {
      const known = this.pending.get(id);
      // Added and removed before it was said: nothing to say.
      if (known?.verb === 'added') {
        this.pending.delete(id);
        continue;
      }
      const element = removedElements.get(id);
      // A deletion names no writer: who had it selected is who removed it, most likely.
      this.pending.set(id, {
        verb: 'removed',
        name: this.selectedBy(id, now) ?? known?.name ?? null,
        word: element ? elementWord(element) : { kind: 'element' },
        last: now,
      });
    }
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
  }

  private rememberSelections(): void {
    const now = performance.now();
    for (const peer of this.peers.values()) {
      if (peer.selection.length === 0) continue;
      const last = this.lastSelections.get(peer.clientId);
      if (last && sameIds(last.ids, peer.selection)) last.at = now;
      else this.lastSelections.set(peer.clientId, { name: peer.user.name, ids: peer.selection, at: now });
    }
    for (const [id, last] of this.lastSelections)
      if (now - last.at >= SELECTED_BY_MS && !this.peers.has(id)) this.lastSelections.delete(id);
  }

  /** Who had this element selected in the last ten seconds, if anyone. */
  private selectedBy(id: ElementId, now: number): string | null {
    for (const last of this.lastSelections.values()) {
      if (now - last.at >= SELECTED_BY_MS) continue;
      last.set ??= new Set(last.ids);
      if (last.set.has(id)) return last.name;
    }
    return null;
  }

  private tick(): void {
    const now = performance.now();
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (now - this.lastSaid < GAP_MS) return;
    const ready = [...this.pending].filter(([, p]) => now - p.last >= QUIET_MS);
    if (ready.length === 0) return;
    for (const [id] of ready) this.pending.delete(id);
    this.lastSaid = now;
    this.board.say(this.sentences(ready.map(([, p]) => p)));
  }

  /** "Ana added 3 strokes and a sticky note. Ben removed a rectangle." */
  private sentences(changes: Pending[]): string {
    const translator = this.board.translator;
    const groups = new Map<string, Pending[]>();
    for (const change of changes) {
      const key = `${change.verb}\u0000${change.name ?? ''}`;
      const group = groups.get(key);
      if (group) group.push(change);
      else groups.set(key, [change]);
    }
    const lines: string[] = [];
    for (const group of groups.values()) {
      const { verb, name } = group[0]!;
      const who = name ?? translator.t('a11y.someone');
      const only = group.length === 1 ? group[0]!.word : null;
      if (only?.text && verb !== 'removed') {
        lines.push(
          translator.t(verb === 'added' ? 'a11y.addedText' : 'a11y.changedText', {
            name: who,
            what: translator.t(`count.${only.kind}`, { count: 1 }),
            text: only.text,
          }),
        );
        continue;
      }
      const counts = new Map<ElementWord['kind'], number>();
      for (const change of group) counts.set(change.word.kind, (counts.get(change.word.kind) ?? 0) + 1);
      const what = translator.list(
        [...counts].map(([kind, count]) => translator.t(`count.${kind}`, { count })),
      );
      lines.push(translator.t(`a11y.${verb}`, { name: who, what }));
    }
    return lines.join('. ');
  }
}

/** Whether two selections hold the same ids (cheap for the common case: a cursor moved, nothing else). */
function sameIds(a: readonly ElementId[], b: readonly ElementId[]): boolean {
  return a === b || (a.length === b.length && a[0] === b[0] && a[a.length - 1] === b[b.length - 1]);
}
