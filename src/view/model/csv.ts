import Papa from 'papaparse';
import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import { entryNote } from '../../pipeline/export/bibliography.ts';

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
  'note',
] as const;

/**
 * CSV of the given papers (RFC 4180 quoting), with each paper's note: the reader's own from `notes`
 * (by paper id), else the one the paper came with. Cells that a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or carriage return) are prefixed with an apostrophe, because corpus
 * text is untrusted; numeric columns are written as numbers.
 */
export function papersToCsv(
  map: AtlasMap,
  indices: ArrayLike<number>,
  notes: ReadonlyMap<string, string> = new Map(),
): string {
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
      inertText(listCell(paper.authors ?? [], /,/)),
      paper.year === undefined ? '' : String(paper.year),
      inertText(paper.url ?? ''),
      inertText(listCell(paper.categories ?? [], /\s/)),
      inertText(paper.source ?? ''),
      cluster === -1 ? '' : inertText(labels.get(cluster) ?? String(cluster)),
      String(map.positions[2 * i]),
      String(map.positions[2 * i + 1]),
      inertText(paper.abstract),
      inertText(entryNote({ paper, note: notes.get(paper.id) })),
    ]);
  }
  return Papa.unparse({ fields: [...CSV_COLUMNS], data: rows }, { quotes: false, newline: '\r\n' });
}

/**
 * Names or categories separated by semicolons. A lone value that a reader would split on its own
 * ("Ada Lovelace, Jr." on the comma, "cs.CL cs.LG" on the space) gets a closing semicolon, so the
 * reader splits on semicolons only.
 */
function listCell(values: readonly string[], splitsAlone: RegExp): string {
  const cell = values.join('; ');
  return values.length === 1 && splitsAlone.test(cell) ? `${cell};` : cell;
}

/** Text a spreadsheet would evaluate as a formula, made literal by a leading apostrophe. */
function inertText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
