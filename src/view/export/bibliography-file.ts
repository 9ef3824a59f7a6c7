import type { AtlasMap } from '../../pipeline/atlas-map.ts';
import { toBibtex } from '../../pipeline/export/bibtex.ts';
import { toRis } from '../../pipeline/export/ris.ts';
import { bundleFileName } from '../../pipeline/bundle.ts';
import { papersToCsv } from '../model/csv.ts';

export const BIBLIOGRAPHY_FORMATS = ['bibtex', 'ris', 'csv'] as const;
export type BibliographyFormat = (typeof BIBLIOGRAPHY_FORMATS)[number];

export const FORMAT_LABELS: Record<BibliographyFormat, string> = {
  bibtex: 'BibTeX',
  ris: 'RIS',
  csv: 'CSV',
};

const EXTENSIONS: Record<BibliographyFormat, string> = { bibtex: 'bib', ris: 'ris', csv: 'csv' };
const MIME_TYPES: Record<BibliographyFormat, string> = {
  bibtex: 'application/x-bibtex;charset=utf-8',
  ris: 'application/x-research-info-systems;charset=utf-8',
  csv: 'text/csv;charset=utf-8',
};

export interface BibliographyFile {
  text: string;
  fileName: string;
  type: string;
}

/**
 * The file for some of a map's papers in one format: `<map>-<stem>.bib|.ris|.csv`, each paper with
 * its note from `notes` (by paper id) or its own.
 */
export function bibliographyFile(
  format: BibliographyFormat,
  map: AtlasMap,
  indices: ArrayLike<number>,
  notes: ReadonlyMap<string, string>,
  stem: string,
): BibliographyFile {
  const fileName = bundleFileName(map.name).replace(
    /\.atlas\.json$/,
    `-${stem}.${EXTENSIONS[format]}`,
  );
  let text: string;
  if (format === 'csv') {
    text = papersToCsv(map, indices, notes);
  } else {
    const entries = Array.from(indices, (i) => map.papers[i])
      .filter((paper) => paper !== undefined)
      .map((paper) => ({ paper, note: notes.get(paper.id) }));
    text = format === 'bibtex' ? toBibtex(entries) : toRis(entries);
  }
  return { text, fileName, type: MIME_TYPES[format] };
}
