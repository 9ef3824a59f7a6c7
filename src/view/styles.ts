import { css } from 'lit';

/** Colours, type and controls shared by every view component; light and dark follow the system. */
export const baseStyles = css`
  :host {
    --atlas-font: Inter, 'Segoe UI', system-ui, -apple-system, Roboto, sans-serif;
    --atlas-bg: #f6f7f9;
    --atlas-surface: rgba(255, 255, 255, 0.94);
    --atlas-surface-solid: #ffffff;
    --atlas-border: #d9dde4;
    --atlas-text: #1c2028;
    --atlas-muted: #5b6473;
    --atlas-accent: #2f6fdb;
    --atlas-accent-text: #ffffff;
    --atlas-mark: #ffe27a;
    --atlas-danger: #b3261e;
    --atlas-shadow: 0 6px 24px rgba(20, 30, 50, 0.12), 0 1px 3px rgba(20, 30, 50, 0.08);
    --atlas-radius: 10px;
    font-family: var(--atlas-font);
    color: var(--atlas-text);
    font-size: 14px;
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none !important;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --atlas-bg: #111419;
      --atlas-surface: rgba(27, 31, 39, 0.94);
      --atlas-surface-solid: #1b1f27;
      --atlas-border: #343a46;
      --atlas-text: #eceff4;
      --atlas-muted: #a3acba;
      --atlas-accent: #7aa7ff;
      --atlas-accent-text: #0b1220;
      --atlas-mark: #6b5a12;
      --atlas-danger: #ff8a80;
      --atlas-shadow: 0 6px 24px rgba(0, 0, 0, 0.45), 0 1px 3px rgba(0, 0, 0, 0.3);
    }
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button,
  details.menu > summary {
    cursor: pointer;
    border: 1px solid var(--atlas-border);
    background: var(--atlas-surface-solid);
    border-radius: 7px;
    padding: 5px 10px;
    min-height: 32px;
  }
  button:hover {
    border-color: var(--atlas-muted);
  }
  button.primary {
    background: var(--atlas-accent);
    color: var(--atlas-accent-text);
    border-color: transparent;
  }
  button.icon {
    padding: 3px 7px;
    min-width: 32px;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 2px solid var(--atlas-accent);
    outline-offset: 2px;
  }
  .muted {
    color: var(--atlas-muted);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  mark {
    background: var(--atlas-mark);
    color: inherit;
    border-radius: 2px;
  }
  ol.papers,
  ul.papers {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  li button.paper {
    all: unset;
    display: block;
    width: 100%;
    padding: 6px 8px;
    border-radius: 6px;
    cursor: pointer;
    box-sizing: border-box;
  }
  li button.paper:hover,
  li button.paper:focus-visible {
    background: color-mix(in srgb, var(--atlas-accent) 12%, transparent);
  }
  li button.paper:focus-visible {
    outline: 2px solid var(--atlas-accent);
  }
  .paper-title {
    display: block;
    font-weight: 550;
  }
  .paper-meta {
    display: block;
    font-size: 12px;
    color: var(--atlas-muted);
  }
  h2,
  h3 {
    margin: 0;
    font-size: 13px;
    letter-spacing: 0.02em;
    text-transform: uppercase;
    color: var(--atlas-muted);
    font-weight: 650;
  }
`;

/**
 * The head of a panel card (a paper's details, an opened topic): a title beside its close button, and
 * a line of facts under it.
 */
export const cardHeadStyles = css`
  header {
    display: flex;
    gap: 8px;
    align-items: flex-start;
  }
  header h3 {
    flex: 1;
    font-size: 17px;
    line-height: 1.3;
    text-transform: none;
    letter-spacing: 0;
    color: var(--atlas-text);
    font-weight: 650;
    margin: 0 0 4px;
    overflow-wrap: anywhere;
  }
  .meta {
    color: var(--atlas-muted);
    font-size: 13px;
    margin: 0 0 8px;
  }
`;
