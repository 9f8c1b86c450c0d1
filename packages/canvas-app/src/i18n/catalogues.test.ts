import { describe, expect, it } from 'vitest';
import { CATALOGUES, LANGUAGES, type Message, matchLanguage, Translator } from './Translator.js';

const { en } = CATALOGUES;
const slots = (message: Message) =>
  (typeof message === 'string' ? [message] : Object.values(message))
    .flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1]))
    .filter((slot, i, all) => all.indexOf(slot) === i)
    .sort();

describe('message catalogues', () => {
  it('speak at least three languages', () => {
    expect(LANGUAGES).toEqual(expect.arrayContaining(['en', 'fr', 'de']));
  });

  for (const language of LANGUAGES) {
    const catalogue = CATALOGUES[language];
    it(`${language}: has every key of the English catalogue and no other`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    });

    it(`${language}: fills the same slots as English, and has each plural form its numbers need`, () => {
      const rules = new Intl.PluralRules(language);
      for (const [key, source] of Object.entries(en) as [keyof typeof en, Message][]) {
        const message: Message = catalogue[key];
        expect(typeof message, key).toBe(typeof source);
        // A plural's `{count}` may be spelt out in one form ("one element"): slots are compared over all forms.
        expect(slots(message), key).toEqual(slots(source));
        if (typeof message === 'string') {
          expect(message.trim(), key).not.toBe('');
          continue;
        }
        for (let n = 0; n <= 1000; n++)
          expect(message[rules.select(n)] ?? null, `${key} for ${n}`).not.toBeNull();
      }
    });
  }

  it('French and German are translations, not copies', () => {
    for (const language of ['fr', 'de'] as const) {
      const same = (Object.keys(en) as (keyof typeof en)[]).filter(
        (key) => JSON.stringify(CATALOGUES[language][key]) === JSON.stringify(en[key]),
      );
      // Words that are the same in both languages (Rectangle, Ellipse, Text, Style, Live...).
      expect(same.length, same.join(', ')).toBeLessThan(Object.keys(en).length / 20);
    }
  });
});

describe('Translator', () => {
  it('fills slots, picks plural forms and formats numbers the language way', () => {
    const en = new Translator('en');
    const fr = new Translator('fr');
    const de = new Translator('de');
    expect(en.t('status.loaded', { count: 1 })).toBe('1 element');
    expect(en.t('status.loaded', { count: 12_500 })).toBe('12,500 elements');
    expect(fr.t('status.loaded', { count: 0 })).toBe('0 élément');
    expect(fr.t('status.loaded', { count: 12_500 })).toBe('12\u202f500 éléments');
    expect(de.t('status.loaded', { count: 12_500 })).toBe('12.500 Elemente');
    expect(en.t('a11y.added', { name: 'Ana', what: en.t('count.sticky', { count: 1 }) })).toBe(
      'Ana added a sticky note',
    );
    expect(de.t('a11y.added', { name: 'Ana', what: de.t('count.stroke', { count: 3 }) })).toBe(
      'Ana hat 3 Striche hinzugefügt',
    );
    expect(fr.percent(1.5)).toBe('150\u00a0%');
    // French counts 0 in the singular: an empty board is "0 élément", not "un élément".
    expect(fr.t('a11y.count', { count: 0 })).toBe('0 élément sur le tableau');
    expect(en.t('a11y.count', { count: 0 })).toBe('0 elements on the board');
    expect(en.list(['a stroke', 'a note', 'an arrow'])).toBe('a stroke, a note, and an arrow');
    expect(de.list(['Ana', 'Ben'])).toBe('Ana und Ben');
    // A slot without a value stays as it is, visibly.
    expect(en.t('a11y.joined')).toBe('{name} joined');
  });

  it('matches language tags to the languages it speaks', () => {
    expect(matchLanguage(['fr-CA', 'en'])).toBe('fr');
    expect(matchLanguage(['pt-BR', 'de_AT'])).toBe('de');
    expect(matchLanguage(['ja', '', null, undefined])).toBe('en');
    expect(matchLanguage(['EN-gb'])).toBe('en');
  });
});
