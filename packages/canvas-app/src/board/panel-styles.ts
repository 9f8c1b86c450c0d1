import { css } from 'lit';

/**
 * The panels and bars over the board beside its toolbars (see styles.ts): History, Frames, the
 * presentation's bar, the frame and banner shown while following someone, and the context menu.
 */
export const panelStyles = css`
  .menu-backdrop {
    position: absolute;
    inset: 0;
    z-index: 5;
  }
  .context-menu {
    position: absolute;
    z-index: 6;
    min-width: 180px;
    display: flex;
    flex-direction: column;
    padding: 4px;
    border-radius: 10px;
    background: var(--_panel);
    color: var(--_foreground);
    box-shadow: 0 2px 10px rgba(0, 0, 0, 0.22);
  }
  .context-menu button {
    font: inherit;
    color: inherit;
    text-align: start;
    /* A finger's size: 40 px rows. */
    min-height: 40px;
    padding: 0 12px;
    border: 0;
    border-radius: 6px;
    background: transparent;
    cursor: pointer;
  }
  .context-menu button:hover,
  .context-menu button:focus-visible {
    background: var(--_hover);
  }
  .context-menu button:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: -2px;
  }
  /* Following someone: the board is framed in their colour. */
  .stage.following::after {
    content: '';
    position: absolute;
    inset: 0;
    border: 3px solid var(--_follow);
    pointer-events: none;
  }
  .versions {
    position: absolute;
    z-index: 3;
    top: 12px;
    right: 12px;
    bottom: 56px;
    width: min(300px, calc(100% - 24px));
    display: flex;
    flex-direction: column;
    gap: 8px;
    padding: 10px;
    border-radius: 10px;
    background: var(--_panel);
    color: var(--_foreground);
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    font-size: 13px;
    overflow: auto;
  }
  .versions-head {
    display: flex;
    align-items: center;
    gap: 4px;
  }
  .versions-head h2 {
    flex: 1;
    margin: 0;
    font-size: 15px;
  }
  .versions button {
    font: inherit;
    color: inherit;
    border: 0;
    border-radius: 6px;
    background: transparent;
    cursor: pointer;
  }
  .versions-head button {
    width: 32px;
    height: 32px;
    display: grid;
    place-items: center;
  }
  .version-save {
    display: flex;
    gap: 6px;
  }
  .version-save input {
    flex: 1;
    min-width: 0;
    font: inherit;
    padding: 4px 6px;
  }
  .version-save button,
  .version-restore {
    padding: 4px 10px;
    background: var(--_accent-soft) !important;
  }
  .versions-message {
    margin: 0;
    min-height: 1em;
  }
  .versions ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .versions ol button {
    width: 100%;
    text-align: left;
    padding: 6px 8px;
    display: grid;
  }
  .versions ol button[aria-pressed='true'] {
    background: var(--_accent-soft);
  }
  .version-name {
    font-weight: 600;
  }
  .version-authors {
    opacity: 0.7;
    font-size: 12px;
  }
  .version-preview {
    margin: 0;
  }
  .version-actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .version-preview img {
    width: 100%;
    max-height: 200px;
    object-fit: contain;
    border: 1px solid rgba(127, 127, 127, 0.3);
    border-radius: 6px;
    background: #fff;
  }
  .version-preview figcaption {
    font-size: 12px;
    opacity: 0.8;
  }
  .frame-row {
    display: flex;
    align-items: center;
    gap: 2px;
  }
  .frame-row input,
  .frame-row span {
    flex: 1;
    min-width: 0;
    font: inherit;
    padding: 3px 4px;
  }
  .frame-row button {
    width: auto !important;
    min-width: 28px;
    height: 28px;
    padding: 0 4px !important;
    display: grid !important;
    place-items: center;
    font-size: 11px;
  }
  .frame-row button:disabled {
    opacity: 0.3;
    cursor: default;
  }
  .present-bar {
    position: absolute;
    z-index: 3;
    bottom: 12px;
    left: 50%;
    transform: translateX(-50%);
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 4px 8px;
    border-radius: 999px;
    background: var(--_panel);
    color: var(--_foreground);
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    font-size: 13px;
    opacity: 0.85;
  }
  .present-bar button {
    border: 0;
    background: transparent;
    color: inherit;
    width: 28px;
    height: 28px;
    display: grid;
    place-items: center;
    cursor: pointer;
  }
  .follow-banner {
    position: absolute;
    z-index: 2;
    top: 60px;
    left: 50%;
    transform: translateX(-50%);
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 4px 4px 4px 12px;
    border-radius: 999px;
    background: var(--_panel);
    color: var(--_foreground);
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.18);
    font-size: 13px;
    white-space: nowrap;
  }
  .follow-banner button {
    font: inherit;
    border: 0;
    border-radius: 999px;
    padding: 4px 10px;
    background: var(--_accent-soft);
    color: inherit;
    cursor: pointer;
  }
  @media (forced-colors: active) {
    .versions,
    .context-menu,
    .follow-banner,
    .present-bar {
      border: 1px solid CanvasText;
    }
  }
`;
