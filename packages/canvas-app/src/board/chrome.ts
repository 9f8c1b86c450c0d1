import { html, nothing, type TemplateResult } from 'lit';
import {
  AlignCenterHorizontal,
  AlignCenterVertical,
  AlignEndHorizontal,
  AlignEndVertical,
  AlignHorizontalSpaceBetween,
  AlignStartHorizontal,
  AlignStartVertical,
  AlignVerticalSpaceBetween,
  Group,
  History,
  type IconNode,
  Image as ImageIcon,
  Keyboard,
  Lock,
  LockOpen,
  Maximize,
  Minus,
  Plus,
  Presentation,
  Redo2,
  Undo2,
  Ungroup,
} from 'lucide';
import type { MessageKey, Translator } from '../i18n/Translator.js';
import type { DrawingStyle, ToolId } from '../tools/Tool.js';
import { helpDialog } from './help.js';
import { icon } from './icons.js';
import { TOOLS } from './tool-list.js';

export const COLORS = ['#1e1e1e', '#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5'];
export const FILLS = ['none', '#ffc9c9', '#b2f2bb', '#a5d8ff', '#ffec99'];
export const WIDTHS = [1, 2, 4, 8];
/** What the palette's colours are called (a hex code reads badly aloud). */
const COLOUR_NAMES: Record<string, MessageKey> = {
  '#1e1e1e': 'colour.black',
  '#e03131': 'colour.red',
  '#2f9e44': 'colour.green',
  '#1971c2': 'colour.blue',
  '#f08c00': 'colour.orange',
  '#9c36b5': 'colour.purple',
  '#ffc9c9': 'colour.lightRed',
  '#b2f2bb': 'colour.lightGreen',
  '#a5d8ff': 'colour.lightBlue',
  '#ffec99': 'colour.lightYellow',
};
const colourName = (t: Translator, colour: string) => {
  const key = COLOUR_NAMES[colour];
  return key ? t.t(key) : colour;
};
/** What a read-only board's toolbar offers: looking around, and pointing for others. */
const READ_ONLY_TOOLS: readonly ToolId[] = ['select', 'laser'];

export function toolbar(
  t: Translator,
  active: ToolId,
  choose: (id: ToolId) => void,
  minimal: boolean,
  addImage: (() => void) | null,
  only: readonly ToolId[] | null = null,
): TemplateResult {
  const shown =
    only !== null
      ? TOOLS.filter((t) => only.includes(t.id))
      : minimal
        ? TOOLS.filter((t) => ['select', 'pen', 'eraser', 'sticky', 'laser'].includes(t.id))
        : TOOLS;
  return html`<div class="toolbar" role="toolbar" aria-label=${t.t('toolbar.label')} part="toolbar">
    ${shown.map(
      (tool) => html`<button
        type="button"
        data-tool=${tool.id}
        title=${`${t.t(tool.label)} — ${tool.key}`}
        aria-keyshortcuts=${tool.key}
        aria-pressed=${active === tool.id ? 'true' : 'false'}
        @click=${() => choose(tool.id)}
      >
        ${icon(tool.icon)}
      </button>`,
    )}
    ${
      minimal || !addImage
        ? nothing
        : html`<button
            type="button"
            data-action="add-image"
            title=${t.t('toolbar.addImage')}
            @click=${addImage}
          >
            ${icon(ImageIcon)}
          </button>`
    }
  </div>`;
}

/** What can be done to the selection from the panel. */
export type ArrangeAction =
  | 'align-left'
  | 'align-center'
  | 'align-right'
  | 'align-top'
  | 'align-middle'
  | 'align-bottom'
  | 'distribute-horizontal'
  | 'distribute-vertical'
  | 'group'
  | 'ungroup'
  | 'lock';

/** The selection as the arrange row sees it. */
export interface ArrangeState {
  /** Elements selected. */
  count: number;
  /** Some selected element is in a group. */
  grouped: boolean;
  /** Every selected element is locked. */
  locked: boolean;
}

const ALIGN: { action: ArrangeAction & `${'align' | 'distribute'}-${string}`; icon: IconNode }[] = [
  { action: 'align-left', icon: AlignStartVertical },
  { action: 'align-center', icon: AlignCenterVertical },
  { action: 'align-right', icon: AlignEndVertical },
  { action: 'align-top', icon: AlignStartHorizontal },
  { action: 'align-middle', icon: AlignCenterHorizontal },
  { action: 'align-bottom', icon: AlignEndHorizontal },
  { action: 'distribute-horizontal', icon: AlignHorizontalSpaceBetween },
  { action: 'distribute-vertical', icon: AlignVerticalSpaceBetween },
];

function arrangeRow(
  t: Translator,
  state: ArrangeState,
  act: (action: ArrangeAction) => void,
): TemplateResult {
  const button = (action: ArrangeAction, label: string, content: TemplateResult | string, enabled = true) =>
    html`<button type="button" data-action=${action} title=${label} ?disabled=${!enabled} @click=${() => act(action)}>
      ${content}
    </button>`;
  return html`<div>${t.t('arrange.label')}</div>
    ${
      state.count > 1
        ? html`<div class="swatches" role="group" aria-label=${t.t('arrange.alignGroup')}>
            ${ALIGN.map((a) => button(a.action, t.t(`arrange.${a.action}`), icon(a.icon), a.action.startsWith('distribute') ? state.count > 2 : true))}
          </div>`
        : nothing
    }
    <div class="swatches">
      ${button('group', t.t('arrange.group'), icon(Group), state.count > 1)}
      ${button('ungroup', t.t('arrange.ungroup'), icon(Ungroup), state.grouped)}
      ${button('lock', t.t(state.locked ? 'arrange.unlock' : 'arrange.lock'), icon(state.locked ? LockOpen : Lock))}
    </div>`;
}

export function stylePanel(
  t: Translator,
  style: DrawingStyle,
  change: (patch: Partial<DrawingStyle>) => void,
  arrange: ArrangeState | null = null,
  act: (action: ArrangeAction) => void = () => {},
): TemplateResult {
  return html`<div class="panel" part="style-panel" role="group" aria-label=${t.t('style.label')}>
    <div>${t.t('style.stroke')}</div>
    <div class="swatches">
      ${COLORS.map(
        (color) => html`<button
          type="button"
          class="swatch"
          style="background:${color}"
          data-colour=${color}
          aria-label=${t.t('style.strokeColour', { colour: colourName(t, color) })}
          aria-pressed=${style.strokeColor === color ? 'true' : 'false'}
          @click=${() => change({ strokeColor: color })}
        ></button>`,
      )}
    </div>
    <div>${t.t('style.fill')}</div>
    <div class="swatches">
      ${FILLS.map(
        (fill) => html`<button
          type="button"
          class="swatch"
          style="background:${fill === 'none' ? 'repeating-linear-gradient(45deg,#fff,#fff 3px,#dee2e6 3px,#dee2e6 6px)' : fill}"
          data-fill=${fill}
          aria-label=${fill === 'none' ? t.t('style.noFill') : t.t('style.fillColour', { colour: colourName(t, fill) })}
          aria-pressed=${style.fill === fill ? 'true' : 'false'}
          @click=${() => change({ fill })}
        ></button>`,
      )}
    </div>
    <div>${t.t('style.width')}</div>
    <div class="swatches">
      ${WIDTHS.map(
        (width) => html`<button
          type="button"
          aria-label=${t.t('style.strokeWidth', { width })}
          aria-pressed=${style.strokeWidth === width ? 'true' : 'false'}
          @click=${() => change({ strokeWidth: width })}
        >
          ${width}
        </button>`,
      )}
    </div>
    <label
      >${t.t('style.opacity')}
      <input
        type="range"
        min="0.1"
        max="1"
        step="0.1"
        .value=${String(style.opacity)}
        @input=${(e: Event) => change({ opacity: Number((e.target as HTMLInputElement).value) })}
    /></label>
    ${arrange ? arrangeRow(t, arrange, act) : nothing}
  </div>`;
}

/** The folded style panel: one button showing the current colour, which opens the panel. */
function panelToggle(t: Translator, style: DrawingStyle, open: () => void): TemplateResult {
  return html`<button
    type="button"
    class="panel panel-toggle"
    part="style-panel"
    title=${t.t('style.label')}
    aria-expanded="false"
    @click=${open}
  >
    <span class="swatch" style="background:${style.strokeColor}"></span>
  </button>`;
}

/** A zoom-bar button that opens and closes a panel over the board. */
function panelButton(
  action: string,
  label: string,
  glyph: IconNode,
  open: boolean,
  toggle: () => void,
): TemplateResult {
  return html`<button type="button" data-action=${action} title=${label} aria-pressed=${open ? 'true' : 'false'} @click=${toggle}>
    ${icon(glyph)}
  </button>`;
}

export function zoomControls(
  t: Translator,
  zoom: number,
  zoomBy: (factor: number) => void,
  fit: () => void,
  undo: () => void,
  redo: () => void,
  help: () => void,
  extras: TemplateResult,
): TemplateResult {
  // Zooming by steps (class `step`) leaves a phone-sized board, where fingers pinch.
  const button = (label: MessageKey, glyph: IconNode, click: () => void, step = false) =>
    html`<button type="button" class=${step ? 'step' : ''} title=${t.t(label)} @click=${click}>${icon(glyph)}</button>`;
  return html`<div class="zoom" part="zoom" role="group" aria-label=${t.t('zoom.controls')}>
    ${button('zoom.undo', Undo2, undo)}
    ${button('zoom.redo', Redo2, redo)}
    ${button('zoom.out', Minus, () => zoomBy(1 / 1.2), true)}
    <span class="step" aria-live="polite">${t.percent(zoom)}</span>
    ${button('zoom.in', Plus, () => zoomBy(1.2), true)}
    ${button('zoom.fit', Maximize, fit)}
    ${button('zoom.shortcuts', Keyboard, help)}
    ${extras}
  </div>`;
}

export function statusBadge(
  t: Translator,
  status: string,
  readOnly: boolean,
  savedLocally: boolean,
  refusal: string | null,
  loaded = 0,
): TemplateResult {
  // A close code is the server's refusal; anything else (no token to be had) is said as it is.
  const offline = refusal
    ? /^\d{4}/.test(refusal)
      ? t.t('status.refused', { code: refusal })
      : t.t('status.noAccess', { reason: refusal.replace(/^no access: /, '') })
    : t.t(savedLocally ? 'status.offlineKept' : 'status.offline');
  const text =
    {
      connecting: t.t('status.connecting'),
      connected: t.t('status.connected'),
      synced: t.t('status.synced'),
      offline,
    }[status] ?? status;
  // While a big board arrives, how much has: out of the live region, which would read every step.
  const progress =
    status === 'connected' && loaded > 0
      ? html`<span class="progress" aria-hidden="true"> ${t.t('status.loaded', { count: loaded })}</span>`
      : nothing;
  return html`<div class="status" part="status" data-status=${status} role="status" aria-live="polite" title=${text}>
    ${text}${progress}${readOnly ? ` · ${t.t('status.readOnly')}` : nothing}
  </div>`;
}

/** What the board's chrome shows and what its controls call. */
export interface ChromeState {
  /** The board's language. */
  t: Translator;
  toolbar: 'full' | 'minimal' | 'none';
  canEdit: boolean;
  tool: ToolId;
  /** The style panel's values; null hides it (a tool or selection without properties). */
  style: DrawingStyle | null;
  /** The selection, for the panel's arrange row; null without one. */
  arrange: ArrangeState | null;
  zoom: number;
  status: string;
  /** Elements arrived so far, shown while the board syncs. */
  loaded: number;
  savedLocally: boolean;
  refusal: string | null;
  setTool(id: ToolId): void;
  /** Opens the file chooser for images. */
  addImage(): void;
  setStyle(patch: Partial<DrawingStyle>): void;
  act(action: ArrangeAction): void;
  zoomBy(factor: number): void;
  zoomToFit(): void;
  undo(): void;
  redo(): void;
  /** The shortcut list is open. */
  helpOpen: boolean;
  /** The History panel is open. */
  historyOpen: boolean;
  toggleHistory(): void;
  /** The frames panel is open. */
  framesOpen: boolean;
  toggleFrames(): void;
  /** A small board: the style panel folds into one button until it is opened. */
  compact: boolean;
  panelOpen: boolean;
  setPanelOpen(open: boolean): void;
  setHelp(open: boolean): void;
  /** Palm rejection is on (see StageInput). */
  palmRejection: boolean;
  setPalmRejection(on: boolean): void;
}

/**
 * Everything drawn over the stage: tools and style (when editing), zoom and history controls,
 * and the connection badge, which shows even with `toolbar="none"`.
 */
export function boardChrome(state: ChromeState): TemplateResult {
  const { t } = state;
  const chrome = state.toolbar !== 'none';
  return html`
    ${
      chrome
        ? state.canEdit
          ? toolbar(t, state.tool, state.setTool, state.toolbar === 'minimal', state.addImage)
          : toolbar(t, state.tool, state.setTool, true, null, READ_ONLY_TOOLS)
        : nothing
    }
    ${
      chrome && state.canEdit && state.toolbar === 'full' && state.style
        ? state.compact && !state.panelOpen
          ? panelToggle(t, state.style, () => state.setPanelOpen(true))
          : stylePanel(t, state.style, state.setStyle, state.arrange, state.act)
        : nothing
    }
    ${
      chrome
        ? zoomControls(
            t,
            state.zoom,
            state.zoomBy,
            state.zoomToFit,
            state.undo,
            state.redo,
            () => state.setHelp(true),
            html`${panelButton('frames', t.t('zoom.frames'), Presentation, state.framesOpen, state.toggleFrames)}${panelButton('history', t.t('zoom.history'), History, state.historyOpen, state.toggleHistory)}`,
          )
        : nothing
    }
    ${state.helpOpen ? helpDialog(t, () => state.setHelp(false), state.palmRejection, state.setPalmRejection) : nothing}
    ${statusBadge(t, state.status, !state.canEdit, state.savedLocally, state.refusal, state.loaded)}
  `;
}
