import type { Point } from '@inkroom/shared';
import {
  html,
  nothing,
  type ReactiveController,
  type ReactiveControllerHost,
  type TemplateResult,
} from 'lit';
import type { MessageKey, Translator } from '../i18n/Translator.js';
import { pickedIds } from '../model/groups.js';
import type { ToolContext, ToolId } from '../tools/index.js';
import { deleteSelection, duplicateSelection, reorderSelection, selectAll, zoomToFit } from './actions.js';

/** What the context menu needs from its board. */
export interface ContextMenuParts {
  context(): ToolContext | null;
  canEdit(): boolean;
  translator(): Translator;
  /** The group the select tool has entered, or null. */
  enteredGroup(): string | null;
  undo(): void;
  redo(): void;
  /** The active tool. */
  tool(): ToolId;
  setTool(id: ToolId): void;
  /** Cuts an undo step: each action of the menu is one. */
  boundary(): void;
}

interface MenuItem {
  label: MessageKey;
  run(ctx: ToolContext): void;
}

type MenuHost = ReactiveControllerHost &
  HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

/**
 * The board's context menu, for fingers (a long press), the mouse (the right button) and the
 * keyboard (Shift+F10 or the menu key): what can be done to the element under the point (which
 * it selects) or to the selection, and to the board. Arrow keys move through it, Escape closes
 * it and gives the focus back to the board.
 */
export class ContextMenuController implements ReactiveController {
  /** Where the menu is open (stage px), or null when it is closed. */
  private at: Point | null = null;

  constructor(
    private readonly host: MenuHost,
    private readonly parts: ContextMenuParts,
  ) {
    host.addController(this);
  }

  get isOpen(): boolean {
    return this.at !== null;
  }

  hostDisconnected(): void {
    this.at = null;
  }

  /** Opens the menu at a point of the stage, for what is there; `null` for the selection. */
  open(at: Point | null): void {
    const ctx = this.parts.context();
    if (!ctx) return;
    const { viewport } = ctx;
    if (at) {
      const hit = ctx.scene.pickAt(viewport.toBoard(at), 10 / viewport.zoom);
      const picked = hit ? pickedIds(ctx.scene, hit.element, this.parts.enteredGroup()) : [];
      if (!picked.every((id) => ctx.selection.has(id)) || picked.length === 0) {
        ctx.selection.clear();
        for (const id of picked) ctx.selection.add(id);
        ctx.selectionChanged();
      }
      // The select tool, for what the menu then does (left as it is when active: a group entered stays so).
      if (picked.length > 0 && this.parts.tool() !== 'select') this.parts.setTool('select');
    }
    this.at = at ?? this.selectionPoint(ctx);
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      this.host.renderRoot.querySelector<HTMLElement>('.context-menu [role="menuitem"]')?.focus(),
    );
  }

  close(): void {
    if (!this.at) return;
    this.at = null;
    this.host.requestUpdate();
    this.host.focus();
  }

  render(): TemplateResult | typeof nothing {
    const ctx = this.parts.context();
    if (!this.at || !ctx) return nothing;
    const t = this.parts.translator();
    const items = this.items(ctx);
    const { width, height } = ctx.viewport;
    // Opened low or right, it opens upwards or leftwards, so it stays on the board.
    const x = this.at.x > width / 2 ? `right:${Math.max(4, width - this.at.x)}px` : `left:${this.at.x}px`;
    const y = this.at.y > height / 2 ? `bottom:${Math.max(4, height - this.at.y)}px` : `top:${this.at.y}px`;
    return html`<div class="menu-backdrop" @pointerdown=${() => this.close()} @contextmenu=${(e: Event) => e.preventDefault()}></div>
      <div class="context-menu" role="menu" aria-label=${t.t('menu.label')} style="${x};${y}" @keydown=${this.onKey}>
        ${items.map(
          (
            item,
          ) => html`<button type="button" role="menuitem" tabindex="-1" data-menu=${item.label} @click=${() => this.choose(item)}>
            ${t.t(item.label)}
          </button>`,
        )}
      </div>`;
  }

  /** What the menu offers now: edits only on a board this person may change, and what applies. */
  private items(ctx: ToolContext): MenuItem[] {
    const items: MenuItem[] = [];
    const selected = ctx.selection.size;
    const [only] = selected === 1 ? ctx.selection : [];
    const element = only ? ctx.scene.get(only)?.element : undefined;
    if (this.parts.canEdit()) {
      items.push({ label: 'menu.undo', run: () => this.parts.undo() });
      items.push({ label: 'menu.redo', run: () => this.parts.redo() });
      if (element && 'text' in element && !element.locked)
        items.push({ label: 'menu.editText', run: (c) => c.editText(element.id) });
      if (selected > 0)
        items.push(
          { label: 'menu.duplicate', run: duplicateSelection },
          { label: 'menu.delete', run: deleteSelection },
          { label: 'menu.forward', run: (c) => reorderSelection(c, 'forward') },
          { label: 'menu.backward', run: (c) => reorderSelection(c, 'backward') },
        );
    }
    items.push(
      {
        label: 'menu.selectAll',
        run: (c) => {
          this.parts.setTool('select');
          selectAll(c);
        },
      },
      { label: 'menu.fit', run: zoomToFit },
    );
    return items;
  }

  private choose(item: MenuItem): void {
    const ctx = this.parts.context();
    this.close();
    if (!ctx) return;
    this.parts.boundary();
    item.run(ctx);
  }

  /** Where the menu opens from the keyboard: beside the selection, else in the middle of the view. */
  private selectionPoint(ctx: ToolContext): Point {
    const { viewport } = ctx;
    let right = Number.NEGATIVE_INFINITY;
    let top = Number.POSITIVE_INFINITY;
    for (const id of ctx.selection) {
      const entry = ctx.scene.get(id);
      if (!entry) continue;
      right = Math.max(right, entry.maxX);
      top = Math.min(top, entry.minY);
    }
    const at =
      right > Number.NEGATIVE_INFINITY
        ? viewport.toScreen({ x: right, y: top })
        : { x: viewport.width / 2, y: viewport.height / 2 };
    return {
      x: Math.min(Math.max(at.x, 0), viewport.width),
      y: Math.min(Math.max(at.y, 0), viewport.height),
    };
  }

  private readonly onKey = (event: KeyboardEvent) => {
    // The board's own keys stay out of the menu.
    event.stopPropagation();
    const items = [...this.host.renderRoot.querySelectorAll<HTMLElement>('.context-menu [role="menuitem"]')];
    const current = items.indexOf(
      this.host.renderRoot.querySelector<HTMLElement>('.context-menu :focus') as HTMLElement,
    );
    const focus = (index: number) => items[(index + items.length) % items.length]?.focus();
    if (event.key === 'ArrowDown') focus(current + 1);
    else if (event.key === 'ArrowUp') focus(current - 1);
    else if (event.key === 'Home') focus(0);
    else if (event.key === 'End') focus(items.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') this.close();
    else return;
    event.preventDefault();
  };
}
