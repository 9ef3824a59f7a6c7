/**
 * The explorer's side panel: tabs for the selected paper's details, the topic opened from its label
 * (while one is open), search results, the area selection, the reading list and the filters. A template
 * of the state it is given; clicks are intents.
 */
import { html, nothing } from 'lit';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import '../components/atlas-details.ts';
import '../components/atlas-topic.ts';
import '../components/atlas-bibliography-export.ts';
import '../components/atlas-facets.ts';
import type { FacetChange, TimePlayback } from '../components/facet-shared.ts';
import '../components/atlas-reading-list.ts';
import type { ReadingRow } from '../components/atlas-reading-list.ts';
import { paperRow } from '../components/paper-row.ts';
import { highlightTerms } from '../components/text-highlight.ts';
import type { PanelTab } from '../model/explorer-state.ts';
import type { FacetCounts, FacetFilter, FacetIndex } from '../model/facets.ts';
import type { RankedPapers } from '../model/neighbours.ts';
import type { TopicSummary } from '../model/topics.ts';
import type { SearchController } from '../search/search-controller.ts';
import type { ReadingItem } from '../share/url-state.ts';

/** Rows a list shows; the rest are counted (and all are in an export). */
const LIST_LIMIT = 200;

export interface PanelView {
  map: AtlasMap;
  tab: PanelTab;
  open: boolean;
  selected: number;
  neighbours: RankedPapers | null;
  /** The topic opened from its label, or null. */
  topic: TopicSummary | null;
  pinned: boolean;
  search: SearchController;
  /** The area selection, less the papers the filters leave out. */
  area: Int32Array | null;
  /** The search hits the filters keep. */
  searchHits: Int32Array | null;
  reading: ReadingRow[];
  facets: {
    /** Built only while the filters tab shows. */
    index: FacetIndex | null;
    counts: FacetCounts | null;
    filters: readonly FacetFilter[];
    playback: TimePlayback;
    playStep: { from: number; to: number; count: number } | null;
  };
}

export interface PanelIntents {
  showTab(tab: PanelTab): void;
  /** Opens a paper from a list and flies the map to it. */
  open(index: number): void;
  closePaper(): void;
  togglePin(): void;
  clearArea(): void;
  /** Selects papers (a topic's, all at once), as the box and lasso do. */
  setArea(indices: Int32Array | null): void;
  openTopic(id: number): void;
  closeTopic(): void;
  setReading(items: ReadingItem[]): void;
  setFacetFilter(change: FacetChange): void;
  clearFacetFilters(): void;
  setPlayback(playback: TimePlayback): void;
}

export function renderPanel(view: PanelView, intents: PanelIntents) {
  const tabs: [PanelTab, string][] = [
    ['details', 'Details'],
    ...(view.topic ? [['topic', 'Topic'] satisfies [PanelTab, string]] : []),
    ['search', 'Results'],
    ['selection', 'Selection'],
    ['reading', `Reading list${view.reading.length ? ` (${view.reading.length})` : ''}`],
    ['filters', `Filters${view.facets.filters.length ? ` (${view.facets.filters.length})` : ''}`],
  ];
  return html`<aside class="panel" ?hidden=${!view.open} aria-label="Explorer panel">
    <div class="tabs" role="tablist">
      ${tabs.map(
        ([tab, label]) =>
          html`<button
            role="tab"
            id="tab-${tab}"
            aria-selected=${view.tab === tab ? 'true' : 'false'}
            aria-controls="panel-body"
            @click=${() => intents.showTab(tab)}
          >
            ${label}
          </button>`,
      )}
    </div>
    <div class="panel-body" id="panel-body" role="tabpanel" aria-labelledby="tab-${view.tab}">
      ${renderTab(view, intents)}
    </div>
  </aside>`;
}

function renderTab(view: PanelView, intents: PanelIntents) {
  switch (view.tab) {
    case 'details':
      return view.selected >= 0
        ? html`<atlas-details
            .map=${view.map}
            .index=${view.selected}
            .neighbours=${view.neighbours}
            .pinned=${view.pinned}
            @details-close=${intents.closePaper}
            @details-pin=${intents.togglePin}
            @details-select=${(e: CustomEvent<number>) => intents.open(e.detail)}
            @details-topic=${(e: CustomEvent<number>) => intents.openTopic(e.detail)}
          ></atlas-details>`
        : html`<p class="muted">
            Click a point on the map to see its paper and its nearest neighbours.
          </p>`;
    case 'topic':
      return html`<atlas-topic
        .map=${view.map}
        .topic=${view.topic}
        @topic-close=${intents.closeTopic}
        @topic-select=${(e: CustomEvent<Int32Array>) => intents.setArea(e.detail)}
        @topic-open-paper=${(e: CustomEvent<number>) => intents.open(e.detail)}
      ></atlas-topic>`;
    case 'search':
      return renderSearchResults(view, intents);
    case 'selection':
      return renderArea(view, intents);
    case 'reading':
      return html`<atlas-reading-list
        .items=${view.reading}
        .map=${view.map}
        @reading-change=${(e: CustomEvent<ReadingItem[]>) => intents.setReading(e.detail)}
        @reading-open=${(e: CustomEvent<number>) => intents.open(e.detail)}
      ></atlas-reading-list>`;
    case 'filters':
      return html`<atlas-facets
        .index=${view.facets.index}
        .counts=${view.facets.counts}
        .filters=${view.facets.filters}
        .playback=${view.facets.playback}
        .playStep=${view.facets.playStep}
        @facet-change=${(e: CustomEvent<FacetChange>) => intents.setFacetFilter(e.detail)}
        @facets-clear=${intents.clearFacetFilters}
        @time-playback=${(e: CustomEvent<TimePlayback>) => intents.setPlayback(e.detail)}
      ></atlas-facets>`;
  }
}

function renderSearchResults({ map, search, searchHits }: PanelView, intents: PanelIntents) {
  const result = search.result;
  const filteredOut = result && searchHits ? result.indices.length - searchHits.length : 0;
  return html`<div class="list-head">
      <span class="count search-status" role="status">${search.renderStatus()}</span>
      ${result ? html`<button @click=${() => search.clear()}>Clear</button>` : nothing}
    </div>
    ${
      filteredOut > 0
        ? html`<p class="muted filtered-out">
            ${filteredOut.toLocaleString()} more outside the filters.
          </p>`
        : nothing
    }
    ${
      result && searchHits
        ? html`<ol class="papers search-results" aria-label="Search results">
            ${rankedRows(result.indices, searchHits).map(([i, k]) => {
              const paper = map.papers[i]!;
              return paperRow(paper, i, intents.open, {
                title: highlightTerms(paper.title, result.terms[k] ?? []),
                ...(result.mode === 'semantic'
                  ? { score: `cos ${result.scores[k]!.toFixed(2)}` }
                  : {}),
              });
            })}
          </ol>`
        : nothing
    }`;
}

/** The first rows of `kept` (a filtered subsequence of `ranked`), each with its rank in `ranked`. */
function rankedRows(ranked: Int32Array, kept: Int32Array): [number, number][] {
  const rows: [number, number][] = [];
  for (let k = 0, at = 0; k < ranked.length && at < kept.length && rows.length < LIST_LIMIT; k++) {
    if (ranked[k] === kept[at]) {
      rows.push([ranked[k]!, k]);
      at++;
    }
  }
  return rows;
}

function renderArea({ map, area, reading }: PanelView, intents: PanelIntents) {
  if (!area) {
    return html`<p class="muted">
      Choose Box or Lasso in the toolbar (or hold Shift and drag on the map) to select papers.
    </p>`;
  }
  return html`<div class="list-head">
      <span class="count selection-count">${area.length.toLocaleString()} selected</span>
      <atlas-bibliography-export
        .map=${map}
        .indices=${area}
        .notes=${new Map(reading.map((item) => [item.id, item.note]))}
        stem="selection"
      ></atlas-bibliography-export>
      <button @click=${intents.clearArea}>Clear</button>
    </div>
    <ol class="papers selection-list" aria-label="Selected papers">
      ${[...area.subarray(0, LIST_LIMIT)].map((i) => paperRow(map.papers[i]!, i, intents.open))}
    </ol>
    ${
      area.length > LIST_LIMIT
        ? html`<p class="muted">
            …and ${(area.length - LIST_LIMIT).toLocaleString()} more (all are in the export).
          </p>`
        : nothing
    }`;
}
