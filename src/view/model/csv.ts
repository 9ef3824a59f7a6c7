import Papa from 'papaparse';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';

/** Columns of a selection export, in order. */
export const CSV_COLUMNS = [
  'id',
  'title',
  'authors',
  'year',
  'url',
  'categories',
  'source',
  'cluster',
  'x',
  'y',
  'abstract',
] as const;

/**
 * CSV of the given papers (RFC 4180 quoting). Cells that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) are prefixed with an apostrophe, because corpus
 * text is untrusted; numeric columns are written as numbers.
 */
export function papersToCsv(map: AtlasMap, indices: ArrayLike<number>): string {
  const finest = map.clusterLevels[map.clusterLevels.length - 1];
  const labels = new Map(map.clusters.map((c) => [c.id, c.label]));
  const rows: string[][] = [];
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k]!;
    const paper = map.papers[i];
    if (!paper) continue;
    const cluster = finest?.[i] ?? -1;
    rows.push([
      inertText(paper.id),
      inertText(paper.title),
      inertText((paper.authors ?? []).join('; ')),
      paper.year === undefined ? '' : String(paper.year),
      inertText(paper.url ?? ''),
      inertText((paper.categories ?? []).join('; ')),
      inertText(paper.source ?? ''),
      cluster === -1 ? '' : inertText(labels.get(cluster) ?? String(cluster)),
      String(map.positions[2 * i]),
      String(map.positions[2 * i + 1]),
      inertText(paper.abstract),
    ]);
  }
  return Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { quotes: false, newline: '\r\n' });
}

/** Text a spreadsheet would evaluate as a formula, made literal by a leading apostrophe. */
function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
