import { css } from 'lit';

/** The explorer's own styles; `baseStyles` (styles.ts) come first. */
export const explorerStyles = css`
  :host {
    display: block;
    position: relative;
    width: 100%;
    height: 100%;
    min-height: 320px;
    background: var(--atlas-bg);
    overflow: hidden;
  }
  atlas-drop-zone {
    width: 100%;
    height: 100%;
  }
  .layout {
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    width: 100%;
    height: 100%;
  }
  .map-area {
    position: relative;
    min-width: 0;
    min-height: 0;
    overflow: hidden;
    touch-action: none;
  }
  .deck {
    position: absolute;
    inset: 0;
  }
  svg.select-overlay {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    pointer-events: none;
  }
  svg.select-overlay path {
    fill: color-mix(in srgb, var(--atlas-accent) 14%, transparent);
    stroke: var(--atlas-accent);
    stroke-width: 1.5;
    stroke-dasharray: 5 3;
  }
  .toolbar {
    position: absolute;
    top: 10px;
    left: 10px;
    right: 10px;
    display: flex;
    gap: 8px;
    align-items: flex-start;
    pointer-events: none;
    flex-wrap: wrap;
  }
  .toolbar > * {
    pointer-events: auto;
  }
  .card {
    background: var(--atlas-surface);
    border: 1px solid var(--atlas-border);
    border-radius: var(--atlas-radius);
    box-shadow: var(--atlas-shadow);
  }
  .search {
    display: flex;
    align-items: center;
    gap: 6px;
    padding: 4px 6px 4px 10px;
    flex: 1 1 320px;
    max-width: 560px;
  }
  .search input[type='search'] {
    flex: 1;
    border: none;
    background: transparent;
    min-width: 0;
    padding: 6px 2px;
    font-size: 15px;
  }
  .search input[type='search']:focus-visible {
    outline: none;
  }
  .search:focus-within {
    border-color: var(--atlas-accent);
  }
  .toggle {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-size: 13px;
    color: var(--atlas-muted);
    white-space: nowrap;
    padding: 0 4px;
  }
  .toggle input {
    accent-color: var(--atlas-accent);
  }
  .tools {
    display: flex;
    gap: 4px;
    padding: 4px;
    flex-wrap: wrap;
  }
  .tools button[aria-pressed='true'] {
    background: var(--atlas-accent);
    color: var(--atlas-accent-text);
    border-color: transparent;
  }
  .tools button {
    display: inline-flex;
    align-items: center;
    gap: 5px;
  }
  .tools svg {
    width: 16px;
    height: 16px;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.8;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  details.menu {
    position: relative;
  }
  details.menu summary {
    list-style: none;
    display: inline-flex;
    align-items: center;
  }
  details.menu summary::-webkit-details-marker {
    display: none;
  }
  .menu-items {
    position: absolute;
    right: 0;
    top: calc(100% + 6px);
    display: grid;
    gap: 4px;
    padding: 6px;
    min-width: 170px;
    z-index: 40;
  }
  .menu-items button {
    text-align: left;
    border-color: transparent;
    background: transparent;
  }
  .menu-items button:hover {
    background: color-mix(in srgb, var(--atlas-accent) 12%, transparent);
  }
  .legend-toggle {
    border: none;
    background: transparent;
    padding: 0 2px;
    min-height: 24px;
    font-size: 12px;
    font-weight: 650;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--atlas-muted);
  }
  .legend-card[data-collapsed] {
    width: auto;
    right: auto;
  }
  .spacer {
    flex: 1;
  }
  .legend-card {
    position: absolute;
    left: 10px;
    bottom: 10px;
    width: 260px;
    padding: 10px;
    max-width: calc(100% - 20px);
  }
  .status-line {
    position: absolute;
    right: 10px;
    bottom: 10px;
    font-size: 12px;
    padding: 4px 10px;
    color: var(--atlas-muted);
    max-width: 60%;
  }
  .overlays {
    position: absolute;
    top: 64px;
    left: 50%;
    transform: translateX(-50%);
    display: grid;
    gap: 8px;
    width: min(560px, calc(100% - 20px));
    z-index: 20;
  }
  .tooltip {
    position: absolute;
    pointer-events: none;
    max-width: 340px;
    padding: 6px 10px;
    font-size: 13px;
    z-index: 30;
  }
  .tooltip .paper-title {
    overflow-wrap: anywhere;
  }
  aside.panel {
    width: 380px;
    border-left: 1px solid var(--atlas-border);
    background: var(--atlas-surface-solid);
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  aside.panel[hidden] {
    display: none;
  }
  .tabs {
    display: flex;
    gap: 2px;
    padding: 8px 8px 0;
    border-bottom: 1px solid var(--atlas-border);
    /* Five tabs do not fit a phone's width: they scroll rather than widen the panel (inline-size
       containment keeps their width out of the panel's). */
    overflow-x: auto;
    scrollbar-width: thin;
    contain: inline-size;
  }
  .tabs button {
    flex: none;
  }
  .tabs button {
    border: none;
    border-bottom: 2px solid transparent;
    border-radius: 6px 6px 0 0;
    background: transparent;
    color: var(--atlas-muted);
    padding: 6px 10px;
  }
  .tabs button[aria-selected='true'] {
    color: var(--atlas-text);
    border-bottom-color: var(--atlas-accent);
    font-weight: 600;
  }
  .tabs .spacer {
    flex: 1;
  }
  .panel-body {
    overflow: auto;
    padding: 12px;
    flex: 1;
    min-height: 0;
  }
  .list-head {
    display: flex;
    align-items: center;
    gap: 8px;
    margin-bottom: 6px;
    flex-wrap: wrap;
  }
  .list-head .count {
    flex: 1;
    color: var(--atlas-muted);
    font-size: 13px;
  }
  .score {
    font-variant-numeric: tabular-nums;
    color: var(--atlas-muted);
    font-size: 12px;
    margin-left: 6px;
  }
  .empty {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    text-align: center;
    padding: 24px;
  }
  .empty .card {
    padding: 24px 28px;
    max-width: 420px;
  }
  .empty h1 {
    font-size: 20px;
    margin: 0 0 6px;
  }
  .copy-fallback {
    width: 100%;
    margin-top: 6px;
  }
  @media (max-width: 720px) {
    .layout {
      grid-template-columns: 1fr;
      grid-template-rows: minmax(0, 1fr) auto;
    }
    aside.panel {
      width: 100%;
      max-height: 46vh;
      border-left: none;
      border-top: 1px solid var(--atlas-border);
      border-radius: 14px 14px 0 0;
      box-shadow: var(--atlas-shadow);
    }
    .legend-card {
      width: auto;
      right: 10px;
    }
    .legend-card atlas-legend {
      --legend-max-height: 18vh;
    }
    .status-line {
      display: none;
    }
    .tools .label {
      display: none;
    }
  }
`;
