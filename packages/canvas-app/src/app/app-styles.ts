import { css } from 'lit';

/** The app's start page, its room page header and the board beside it (the board styles itself). */
export const appStyles = css`
  :host {
    display: block;
    height: 100vh;
    font: 14px/1.4 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    color: #1e1e1e;
  }
  .start {
    display: grid;
    place-items: center;
    height: 100%;
    background: #f8f9fa;
  }
  .card {
    background: #fff;
    padding: 32px;
    border-radius: 14px;
    box-shadow: 0 2px 12px rgba(0, 0, 0, 0.1);
    display: grid;
    gap: 14px;
    width: min(380px, 90vw);
  }
  h1 {
    margin: 0;
    font-size: 28px;
  }
  button,
  input {
    font: inherit;
    padding: 8px 12px;
    border-radius: 8px;
    border: 1px solid #ced4da;
  }
  button.primary {
    /* White on it reads at 5.6:1 (WCAG AA asks 4.5:1). */
    background: #3b5bdb;
    color: #fff;
    border-color: #3b5bdb;
    cursor: pointer;
  }
  .room {
    display: grid;
    grid-template-rows: auto 1fr;
    height: 100%;
  }
  header {
    position: relative;
    display: flex;
    gap: 10px;
    align-items: center;
    padding: 6px 12px;
    border-bottom: 1px solid #e9ecef;
    background: #fff;
  }
  .extras {
    display: flex;
    gap: 10px;
    align-items: center;
  }
  .more {
    display: none;
  }
  /* A phone: the room, the people and "More", which unfolds the rest under the header. */
  @media (max-width: 640px) {
    header {
      gap: 6px;
      padding: 6px 8px;
    }
    header .title {
      max-width: 38vw;
    }
    .more {
      display: inline-block;
    }
    .extras {
      display: none;
      position: absolute;
      z-index: 10;
      top: calc(100% + 4px);
      right: 8px;
      flex-direction: column;
      align-items: stretch;
      padding: 12px;
      border-radius: 10px;
      background: #fff;
      box-shadow: 0 2px 12px rgba(0, 0, 0, 0.16);
    }
    .extras.open {
      display: flex;
    }
    .extras label {
      display: grid;
      gap: 4px;
    }
  }
  header .title {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    max-width: 30vw;
  }
  header .spacer {
    flex: 1;
  }
  .people {
    display: flex;
    gap: 4px;
  }
  .person {
    width: 26px;
    height: 26px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    color: #fff;
    display: grid;
    place-items: center;
    font: inherit;
    font-size: 12px;
    font-weight: 600;
    cursor: pointer;
  }
  .person[aria-pressed='true'] {
    outline: 2px solid #1e1e1e;
    outline-offset: 2px;
  }
  .person.spotlight {
    box-shadow: 0 0 0 2px #fff, 0 0 0 4px #f08c00;
  }
  inkroom-board {
    height: 100%;
  }
  .role {
    font-size: 12px;
    padding: 2px 8px;
    border-radius: 10px;
    background: #f1f3f5;
    color: #495057;
  }
  .notice {
    color: #c92a2a;
    margin: 0;
  }
  select {
    font: inherit;
    padding: 4px 6px;
    border-radius: 8px;
    border: 1px solid #ced4da;
    background: #fff;
  }
`;
