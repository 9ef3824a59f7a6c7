import { describe, expect, it } from 'vitest';
import { bibtexToText } from '../../../src/pipeline/ingest/bibtex.ts';
import { toAuthors, toCategories } from '../../../src/pipeline/ingest/fields.ts';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, textFile } from './helpers.ts';

describe('fields that reference managers write', () => {
  it('splits arXiv codes on spaces but keeps a free-text keyword whole', () => {
    expect(toCategories('cs.CL cs.LG')).toEqual(['cs.CL', 'cs.LG']);
    expect(toCategories('hep-th gr-qc')).toEqual(['hep-th', 'gr-qc']);
    expect(toCategories('machine learning')).toEqual(['machine learning']);
    expect(toCategories('self-supervised learning')).toEqual(['self-supervised learning']);
  });

  it('keeps a name suffix in place instead of reading it as a first name', () => {
    expect(toAuthors('Lovelace, Ada; Smith, Jr.')).toEqual(['Ada Lovelace', 'Smith, Jr.']);
    expect(toAuthors('Ada Lovelace, Jr.;')).toEqual(['Ada Lovelace, Jr.']);
  });

  it('reads BibTeX text escapes back as the characters they stand for, outside math only', () => {
    expect(bibtexToText('\\textasciitilde{}30\\% \\& \\{a\\} \\textbackslash{} \\$5')).toBe(
      '~30% & {a} \\ $5',
    );
    expect(bibtexToText('$\\{x_i\\}$ and \\emph{y} -{}- z')).toBe('$\\{x_i\\}$ and \\emph{y} -- z');
  });

  it('reads BibTeX keywords as comma-separated, each with its spaces, and annote as the note', async () => {
    const bib = `@article{k, title={T}, abstract={${abstractAbout('k')}}, keywords={machine learning, cs.CL}, annote={Week 1}}`;
    const [paper] = (await parseCorpus(textFile('k.bib', bib))).papers;
    expect(paper!.categories).toEqual(['machine learning', 'cs.CL']);
    expect(paper!.note).toBe('Week 1');
  });
});
