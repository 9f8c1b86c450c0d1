import { de } from './de.js';
import { en } from './en.js';
import { fr } from './fr.js';

/** A message's forms by plural category (`Intl.PluralRules`); `other` is always there. */
export type PluralMessage = { readonly other: string } & Partial<
  Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>
>;
export type Message = string | PluralMessage;
export type MessageKey = keyof typeof en;
/** A language's words: every key of the English catalogue (a missing one is a compile error). */
export type Catalogue = { readonly [K in MessageKey]: Message };
export type MessageParams = Readonly<Record<string, string | number>>;

/** The languages the board speaks, by BCP 47 primary tag. */
export const CATALOGUES = { en, fr, de } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof CATALOGUES;
export const LANGUAGES = Object.keys(CATALOGUES) as Language[];

/** The first of these language tags the board speaks (`fr-CA` is `fr`), else English. */
export function matchLanguage(tags: readonly (string | null | undefined)[]): Language {
  for (const tag of tags) {
    const primary = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (primary && Object.hasOwn(CATALOGUES, primary)) return primary as Language;
  }
  return 'en';
}

/**
 * One language's messages and formats: `t(key, params)` fills a message's `{name}` slots
 * (numbers through `Intl.NumberFormat`), choosing a plural form by `params.count`; numbers,
 * percentages, dates and lists are formatted the language's way. One per language, shared.
 */
export class Translator {
  readonly catalogue: Catalogue;
  // Made when first needed: creating Intl formatters costs milliseconds each as a page opens.
  private plurals: Intl.PluralRules | null = null;
  private numbers: Intl.NumberFormat | null = null;
  private percents: Intl.NumberFormat | null = null;
  private dates: Intl.DateTimeFormat | null = null;
  private lists: Intl.ListFormat | null = null;

  constructor(readonly language: Language) {
    this.catalogue = CATALOGUES[language];
  }

  t(key: MessageKey, params: MessageParams = {}): string {
    const message = this.catalogue[key];
    const text =
      typeof message === 'string'
        ? message
        : (message[this.pluralOf(Number(params.count ?? 0))] ?? message.other);
    return text.replace(/\{(\w+)\}/g, (slot, name: string) => {
      const value = params[name];
      if (value === undefined) return slot;
      return typeof value === 'number' ? this.number(value) : value;
    });
  }

  number(value: number): string {
    this.numbers ??= new Intl.NumberFormat(this.language);
    return this.numbers.format(value);
  }

  /** 1.5 is "150%" (or "150 %"). */
  percent(ratio: number): string {
    this.percents ??= new Intl.NumberFormat(this.language, { style: 'percent', maximumFractionDigits: 0 });
    return this.percents.format(ratio);
  }

  dateTime(time: number): string {
    this.dates ??= new Intl.DateTimeFormat(this.language, { dateStyle: 'medium', timeStyle: 'medium' });
    return this.dates.format(time);
  }

  /** "a, b and c", with the language's conjunction. */
  list(items: readonly string[]): string {
    this.lists ??= new Intl.ListFormat(this.language, { type: 'conjunction' });
    return this.lists.format(items);
  }

  private pluralOf(count: number): Intl.LDMLPluralRule {
    this.plurals ??= new Intl.PluralRules(this.language);
    return this.plurals.select(count);
  }
}

const translators = new Map<Language, Translator>();

export function translator(language: Language): Translator {
  let found = translators.get(language);
  if (!found) {
    found = new Translator(language);
    translators.set(language, found);
  }
  return found;
}
