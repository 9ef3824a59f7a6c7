import { html, nothing, type TemplateResult } from 'lit';
import type { Paper } from '../../pipeline/types.ts';
import { authorLine } from '../model/format.ts';

/** Authors and year, for one line under a title. */
export function paperMeta(paper: Paper): string {
  return [authorLine(paper.authors), paper.year].filter(Boolean).join(' · ');
}

/**
 * One paper in a list (search results, selection, nearest papers): a button that opens it, showing its
 * title (or a highlighted version of it), authors, year and an optional score.
 */
export function paperRow(
  paper: Paper,
  index: number,
  open: (index: number) => void,
  options: { title?: TemplateResult | string; score?: string } = {},
): TemplateResult {
  return html`<li>
    <button class="paper" data-index=${index} @click=${() => open(index)}>
      <span class="paper-title">${options.title ?? paper.title}</span>
      <span class="paper-meta"
        >${paperMeta(paper)}${
          options.score ? html`<span class="score">${options.score}</span>` : nothing
        }</span
      >
    </button>
  </li>`;
}
