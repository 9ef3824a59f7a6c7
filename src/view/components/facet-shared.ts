/**
 * What the facet panel's charts share: field names, number formatting, the section header with its
 * Clear button, the styles of headers and counts, and the intents they emit. The charts render what
 * they are given and emit intents; none filters anything itself.
 */
import { css, html, nothing } from 'lit';
import type { FacetField, FacetFilter } from '../model/facets.ts';

export const FIELD_NAMES: Record<FacetField, string> = {
  time: 'Date',
  category: 'Category',
  source: 'Source file',
  author: 'Author',
};

export interface FacetChange {
  field: FacetField;
  /** The facet's new filter, or null to clear it. */
  filter: FacetFilter | null;
}

export interface TimePlayback {
  playing: boolean;
  /** Window length in bins of the time facet. */
  window: number;
  /** Steps per second. */
  speed: number;
}

/** One formatter for every count: a brush move re-renders hundreds of them. */
const COUNT_FORMAT = new Intl.NumberFormat('en');

export function formatCount(value: number): string {
  return COUNT_FORMAT.format(value);
}

/** Dispatches an intent that leaves the shadow root, as the explorer listens for it on the panel. */
export function emitIntent(from: HTMLElement, type: string, detail: unknown): void {
  from.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** A facet's heading, with a Clear button while it filters. */
export function facetHeader(field: FacetField, filtered: boolean, clear: () => void) {
  return html`<header>
    <h3 id="facet-${field}">${FIELD_NAMES[field]}</h3>
    ${
      filtered
        ? html`<button
            class="link"
            aria-label="Clear the ${FIELD_NAMES[field].toLowerCase()} filter"
            @click=${clear}
          >
            Clear
          </button>`
        : nothing
    }
  </header>`;
}

export const facetStyles = css`
  section + section {
    margin-top: 12px;
  }
  header {
    display: flex;
    align-items: baseline;
    gap: 8px;
    margin-bottom: 4px;
  }
  h3 {
    font-size: 13px;
    margin: 0;
    flex: 1;
  }
  .count,
  .muted {
    color: var(--atlas-muted);
    font-variant-numeric: tabular-nums;
  }
  button.link {
    all: unset;
    cursor: pointer;
    color: var(--atlas-accent);
    font-size: 12px;
  }
  button.link:focus-visible {
    outline: 2px solid var(--atlas-accent);
  }
`;
