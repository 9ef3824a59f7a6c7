import { describe, expect, it } from 'vitest';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { bibliographyFile } from '../../../src/view/export/bibliography-file.ts';
import { syntheticMap } from '../../../src/view/synthetic/synthetic-map.ts';

describe('bibliography files for the reading list and the selection', () => {
  const map = {
    ...syntheticMap({ count: 30, seed: 9, vectorDim: 0 }),
    name: 'Reading group: week 3',
  };
  const indices = [4, 17, 2];
  const notes = new Map([[map.papers[17]!.id, 'Discuss first']]);

  for (const format of ['bibtex', 'ris', 'csv'] as const) {
    it(`${format}: names the file after the map and keeps the papers, in order, with notes`, async () => {
      const file = bibliographyFile(format, map, indices, notes, 'reading-list');
      const extension = { bibtex: 'bib', ris: 'ris', csv: 'csv' }[format];
      expect(file.fileName).toBe(`Reading-group-week-3-reading-list.${extension}`);
      const back = await parseCorpus({
        name: file.fileName,
        bytes: new TextEncoder().encode(file.text),
      });
      expect(back.skipped.count).toBe(0);
      expect(back.papers.map((paper) => paper.title)).toEqual(
        indices.map((i) => map.papers[i]!.title),
      );
      expect(back.papers.map((paper) => paper.abstract)).toEqual(
        indices.map((i) => map.papers[i]!.abstract),
      );
      expect(back.papers[1]!.note).toBe('Discuss first');
    });
  }
});
