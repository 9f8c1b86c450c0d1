import type { BoardElement, ElementId } from '@inkroom/shared';
import type { Translator } from '../i18n/Translator.js';
import type { SceneEntry, SceneIndex } from '../scene/SceneIndex.js';

/** Longest text said of an element (a long note is said in part). */
const MAX_SPOKEN_TEXT = 120;
/** Elements whose tops are this close (board units) read as one row. */
const ROW = 40;

/** What an element is called when it is said: a kind (a highlighter stroke is a highlight) and its words. */
export interface ElementWord {
  kind: BoardElement['kind'] | 'highlight' | 'element';
  /** Its text, a shape's label or a frame's name, trimmed; absent when it has none. */
  text?: string;
}

export function elementWord(element: BoardElement): ElementWord {
  const kind = element.kind === 'stroke' && element.brush === 'highlighter' ? 'highlight' : element.kind;
  const raw = element.kind === 'frame' ? element.name : 'text' in element ? element.text : '';
  const text = raw.replace(/\s+/g, ' ').trim();
  if (!text) return { kind };
  return { kind, text: text.length > MAX_SPOKEN_TEXT ? `${text.slice(0, MAX_SPOKEN_TEXT - 1)}…` : text };
}

/** Reading order: by rows from the top, left to right within a row. */
function beforeInReading(a: SceneEntry, b: SceneEntry): number {
  return Math.floor(a.minY / ROW) - Math.floor(b.minY / ROW) || a.minX - b.minX;
}

/** The board's elements in reading order: by rows from the top, left to right within a row. */
export function readingOrder(entries: readonly SceneEntry[]): SceneEntry[] {
  return [...entries].sort(beforeInReading);
}

/** What Tab steps through: the elements not locked, in reading order. */
export function tabOrder(scene: SceneIndex): SceneEntry[] {
  return readingOrder([...scene.unordered()].filter((entry) => !entry.element.locked));
}

/**
 * The first `count` elements in reading order, in one pass: on a board of 50,000 strokes most are
 * turned away by one comparison with the last kept, where sorting them all would take 40 ms.
 */
export function firstInReadingOrder(entries: Iterable<SceneEntry>, count: number): SceneEntry[] {
  const kept: SceneEntry[] = [];
  for (const entry of entries) {
    if (kept.length === count && beforeInReading(entry, kept[count - 1]!) >= 0) continue;
    let at = kept.length;
    while (at > 0 && beforeInReading(entry, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, entry);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/**
 * An element as a screen reader says it: "Sticky note “Plan the launch”, by Ana, in Frame
 * “Launch”, locked".
 */
export function spokenElement(
  translator: Translator,
  element: BoardElement,
  frameOf: (id: ElementId) => BoardElement | null,
): string {
  const word = elementWord(element);
  const kind = translator.t(word.kind === 'element' ? 'count.element' : `kind.${word.kind}`, { count: 1 });
  const what = word.text ? translator.t('a11y.quoted', { kind, text: word.text }) : kind;
  let item = element.author ? translator.t('a11y.item', { what, author: element.author }) : what;
  const frame = element.frame ? frameOf(element.frame) : null;
  if (frame) {
    const frameWord = elementWord(frame);
    const frameKind = translator.t('kind.frame');
    const name = frameWord.text
      ? translator.t('a11y.quoted', { kind: frameKind, text: frameWord.text })
      : frameKind;
    item = translator.t('a11y.inFrame', { item, frame: name });
  }
  if (element.locked) item = `${item}, ${translator.t('a11y.locked')}`;
  return item.charAt(0).toLocaleUpperCase(translator.language) + item.slice(1);
}
