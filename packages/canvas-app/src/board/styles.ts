import { css } from 'lit';

export const boardStyles = css`
  :host {
    display: block;
    position: relative;
    overflow: hidden;
    min-height: 240px;
    background: var(--inkroom-background, #ffffff);
    color: var(--inkroom-foreground, #1e1e1e);
    font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    outline: none;
    touch-action: none;
  }
  .stage {
    position: absolute;
    inset: 0;
    touch-action: none;
  }
  canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
  }
  .toolbar {
    position: absolute;
    top: 12px;
    left: 50%;
    transform: translateX(-50%);
    display: flex;
    gap: 2px;
    padding: 4px;
    background: var(--inkroom-panel, #ffffff);
    border-radius: 10px;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    z-index: 2;
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
    background: var(--inkroom-accent-soft, #e0e7ff);
    color: var(--inkroom-accent, #364fc7);
  }
  .toolbar button:hover,
  .panel button:hover {
    background: #f1f3f5;
  }
  .toolbar button:focus-visible,
  .panel button:focus-visible {
    outline: 2px solid var(--inkroom-accent, #4c6ef5);
  }
  .panel {
    position: absolute;
    top: 64px;
    left: 12px;
    display: grid;
    gap: 8px;
    padding: 10px;
    background: var(--inkroom-panel, #ffffff);
    border-radius: 10px;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    z-index: 2;
    font-size: 12px;
  }
  .swatches {
    display: flex;
    gap: 4px;
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
    border-color: #1e1e1e;
  }
  .zoom {
    position: absolute;
    bottom: 12px;
    left: 12px;
    display: flex;
    gap: 2px;
    align-items: center;
    padding: 4px;
    background: var(--inkroom-panel, #ffffff);
    border-radius: 10px;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    z-index: 2;
  }
  .zoom button {
    border: 0;
    background: transparent;
    min-width: 30px;
    height: 30px;
    border-radius: 6px;
    cursor: pointer;
    font: inherit;
  }
  .status {
    position: absolute;
    bottom: 12px;
    right: 12px;
    padding: 4px 10px;
    border-radius: 999px;
    background: var(--inkroom-panel, #ffffff);
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    font-size: 12px;
    z-index: 2;
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
    outline: 1px dashed var(--inkroom-accent, #4c6ef5);
    background: transparent;
    resize: none;
    overflow: hidden;
    line-height: 1.25;
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    transform-origin: 0 0;
    white-space: pre-wrap;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
