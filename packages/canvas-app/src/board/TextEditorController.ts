import {
  type BoardElement,
  deleteElements,
  type ElementId,
  elementText,
  FONT_FAMILY,
  getElement,
  hasLabel,
  layoutText,
  updateElement,
} from '@inkroom/shared';
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type * as Y from 'yjs';
import type { Translator } from '../i18n/Translator.js';
import type { BoardSession } from '../session/BoardSession.js';
import type { Viewport } from '../viewport/Viewport.js';

/** What the editor needs from its board. */
export interface TextEditorHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly viewport: Viewport;
  readonly canEdit: boolean;
  /** The board's language. */
  readonly translator: Translator;
  focus(): void;
}

type Labelled = Extract<BoardElement, { kind: 'rectangle' | 'ellipse' | 'line' | 'arrow' }>;

/** Text widths in the board's font, for laying out a label as it is typed. */
let measureContext: CanvasRenderingContext2D | null | undefined;
function measure(text: string, fontSize: number): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * fontSize * 0.56;
  measureContext.font = `${fontSize}px ${FONT_FAMILY}`;
  return measureContext.measureText(text).width;
}

/** Where a label's textarea goes, in board units: centred as the label is drawn. */
function labelBox(element: Labelled, text: string) {
  const layout = layoutText({ ...element, text: text || ' ' }, measure)!;
  return {
    x: layout.x - layout.width / 2,
    y: layout.lines[0]!.y,
    width: layout.width,
    height: layout.height,
  };
}

/**
 * Edits a text element, a sticky note or a label (of a shape, line or arrow) in place, in a
 * textarea over it. The textarea follows the
 * element's live Y.Text: someone else typing in the same note appears at once (the caret keeps
 * its place), so local edits never overwrite theirs. The canvas leaves the element out meanwhile,
 * so its text is not drawn twice.
 */
export class TextEditorController implements ReactiveController {
  private current: ElementId | null = null;
  private bound: ElementId | null = null;
  private unbind: (() => void) | null = null;

  /** `session` is the board's current doc session: its doc, history origin and renderer. */
  constructor(
    private readonly host: TextEditorHost,
    private readonly session: () => BoardSession | null,
  ) {
    host.addController(this);
  }

  get editing(): ElementId | null {
    return this.current;
  }

  open(id: ElementId): void {
    this.current = id;
    this.host.requestUpdate();
  }

  /** Closes without finishing (the board changed under it). */
  drop(): void {
    this.current = null;
    this.host.requestUpdate();
  }

  hostUpdated(): void {
    if (this.bound !== this.current) this.bind();
  }

  hostDisconnected(): void {
    this.unbind?.();
    this.unbind = null;
    this.bound = null;
  }

  render() {
    const doc = this.session()?.doc;
    if (!this.current || !doc) return nothing;
    const element = getElement(doc, this.current);
    if (element && hasLabel(element.kind)) return this.renderLabel(element as Labelled);
    if (!element || (element.kind !== 'text' && element.kind !== 'sticky')) return nothing;
    const viewport = this.host.viewport;
    const zoom = viewport.zoom;
    const at = viewport.toScreen({ x: element.x, y: element.y });
    const inset = element.kind === 'sticky' ? 12 : 0;
    const style = [
      `left:${at.x + inset * zoom}px`,
      `top:${at.y + inset * zoom}px`,
      `width:${Math.max(40, element.width - inset * 2)}px`,
      `height:${Math.max(element.fontSize * 1.25, element.height - inset * 2)}px`,
      `transform:scale(${zoom})`,
      `font:${element.fontSize}px/1.25 ${FONT_FAMILY}`,
      `color:${element.strokeColor}`,
      `text-align:${element.kind === 'text' ? element.align : 'left'}`,
    ].join(';');
    const kind = element.kind;
    const id = element.id;
    return html`<textarea
      class="editor"
      aria-label=${this.host.translator.t(kind === 'sticky' ? 'editor.sticky' : 'editor.text')}
      style=${style}
      .value=${element.text}
      @input=${(e: Event) => this.write(id, kind, (e.target as HTMLTextAreaElement).value)}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this.finish();
        e.stopPropagation();
      }}
      @blur=${() => this.finish()}
    ></textarea>`;
  }

  /** A label's textarea: centred on the shape (or the line's middle), growing as lines are added. */
  private renderLabel(stored: Labelled) {
    // A bound arrow's middle is where it is drawn, not where it is stored.
    const element = (this.session()?.scene.get(stored.id)?.element as Labelled | undefined) ?? stored;
    const viewport = this.host.viewport;
    const place = (textarea: HTMLTextAreaElement, text: string) => {
      const box = labelBox(element, text);
      const at = viewport.toScreen({ x: box.x, y: box.y });
      textarea.style.left = `${at.x}px`;
      textarea.style.top = `${at.y}px`;
      textarea.style.width = `${box.width}px`;
      textarea.style.height = `${box.height}px`;
    };
    const box = labelBox(element, element.text);
    const at = viewport.toScreen({ x: box.x, y: box.y });
    const style = [
      `left:${at.x}px`,
      `top:${at.y}px`,
      `width:${box.width}px`,
      `height:${box.height}px`,
      `transform:scale(${viewport.zoom})`,
      `font:${element.fontSize}px/1.25 ${FONT_FAMILY}`,
      `color:${element.strokeColor}`,
      'text-align:center',
      'overflow:hidden',
    ].join(';');
    const { id, kind } = element;
    return html`<textarea
      class="editor"
      aria-label=${this.host.translator.t(kind === 'arrow' || kind === 'line' ? 'editor.label' : 'editor.inShape', { kind: this.host.translator.t(`kind.${kind}`) })}
      style=${style}
      .value=${element.text}
      @input=${(e: Event) => {
        const textarea = e.target as HTMLTextAreaElement;
        place(textarea, textarea.value);
        this.writeLabel(id, kind, textarea.value);
      }}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') this.finish();
        e.stopPropagation();
      }}
      @blur=${() => this.finish()}
    ></textarea>`;
  }

  private writeLabel(id: ElementId, kind: Labelled['kind'], text: string): void {
    const session = this.session();
    if (!session || !this.host.canEdit) return;
    updateElement(session.doc, id, kind, { text }, session.history.origin);
  }

  private bind(): void {
    this.unbind?.();
    this.unbind = null;
    this.bound = this.current;
    const id = this.current;
    const session = this.session();
    // A text element or note is left off the canvas while edited; a shape or arrow only loses its label.
    const element = id && session ? getElement(session.doc, id) : null;
    const labelled = element !== null && hasLabel(element.kind);
    session?.renderer.setHidden('editor', new Set(id && !labelled ? [id] : []));
    session?.renderer.setUnlabelled(labelled ? id : null);
    if (!id || !session) return;
    const { doc, history } = session;
    history.boundary();
    const textarea = this.host.renderRoot.querySelector('textarea');
    textarea?.focus();
    const text = elementText(doc, id);
    if (!text || !textarea) return;
    const observer = (event: Y.YTextEvent, transaction: Y.Transaction) => {
      if (transaction.origin === history.origin) return;
      let start = textarea.selectionStart;
      let end = textarea.selectionEnd;
      let index = 0;
      for (const op of event.delta) {
        if (op.retain) index += op.retain;
        else if (typeof op.insert === 'string') {
          if (index <= start) start += op.insert.length;
          if (index <= end) end += op.insert.length;
          index += op.insert.length;
        } else if (op.delete) {
          if (index < start) start -= Math.min(op.delete, start - index);
          if (index < end) end -= Math.min(op.delete, end - index);
        }
      }
      textarea.value = text.toString();
      textarea.setSelectionRange(start, end);
    };
    text.observe(observer);
    this.unbind = () => text.unobserve(observer);
  }

  private write(id: ElementId, kind: 'text' | 'sticky', text: string): void {
    const session = this.session();
    if (!session || !this.host.canEdit) return;
    const { doc } = session;
    const origin = session.history.origin;
    if (kind === 'sticky') {
      updateElement(doc, id, 'sticky', { text }, origin);
      return;
    }
    const element = getElement(doc, id);
    if (element?.kind !== 'text') return;
    // Plain text grows with what is typed.
    const measure = document.createElement('canvas').getContext('2d');
    let width = element.width;
    if (measure) {
      measure.font = `${element.fontSize}px ${FONT_FAMILY}`;
      width = Math.max(40, ...text.split('\n').map((line) => measure.measureText(line).width + 8));
    }
    const height = Math.max(1, text.split('\n').length) * element.fontSize * 1.25;
    updateElement(doc, id, 'text', { text, width, height }, origin);
  }

  private finish(): void {
    const session = this.session();
    const id = this.current;
    if (!id) return;
    this.current = null;
    this.host.requestUpdate();
    if (!session) return;
    const element = getElement(session.doc, id);
    // An empty text box is not worth keeping; an empty sticky note is.
    if (element?.kind === 'text' && element.text.trim() === '' && this.host.canEdit) {
      deleteElements(session.doc, [id], session.history.origin);
    }
    this.host.focus();
  }
}
