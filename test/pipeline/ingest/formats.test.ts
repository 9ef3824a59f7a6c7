import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { abstractAbout, textFile } from './helpers.ts';

describe('CSV and TSV', () => {
  it('reads quoted fields with commas, quotes and newlines, a BOM and CRLF line ends', async () => {
    const csv =
      '\uFEFFID,Title,Summary,Authors,Year,Link,Tags\r\n' +
      `p1,"Graphs, Again","${abstractAbout('graphs')}\r\nSecond line with ""quotes"".",A. Smith; B. Jones,2021,https://example.org/p1,nlp|graphs\r\n` +
      `p2,Speech,"${abstractAbout('speech')}",C. Doe,2019-05-01,,audio\r\n`;
    const result = await parseCorpus(textFile('export.csv', csv));
    expect(result.format).toBe('csv');
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toEqual({
      id: 'p1',
      title: 'Graphs, Again',
      abstract: `${abstractAbout('graphs')} Second line with "quotes".`,
      authors: ['A. Smith', 'B. Jones'],
      year: 2021,
      url: 'https://example.org/p1',
      categories: ['nlp', 'graphs'],
      source: 'export.csv',
    });
    expect(result.papers[1]!.year).toBe(2019);
  });

  it('detects TSV and semicolon CSV by content, whatever the file is called', async () => {
    const tsv = `title\tabstract\nA\t${abstractAbout('a')}\nB\t${abstractAbout('b')}\n`;
    const fromTsv = await parseCorpus(textFile('data.txt', tsv));
    expect(fromTsv.format).toBe('tsv');
    expect(fromTsv.papers).toHaveLength(2);
    const semicolon = `title;abstract\nA;${abstractAbout('a')}\n`;
    const fromSemicolon = await parseCorpus(textFile('data.csv', semicolon));
    expect(fromSemicolon.papers[0]!.title).toBe('A');
  });

  it('uses the abstract column over a text column, and derives missing titles', async () => {
    const csv = `text,ABSTRACT\nignored,"${abstractAbout('x')}"\n`;
    const result = await parseCorpus(textFile('a.csv', csv));
    expect(result.papers[0]!.abstract).toBe(abstractAbout('x'));
    expect(result.papers[0]!.title).toBe('We study x in depth.');
    expect(result.warnings.join(' ')).toMatch(/no title column/);
  });
});

describe('JSON and JSONL', () => {
  it('reads a JSON array, and { papers } / { data } wrappers', async () => {
    const rows = [
      { title: 'One', abstract: abstractAbout('one'), categories: ['cs.CL'] },
      { title: 'Two', abstract: abstractAbout('two') },
    ];
    for (const document of [rows, { papers: rows }, { data: rows }, { meta: 1, results: rows }]) {
      const result = await parseCorpus(textFile('x.json', JSON.stringify(document, null, 2)));
      expect(result.format).toBe('json');
      expect(result.papers.map((paper) => paper.title)).toEqual(['One', 'Two']);
    }
  });

  it('reads Hugging Face style {title, summary} rows as JSONL', async () => {
    const lines = ['alpha', 'beta', 'gamma'].map((topic) =>
      JSON.stringify({ title: topic, summary: abstractAbout(topic) }),
    );
    const result = await parseCorpus(textFile('hf.ndjson', lines.join('\n')));
    expect(result.format).toBe('jsonl');
    expect(result.papers.map((paper) => paper.abstract)).toEqual(
      ['alpha', 'beta', 'gamma'].map(abstractAbout),
    );
  });

  it('reads the arXiv metadata snapshot line format', async () => {
    const line = JSON.stringify({
      id: '0704.0001',
      submitter: 'Pavel Nadolsky',
      authors: "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",
      title:
        'Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies',
      'journal-ref': 'Phys.Rev.D76:013009,2007',
      doi: '10.1103/PhysRevD.76.013009',
      abstract:
        '  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders.\n',
      categories: 'hep-ph',
      update_date: '2008-11-13',
      authors_parsed: [['Balázs', 'C.', '']],
    });
    const result = await parseCorpus(
      textFile(
        'arxiv-metadata-oai-snapshot.json',
        `${line}\n${line.replace('0704.0001', '0704.0002').replace('A fully', 'Another fully')}\n`,
      ),
    );
    expect(result.format).toBe('jsonl');
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toMatchObject({
      id: '0704.0001',
      title:
        'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
      abstract:
        'A fully differential calculation in perturbative quantum chromodynamics is presented for the production of massive photon pairs at hadron colliders.',
      authors: ["C. Bal\\'azs", 'E. L. Berger', 'P. M. Nadolsky', 'C.-P. Yuan'],
      year: 2008,
      url: 'https://arxiv.org/abs/0704.0001',
      categories: ['hep-ph'],
    });
  });
});

describe('BibTeX', () => {
  const bib = String.raw`
% exported from a reference manager
@string{ acl = "Proceedings of the " # "ACL" }
@comment{ @article{ignored, abstract = {not a paper}} }
@inproceedings{devlin2019bert,
  title = {{BERT}: Pre-training of Deep Bidirectional Transformers},
  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and others},
  booktitle = acl,
  year = 2019,
  abstract = {We introduce {BERT}, whose loss is $\mathcal{L}_{\text{MLM}}$ and whose name rhymes with nothing {\"o}ver {\ss}; see \emph{Section 3} for the 50\% case.},
  keywords = {nlp, pretraining},
  eprint = {1810.04805}, archivePrefix = {arXiv}
}
@article(quoted_entry,
  title = "A {"}quoted{"} title with {nested {braces}}",
  author = "Ada Lovelace",
  abstract = "Short but real: " # acl # " paper about engines and numbers and more.",
  doi = {10.1000/xyz123}
)
@misc{no_abstract, title = {Only a Title}}
`;

  it('reads entries with nested braces, quotes, @string, # and comments', async () => {
    const result = await parseCorpus(textFile('refs.bib', bib));
    expect(result.format).toBe('bibtex');
    expect(result.papers).toHaveLength(2);
    const [bert, quoted] = result.papers;
    expect(bert).toEqual({
      id: 'devlin2019bert',
      title: 'BERT: Pre-training of Deep Bidirectional Transformers',
      abstract:
        'We introduce BERT, whose loss is $\\mathcal{L}_{\\text{MLM}}$ and whose name rhymes with nothing över ß; see \\emph{Section 3} for the 50% case.',
      authors: ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee'],
      year: 2019,
      url: 'https://arxiv.org/abs/1810.04805',
      categories: ['nlp', 'pretraining'],
      source: 'refs.bib',
    });
    expect(quoted).toMatchObject({
      id: 'quoted_entry',
      title: 'A "quoted" title with nested braces',
      abstract: 'Short but real: Proceedings of the ACL paper about engines and numbers and more.',
      authors: ['Ada Lovelace'],
      url: 'https://doi.org/10.1000/xyz123',
    });
    expect(result.skipped).toEqual({ count: 1, reasons: { 'missing abstract': 1 } });
  });

  it('skips a malformed entry, names its line, and keeps the rest', async () => {
    const text = `@article{ok1, title={One}, abstract={${abstractAbout('one')}}}\n@article{broken, title={Two} abstract={x}}\n@article{ok2, title={Three}, abstract={${abstractAbout('three')}}}`;
    const result = await parseCorpus(textFile('refs.bib', text));
    expect(result.papers.map((paper) => paper.id)).toEqual(['ok1', 'ok2']);
    expect(result.skipped.reasons).toEqual({ 'malformed entry': 1 });
    expect(result.warnings.join(' ')).toMatch(
      /line 2, column \d+: expected "," or "}" after the title field/,
    );
  });
});

describe('plain text', () => {
  it('reads one document per paragraph; a short first line is the title', async () => {
    const text = `Attention Revisited\n${abstractAbout('attention')}\n\n${abstractAbout('memory')}\n\nToo short.\n`;
    const result = await parseCorpus(textFile('notes.txt', text));
    expect(result.format).toBe('plain-text');
    expect(result.papers.map((paper) => paper.title)).toEqual([
      'Attention Revisited',
      'We study memory in depth.',
    ]);
    expect(result.papers[1]!.abstract).toBe(abstractAbout('memory'));
    expect(result.skipped.reasons).toEqual({ 'too short': 1 });
  });

  it('does not take the first line of hard-wrapped prose as a title', async () => {
    const text =
      'We study the long-range behaviour of wrapped text,\nwhich continues on the next line and then ends here. More follows.';
    const result = await parseCorpus(textFile('wrapped.txt', text));
    expect(result.papers[0]!.title).toBe(
      'We study the long-range behaviour of wrapped text, which continues on the next line and then ends here.',
    );
  });
});

describe('gzip', () => {
  it('decompresses before detecting the format', async () => {
    const lines = ['a', 'b'].map((topic) =>
      JSON.stringify({ id: topic, title: topic, abstract: abstractAbout(topic) }),
    );
    const bytes = gzipSync(Buffer.from(lines.join('\n')));
    const result = await parseCorpus({ name: 'papers.jsonl.gz', bytes });
    expect(result.format).toBe('jsonl');
    expect(result.papers.map((paper) => paper.id)).toEqual(['a', 'b']);
  });
});

describe('exports of reference tools', () => {
  it('reads a Zotero CSV export (Key, Author "Last, First; …", Abstract Note, Manual Tags)', async () => {
    const csv =
      '"Key","Item Type","Publication Year","Author","Title","Abstract Note","Url","Manual Tags"\n' +
      `"ABCD1234","journalArticle","2020","Lovelace, Ada; Babbage, Charles","Engines","${abstractAbout('engines')}","","math; history"\n`;
    const result = await parseCorpus(textFile('My Library.csv', csv));
    expect(result.papers[0]).toMatchObject({
      id: 'ABCD1234',
      title: 'Engines',
      authors: ['Ada Lovelace', 'Charles Babbage'],
      year: 2020,
      categories: ['math', 'history'],
    });
  });

  it('reads a Web of Science tab-delimited export (TI, AB, AU, PY, UT)', async () => {
    const tsv = `PT\tAU\tTI\tAB\tPY\tUT\nJ\tDoe, J; Roe, R\tTagged\t${abstractAbout('tags')}\t2018\tWOS:000123\n`;
    const result = await parseCorpus(textFile('savedrecs.txt', tsv));
    expect(result.format).toBe('tsv');
    expect(result.papers[0]).toMatchObject({
      id: 'WOS:000123',
      title: 'Tagged',
      authors: ['J Doe', 'R Roe'],
      year: 2018,
    });
  });

  it('rebuilds OpenAlex abstracts from their inverted index', async () => {
    const work = {
      id: 'https://openalex.org/W2741809807',
      display_name: 'Inverted',
      publication_year: 2017,
      abstract_inverted_index: { We: [0], study: [1], inverted: [2], 'indexes.': [3] },
    };
    const result = await parseCorpus(textFile('works.json', JSON.stringify({ results: [work] })));
    expect(result.papers[0]).toMatchObject({
      id: 'https://openalex.org/W2741809807',
      title: 'Inverted',
      abstract: 'We study inverted indexes.',
      year: 2017,
      url: 'https://openalex.org/W2741809807',
    });
  });
});
