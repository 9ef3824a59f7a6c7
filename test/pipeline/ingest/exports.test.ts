import { describe, expect, it } from 'vitest';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, textFile } from './helpers.ts';

/**
 * Column sets of real exports, as the tools write them. Sources: Zotero's CSV export header; Scopus's
 * CSV export (the column list of its full-record export); Web of Science's "Tab-delimited" export
 * (its field tags, as on the header line of `savedrecs.txt`, rows ending in a tab); OpenAlex's CSV
 * export (flattened field names, list values separated by "|").
 */
const ZOTERO_COLUMNS = [
  'Key', 'Item Type', 'Publication Year', 'Author', 'Title', 'Publication Title', 'ISBN', 'ISSN', 'DOI',
  'Url', 'Abstract Note', 'Date', 'Date Added', 'Date Modified', 'Access Date', 'Pages', 'Num Pages',
  'Issue', 'Volume', 'Number Of Volumes', 'Journal Abbreviation', 'Short Title', 'Series',
  'Series Number', 'Series Text', 'Series Title', 'Publisher', 'Place', 'Language', 'Rights', 'Type',
  'Archive', 'Archive Location', 'Library Catalog', 'Call Number', 'Extra', 'Notes',
  'File Attachments', 'Link Attachments', 'Manual Tags', 'Automatic Tags', 'Editor', 'Series Editor',
  'Translator', 'Contributor', 'Attorney Agent', 'Book Author', 'Cast Member', 'Commenter',
  'Composer', 'Cosponsor', 'Counsel', 'Interviewer', 'Producer', 'Recipient', 'Reviewed Author',
  'Scriptwriter', 'Words By', 'Guest', 'Number', 'Edition', 'Running Time', 'Scale', 'Medium',
  'Artwork Size', 'Filing Date', 'Application Number', 'Assignee', 'Issuing Authority', 'Country',
  'Meeting Name', 'Conference Name', 'Court', 'References', 'Reporter', 'Legal Status',
  'Priority Numbers', 'Programming Language', 'Version', 'System', 'Code', 'Code Number', 'Section',
  'Session', 'Committee', 'History', 'Legislative Body',
]; // prettier-ignore

const SCOPUS_COLUMNS = [
  'Authors', 'Author full names', 'Author(s) ID', 'Title', 'Year', 'Source title', 'Volume', 'Issue',
  'Art. No.', 'Page start', 'Page end', 'Page count', 'Cited by', 'DOI', 'Link', 'Affiliations',
  'Authors with affiliations', 'Abstract', 'Author Keywords', 'Index Keywords', 'References',
  'Correspondence Address', 'Editors', 'Publisher', 'Conference name', 'Conference date',
  'Conference location', 'Conference code', 'ISSN', 'ISBN', 'CODEN', 'PubMed ID',
  'Language of Original Document', 'Abbreviated Source Title', 'Document Type', 'Publication Stage',
  'Open Access', 'Source', 'EID',
]; // prettier-ignore

const WEB_OF_SCIENCE_TAGS = (
  'PT AU BA BE GP AF BF CA TI SO SE BS LA DT CT CY CL SP HO DE ID AB C1 RP EM RI OI FU FX CR NR TC Z9 ' +
  'U1 U2 PU PI PA SN EI BN J9 JI PD PY VL IS PN SU SI MA BP EP AR DI D2 EA EY PG WC SC GA UT PM OA HC HP DA'
).split(' ');

const OPENALEX_COLUMNS = [
  'id', 'doi', 'title', 'display_name', 'publication_year', 'publication_date', 'language', 'type',
  'cited_by_count', 'primary_location.source.display_name', 'authorships.author.id',
  'authorships.author.display_name', 'authorships.author.orcid', 'authorships.institutions.id',
  'authorships.institutions.display_name', 'authorships.countries', 'authorships.is_corresponding',
  'primary_topic.display_name', 'abstract',
]; // prettier-ignore

/** One row of `columns`, every field quoted (as Zotero and Scopus write them); missing values empty. */
function quotedRow(
  columns: readonly string[],
  values: Partial<Record<string, string>>,
  delimiter = ',',
): string {
  return columns
    .map((column) => `"${(values[column] ?? '').replaceAll('"', '""')}"`)
    .join(delimiter);
}

describe('line endings', () => {
  it('reads a CRLF header with LF rows: every row, none lost (the first-contact report)', async () => {
    const csv =
      'title,abstract\r\n' +
      ['graphs', 'speech', 'vision'].map((t) => `${t},"${abstractAbout(t)}"`).join('\n') +
      '\n';
    const result = await parseCorpus(textFile('appended.csv', csv));
    expect(result.papers.map((paper) => paper.title)).toEqual(['graphs', 'speech', 'vision']);
    expect(result.skipped.count).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  it('reads old Mac CR endings, and CR, LF and CRLF mixed in one file', async () => {
    const rows = ['a', 'b', 'c', 'd'].map((t) => `${t}\t${abstractAbout(t)}`);
    const crOnly = await parseCorpus(textFile('mac.tsv', ['title\tabstract', ...rows].join('\r')));
    expect(crOnly.papers).toHaveLength(4);
    const mixed = `title\tabstract\r${rows[0]}\n${rows[1]}\r\n${rows[2]}\r${rows[3]}\r\n`;
    const result = await parseCorpus(textFile('mixed.tsv', mixed));
    expect(result.papers.map((paper) => paper.title)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.skipped.count).toBe(0);
  });

  it('keeps a line break inside a quoted abstract, whatever its ending', async () => {
    const csv = `title,abstract\r\nA,"First line\r\nsecond line of ${abstractAbout('a')}"\nB,"${abstractAbout('b')}"\n`;
    const result = await parseCorpus(textFile('quoted.csv', csv));
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]!.abstract).toMatch(/^First line second line of/);
  });
});

describe('delimiters of spreadsheet exports', () => {
  it("obeys Excel's sep=; first line, and does not count it as a row", async () => {
    const csv = `sep=;\r\nTitle;Abstract;Year\r\nGraphs;"${abstractAbout('graphs')}";2021\r\nSpeech;"${abstractAbout('speech')}";2022\r\n`;
    const result = await parseCorpus(textFile('export.csv', csv));
    expect(result.format).toBe('csv');
    expect(result.papers.map((paper) => [paper.title, paper.year])).toEqual([
      ['Graphs', 2021],
      ['Speech', 2022],
    ]);
    expect(result.skipped.count).toBe(0);
  });

  it('reads a semicolon export with decimal commas and quoted semicolons', async () => {
    const csv =
      'Titel;Abstract;Score\n' +
      `Graphs;"${abstractAbout('graphs')}; with a semicolon";3,5\n` +
      `Speech;${abstractAbout('speech').replaceAll(',', '')};4,25\n`;
    const result = await parseCorpus(textFile('liste.csv', csv));
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]!.abstract).toMatch(/; with a semicolon$/);
    expect(result.papers[0]!.title).toBe(abstractAbout('graphs').split('.')[0] + '.');
  });
});

describe('exports of reference tools, with their full column sets', () => {
  it('reads a Zotero CSV export', async () => {
    const rows = [
      { Key: 'ABCD1234', 'Item Type': 'journalArticle', 'Publication Year': '2020', Author: 'Lovelace, Ada; Babbage, Charles', Title: 'Engines', 'Abstract Note': abstractAbout('engines'), Url: 'https://example.org/engines', Date: '2020-03-01', 'Manual Tags': 'math; history', 'Short Title': 'Eng' },
      { Key: 'EFGH5678', 'Item Type': 'preprint', 'Publication Year': '2023', Author: 'Hopper, Grace', Title: 'Compilers', 'Abstract Note': abstractAbout('compilers'), Extra: 'arXiv: 2301.00001' },
      { Key: 'IJKL9012', 'Item Type': 'book', 'Publication Year': '1999', Author: 'Knuth, Donald', Title: 'No abstract here' },
    ]; // prettier-ignore
    const csv = [
      ZOTERO_COLUMNS.map((c) => `"${c}"`).join(','),
      ...rows.map((r) => quotedRow(ZOTERO_COLUMNS, r)),
    ].join('\n');
    const result = await parseCorpus(textFile('My Library.csv', `\uFEFF${csv}\n`));
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toMatchObject({
      id: 'ABCD1234',
      title: 'Engines',
      authors: ['Ada Lovelace', 'Charles Babbage'],
      year: 2020,
      url: 'https://example.org/engines',
      categories: ['math', 'history'],
    });
    expect(result.papers[1]).toMatchObject({ id: 'EFGH5678', title: 'Compilers', year: 2023 });
    expect(result.skipped).toEqual({ count: 1, reasons: { 'missing abstract': 1 } });
    expect(result.warnings).toContain(
      '1 row was skipped: 1 missing abstract (row 4 of My Library.csv).',
    );
  });

  it('reads a Scopus CSV export, counting "[No abstract available]" as missing', async () => {
    const rows = [
      { Authors: 'Smith J.; Jones A.B.', 'Author full names': 'Smith, John (123); Jones, Ann B. (456)', Title: 'Graph learning', Year: '2022', 'Source title': 'Journal of Graphs', DOI: '10.1000/xyz123', Link: 'https://www.scopus.com/inward/record.uri?eid=2-s2.0-1', Abstract: `${abstractAbout('graphs')} © 2022 Elsevier B.V.`, 'Author Keywords': 'graphs; learning', 'Index Keywords': 'Graph theory', 'Document Type': 'Article', Source: 'Scopus', EID: '2-s2.0-1' },
      { Authors: 'Doe J.', Title: 'A note', Year: '2021', Abstract: '[No abstract available]', 'Document Type': 'Note', Source: 'Scopus', EID: '2-s2.0-2' },
      { Authors: 'Roe R.', Title: 'Speech models', Year: '2023', Abstract: abstractAbout('speech'), 'Document Type': 'Article', Source: 'Scopus', EID: '2-s2.0-3' },
    ]; // prettier-ignore
    const csv = [
      SCOPUS_COLUMNS.map((c) => `"${c}"`).join(','),
      ...rows.map((r) => quotedRow(SCOPUS_COLUMNS, r)),
    ].join('\r\n');
    const result = await parseCorpus(textFile('scopus.csv', csv));
    expect(result.papers.map((paper) => paper.title)).toEqual(['Graph learning', 'Speech models']);
    expect(result.papers[0]).toMatchObject({
      id: '10.1000/xyz123',
      authors: ['Smith J.', 'Jones A.B.'],
      year: 2022,
      categories: ['graphs', 'learning'],
    });
    expect(result.papers.length + result.skipped.count).toBe(rows.length);
  });

  it('reads a Web of Science tab-delimited export: UT is the id, ID (Keywords Plus) is not', async () => {
    const record = (values: Record<string, string>) =>
      // Web of Science ends every row with a tab.
      WEB_OF_SCIENCE_TAGS.map((tag) => values[tag] ?? '').join('\t') + '\t';
    const tsv = [
      WEB_OF_SCIENCE_TAGS.join('\t'),
      record({ PT: 'J', AU: 'Doe, J; Roe, R', TI: 'Tagged', AB: abstractAbout('tags'), PY: '2018', DE: 'tags; labels', ID: 'NETWORKS', UT: 'WOS:000123' }),
      record({ PT: 'J', AU: 'Poe, E', TI: 'Graphs', AB: abstractAbout('graphs'), PY: '2019', ID: 'NETWORKS', UT: 'WOS:000456' }),
    ].join('\r\n'); // prettier-ignore
    const result = await parseCorpus(textFile('savedrecs.txt', `\uFEFF${tsv}\r\n`));
    expect(result.format).toBe('tsv');
    expect(result.papers.map((paper) => paper.id)).toEqual(['WOS:000123', 'WOS:000456']);
    expect(result.papers[0]).toMatchObject({
      title: 'Tagged',
      authors: ['J Doe', 'R Roe'],
      year: 2018,
      categories: ['tags', 'labels'],
    });
    expect(result.skipped.count).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  it('reads an OpenAlex CSV export, with "|" between list values', async () => {
    const rows = [
      { id: 'https://openalex.org/W2741809807', doi: 'https://doi.org/10.7717/peerj.4375', title: 'The state of OA', display_name: 'The state of OA', publication_year: '2018', publication_date: '2018-02-13', language: 'en', type: 'article', 'authorships.author.display_name': 'Heather Piwowar|Jason Priem', 'primary_topic.display_name': 'Open access publishing', abstract: abstractAbout('open access') },
      { id: 'https://openalex.org/W1', title: 'Second', display_name: 'Second', publication_year: '2020', abstract: abstractAbout('second') },
    ]; // prettier-ignore
    const csv = [
      OPENALEX_COLUMNS.join(','),
      ...rows.map((r) => quotedRow(OPENALEX_COLUMNS, r)),
    ].join('\n');
    const result = await parseCorpus(textFile('works.csv', csv));
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toMatchObject({
      id: 'https://openalex.org/W2741809807',
      title: 'The state of OA',
      authors: ['Heather Piwowar', 'Jason Priem'],
      year: 2018,
      categories: ['Open access publishing'],
    });
  });
});

describe('ragged rows', () => {
  it('keeps rows with fewer fields when they reach the abstract, and names them', async () => {
    const csv = [
      'id,title,abstract,year',
      `1,A,"${abstractAbout('a')}",2020`,
      `2,B,"${abstractAbout('b')}"`,
      `3,C,"${abstractAbout('c')}",2021`,
      `4,D,"${abstractAbout('d')}"`,
      '5,E',
    ].join('\n');
    const result = await parseCorpus(textFile('short.csv', csv));
    expect(result.papers.map((paper) => paper.id)).toEqual(['1', '2', '3', '4']);
    expect(result.skipped).toEqual({
      count: 1,
      reasons: { 'row ends before the abstract column': 1 },
    });
    expect(result.warnings).toEqual([
      'short.csv: 2 rows have fewer fields than the header (rows 3 and 5 of short.csv); they were kept, with the missing fields empty.',
      '1 row was skipped: 1 row ends before the abstract column (row 6 of short.csv).',
    ]);
  });

  it('joins extra fields back onto a last-column abstract (unquoted commas), and says so', async () => {
    const csv = [
      'title,abstract',
      'Graphs,We study graphs, trees, and forests in depth with new methods.',
      `Speech,"${abstractAbout('speech')}"`,
    ].join('\n');
    const result = await parseCorpus(textFile('unquoted.csv', csv));
    expect(result.papers[0]!.abstract).toBe(
      'We study graphs, trees, and forests in depth with new methods.',
    );
    expect(result.papers).toHaveLength(2);
    expect(result.warnings).toEqual([
      'unquoted.csv: 1 row has more fields than the header (row 2 of unquoted.csv); the abstract is the last column, so the extra fields were joined back onto it. Quote fields that contain ",".',
    ]);
  });

  it('skips, and names, rows whose extra fields shift the columns before the abstract', async () => {
    const csv = [
      'title,abstract,year',
      `Graphs, trees and forests,"${abstractAbout('graphs')}",2020`,
      `Speech,"${abstractAbout('speech')}",2021`,
      'trailing,empty fields are fine,2022,,',
    ].join('\n');
    const result = await parseCorpus(textFile('shifted.csv', csv));
    expect(result.papers.map((paper) => paper.title)).toEqual(['Speech', 'trailing']);
    expect(result.skipped).toEqual({ count: 1, reasons: { 'more fields than the header': 1 } });
    expect(result.warnings).toContain(
      '1 row was skipped: 1 more fields than the header (row 2 of shifted.csv).',
    );
  });

  it('counts a row of empty fields, and passes over blank lines', async () => {
    const csv = `title,abstract\n\nA,"${abstractAbout('a')}"\n  \n,\n\t\nB,"${abstractAbout('b')}"\n\n`;
    const result = await parseCorpus(textFile('gaps.csv', csv));
    expect(result.papers).toHaveLength(2);
    expect(result.skipped).toEqual({ count: 1, reasons: { 'empty row': 1 } });
    expect(result.warnings).toContain('1 row was skipped: 1 empty row (row 3 of gaps.csv).');
  });

  it('names only the first rows of many, and counts them all', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `T${i},`);
    const result = await parseCorpus(
      textFile(
        'empty.csv',
        ['title,abstract', 'Kept,' + abstractAbout('kept'), ...rows].join('\n'),
      ),
    );
    expect(result.papers).toHaveLength(1);
    expect(result.skipped.count).toBe(12);
    expect(result.warnings).toContain(
      '12 rows were skipped: 12 missing abstract (first: rows 3, 4, 5, 6 and 7 of empty.csv).',
    );
  });
});
