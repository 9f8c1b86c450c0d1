import { css } from 'lit';

/**
 * The dark theme's values, for `theme="dark"` and for `theme="auto"` on a dark system. Dark ink
 * on a dark board would vanish: as Excalidraw does, the scene is shown inverted with hues kept;
 * colours stored in the board do not change.
 */
const DARK = css`
  --_background: var(--inkroom-background, #121212);
  --_foreground: var(--inkroom-foreground, #e9ecef);
  --_panel: var(--inkroom-panel, #232329);
  --_hover: #2e2e36;
  --_accent: var(--inkroom-accent, #a5b4fc);
  --_accent-soft: var(--inkroom-accent-soft, #3b3f6b);
  --_grid: var(--inkroom-grid, #3a3a40);
  --_ink-filter: invert(93%) hue-rotate(180deg);
  color-scheme: dark;
`;

export const boardStyles = css`
  /* Themes set the private --_ variables; an embedder's --inkroom-* properties win over both. */
  :host {
    --_background: var(--inkroom-background, #ffffff);
    --_foreground: var(--inkroom-foreground, #1e1e1e);
    --_panel: var(--inkroom-panel, #ffffff);
    --_hover: #f1f3f5;
    --_accent: var(--inkroom-accent, #4c6ef5);
    --_accent-soft: var(--inkroom-accent-soft, #e0e7ff);
    --_grid: var(--inkroom-grid, #ced4da);
    --_ink-filter: none;
    color-scheme: light;
  }
  :host([theme='dark']) {
    ${DARK}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${DARK}
    }
  }
  :host {
    display: block;
    position: relative;
    overflow: hidden;
    /* A usable size for a bare two-line embed; any height the page gives it wins. */
    height: 480px;
    min-height: 240px;
    background: var(--_background);
    color: var(--_foreground);
    font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    outline: none;
    touch-action: none;
    /* The chrome adapts to the board's own width (a phone, or a narrow embed), not the page's. */
    container-type: inline-size;
  }
  /* Reached with the keyboard, the board shows that it has the keys (WCAG 2.4.7). */
  .stage:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  .stage {
    position: absolute;
    inset: 0;
    touch-action: none;
  }
  canvas,
  .grid {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
  }
  canvas.scene,
  canvas.overlay {
    filter: var(--_ink-filter);
  }
  .grid {
    background-image: radial-gradient(circle, var(--_grid) 1px, transparent 1.5px);
  }
  .grid[hidden] {
    display: none;
  }
  /* The chrome floats over the stage as cards. */
  .toolbar,
  .panel,
  .zoom,
  .status {
    position: absolute;
    z-index: 2;
    background: var(--_panel);
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    border-radius: 10px;
    user-select: none;
    -webkit-user-select: none;
  }
  .toolbar {
    top: 12px;
    left: 50%;
    transform: translateX(-50%);
    display: flex;
    gap: 2px;
    padding: 4px;
  }
  .toolbar button,
  .panel button {
    border: 0;
    background: transparent;
    border-radius: 7px;
    min-width: 34px;
    height: 34px;
    padding: 0 6px;
    cursor: pointer;
    font: inherit;
    color: inherit;
  }
  .toolbar button[aria-pressed='true'] {
    background: var(--_accent-soft);
    color: var(--_accent);
  }
  .toolbar button:hover,
  .panel button:hover {
    background: var(--_hover);
  }
  .toolbar button:focus-visible,
  .panel button:focus-visible {
    outline: 2px solid var(--_accent);
  }
  .panel {
    top: 64px;
    left: 12px;
    display: grid;
    gap: 8px;
    padding: 10px;
    font-size: 12px;
    /* On a short board the panel scrolls rather than covering the zoom bar. */
    max-height: calc(100% - 136px);
    overflow-y: auto;
  }
  .swatches {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    max-width: 224px;
  }
  .panel-toggle {
    padding: 8px;
    border: 0;
    cursor: pointer;
  }
  .panel-toggle .swatch {
    display: block;
  }
  .icon {
    display: block;
    margin: auto;
  }
  .help {
    position: absolute;
    z-index: 3;
    top: 50%;
    left: 50%;
    transform: translate(-50%, -50%);
    width: min(440px, calc(100% - 24px));
    max-height: calc(100% - 24px);
    overflow: auto;
    padding: 12px 16px 16px;
    border-radius: 12px;
    background: var(--_panel);
    color: var(--_foreground);
    box-shadow: 0 4px 24px rgba(0, 0, 0, 0.18);
  }
  .help-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
  }
  .help h2 {
    font-size: 16px;
    margin: 0;
  }
  .help-close {
    border: 0;
    background: transparent;
    color: inherit;
    width: 34px;
    height: 34px;
    border-radius: 7px;
    cursor: pointer;
  }
  .help dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 6px 16px;
    margin: 12px 0 0;
    font-size: 13px;
  }
  .help dt,
  .help dd {
    margin: 0;
  }
  .help h3 {
    font-size: 14px;
    margin: 16px 0 6px;
  }
  .help .setting {
    display: flex;
    gap: 8px;
    align-items: flex-start;
    font-size: 13px;
  }
  .help kbd {
    font: 12px ui-monospace, monospace;
    padding: 1px 5px;
    border-radius: 4px;
    border: 1px solid var(--_hover);
  }
  .panel button:disabled {
    opacity: 0.4;
    cursor: default;
  }
  .swatch {
    width: 22px;
    height: 22px;
    min-width: 22px;
    padding: 0;
    border-radius: 50%;
    border: 2px solid transparent;
  }
  .swatch[aria-pressed='true'] {
    border-color: var(--_foreground);
  }
  .zoom {
    bottom: 12px;
    left: 12px;
    display: flex;
    gap: 2px;
    align-items: center;
    padding: 4px;
  }
  .zoom button {
    border: 0;
    background: transparent;
    min-width: 30px;
    height: 30px;
    border-radius: 6px;
    cursor: pointer;
    font: inherit;
    color: inherit;
  }
  .status {
    bottom: 12px;
    right: 12px;
    /* Leaves room for the zoom bar on narrow boards; the full text is in the title. */
    max-width: calc(100% - 270px);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    padding: 4px 10px;
    border-radius: 999px;
    font-size: 12px;
  }
  .status .progress {
    font-variant-numeric: tabular-nums;
  }
  .status::before {
    content: '';
    display: inline-block;
    width: 8px;
    height: 8px;
    border-radius: 50%;
    margin-right: 6px;
    background: #fab005;
  }
  .status[data-status='synced']::before,
  .status[data-status='connected']::before {
    background: #2f9e44;
  }
  .status[data-status='offline']::before {
    background: #e03131;
  }
  textarea.editor {
    position: absolute;
    z-index: 3;
    margin: 0;
    padding: 0;
    border: 0;
    outline: 1px dashed var(--_accent);
    background: transparent;
    resize: none;
    overflow: hidden;
    line-height: 1.25;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    transform-origin: 0 0;
    white-space: pre-wrap;
  }
  /* A phone-sized board: the toolbar scrolls sideways, the zoom bar keeps what pinching cannot do. */
  @container (max-width: 560px) {
    .toolbar {
      top: 8px;
      max-width: calc(100% - 16px);
      overflow-x: auto;
      scrollbar-width: none;
      touch-action: pan-x;
    }
    .toolbar button {
      flex: none;
    }
    .panel {
      top: 56px;
      left: 8px;
    }
    .zoom {
      left: 8px;
      bottom: 8px;
    }
    .zoom .step {
      display: none;
    }
    .status {
      right: 8px;
      bottom: 8px;
      max-width: calc(100% - 236px);
    }
  }
  /*
   * Forced colours (Windows contrast themes) drop backgrounds and shadows: the cards keep an edge,
   * the active tool an outline, and colour swatches their colours (they are the choice itself).
   */
  @media (forced-colors: active) {
    .toolbar,
    .panel,
    .zoom,
    .status,
    .help {
      border: 1px solid CanvasText;
    }
    .toolbar button[aria-pressed='true'],
    .panel button[aria-pressed='true'] {
      outline: 2px solid Highlight;
      outline-offset: -2px;
    }
    .swatch,
    .status::before {
      forced-color-adjust: none;
    }
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
