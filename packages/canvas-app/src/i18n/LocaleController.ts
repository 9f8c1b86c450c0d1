import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type Language, matchLanguage, type Translator, translator } from './Translator.js';

/**
 * The language an element speaks: its own `lang` attribute, else the nearest ancestor's (across
 * shadow roots, so a board inside an app follows the app's page), else the browser's languages.
 * Follows changes to any `lang` attribute in the document and to the host's own.
 */
export class LocaleController implements ReactiveController {
  private current: Translator = translator('en');
  private readonly observer = new MutationObserver(() => this.resolve());

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  /** The host's translator (English until it is connected). */
  get translator(): Translator {
    return this.current;
  }

  get language(): Language {
    return this.current.language;
  }

  hostConnected(): void {
    const options = { attributes: true, attributeFilter: ['lang'] };
    this.observer.observe(this.host, options);
    this.observer.observe(document.documentElement, { ...options, subtree: true });
    this.resolve(false);
  }

  hostDisconnected(): void {
    this.observer.disconnect();
  }

  private resolve(update = true): void {
    const next = translator(matchLanguage([declaredLanguage(this.host), ...navigator.languages]));
    if (next === this.current) return;
    this.current = next;
    if (update) this.host.requestUpdate();
  }
}

/** The `lang` of the element or of its nearest ancestor that has one, looking out of shadow roots. */
function declaredLanguage(element: Element): string | null {
  for (let node: Element | null = element; node; ) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host as Element | undefined) ?? null;
  }
  return null;
}
