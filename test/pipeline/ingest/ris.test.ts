import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtlasError, isCancelled } from '../../../src/lib/errors.ts';
import { PaperCollector } from '../../../src/pipeline/ingest/collect.ts';
import { parseCorpus } from '../../../src/pipeline/ingest/index.ts';
import { looksLikeRis, parseRis } from '../../../src/pipeline/ingest/ris.ts';
import { abstractAbout, expectParseError, textFile } from './helpers.ts';

/** A record as Zotero writes it: TI, AU "Last, First", PY with slashes, one KW per line, N1 notes. */
const ZOTERO = `TY  - JOUR
TI  - Attention Is All You Need
AU  - Vaswani, Ashish
AU  - Shazeer, Noam
AB  - ${abstractAbout('attention')}
PY  - 2017///
DA  - 2017/06/12/
UR  - https://arxiv.org/abs/1706.03762
DO  - 10.48550/arXiv.1706.03762
KW  - machine learning
KW  - cs.CL
N1  - Read for week 3
ER  - 

TY  - CONF
TI  - Deep Residual Learning
AU  - He, Kaiming
AB  - ${abstractAbout('residual')}
PY  - 2016
DO  - 10.1109/CVPR.2016.90
ER  - 
`;

/** Mendeley and EndNote: T1/A1/N2/Y1, an ID, CRLF line ends, "ER  -" with nothing after it, and an abstract wrapped over lines. */
const ENDNOTE =
  [
    'TY  - JOUR',
    'ID  - smith2020graphs',
    'T1  - Graph Networks',
    'A1  - Smith, Jane, Jr.',
    'Y1  - 2020/05/01',
    'N2  - We study graphs in depth. Our method improves graphs on three',
    'public benchmarks by a wide margin, and we release code.',
    'KW  - graphs; networks',
    'ER  -',
  ].join('\r\n') + '\r\n';

describe('RIS', () => {
  it('reads Zotero exports: titles, "Last, First" authors, year, link, keywords and notes', async () => {
    const result = await parseCorpus(textFile('My Library.ris', ZOTERO));
    expect(result.format).toBe('ris');
    expect(result.papers).toHaveLength(2);
    expect(result.papers[0]).toEqual({
      id: expect.any(String),
      title: 'Attention Is All You Need',
      abstract: abstractAbout('attention'),
      authors: ['Ashish Vaswani', 'Noam Shazeer'],
      year: 2017,
      url: 'https://arxiv.org/abs/1706.03762',
      categories: ['machine learning', 'cs.CL'],
      note: 'Read for week 3',
      source: 'My Library.ris',
    });
    // No UR line: the DOI gives the link.
    expect(result.papers[1]!.url).toBe('https://doi.org/10.1109/CVPR.2016.90');
    expect(result.warnings).toEqual([]);
  });

  it('reads Mendeley/EndNote tags, CRLF, wrapped abstracts and keeps the ID as the paper id', async () => {
    const result = await parseCorpus(textFile('export.txt', ENDNOTE));
    expect(result.format).toBe('ris');
    expect(result.papers[0]).toMatchObject({
      id: 'smith2020graphs',
      title: 'Graph Networks',
      authors: ['Jane Smith, Jr.'],
      year: 2020,
      categories: ['graphs', 'networks'],
      abstract:
        'We study graphs in depth. Our method improves graphs on three public benchmarks by a wide margin, and we release code.',
    });
  });

  it('is detected by content, not by name', () => {
    expect(looksLikeRis(ZOTERO)).toBe(true);
    expect(looksLikeRis(`\n\n${ENDNOTE}`)).toBe(true);
    expect(looksLikeRis('title,abstract\nTY  - x')).toBe(false);
  });

  it('counts every record: papers plus skipped equals records, and names the skipped records', async () => {
    const records = [
      `TY  - JOUR\nTI  - One\nAB  - ${abstractAbout('one')}\nER  - `,
      `TY  - JOUR\nTI  - No abstract\nER  - `,
      `TY  - JOUR\nTI  - One\nAB  - ${abstractAbout('one')}\nER  - `,
      `TY  - JOUR\nTI  - Two\nAB  - ${abstractAbout('two')}\nER  - `,
      `TY  - JOUR\nTI  - Abstract is n/a\nAB  - n/a\nER  - `,
    ];
    const result = await parseCorpus(textFile('x.ris', records.join('\n')));
    expect(result.papers.map((paper) => paper.title)).toEqual(['One', 'Two']);
    expect(result.papers.length + result.skipped.count).toBe(records.length);
    expect(result.skipped.reasons).toEqual({ 'missing abstract': 2, duplicate: 1 });
    expect(result.warnings).toContain(
      'x.ris: 3 records were skipped: 2 missing abstract (records 2, 5); 1 duplicate (record 3).',
    );
  });

  it('reads records that are not closed or not opened, and says so', async () => {
    const text = `TY  - JOUR\nTI  - Open\nAB  - ${abstractAbout('open')}\nTY  - JOUR\nTI  - Next\nAB  - ${abstractAbout('next')}\nER  - \nTI  - Headless\nAB  - ${abstractAbout('headless')}\nER  - \nstray text\n`;
    const result = await parseCorpus(textFile('x.ris', text));
    expect(result.papers.map((paper) => paper.title)).toEqual(['Open', 'Next', 'Headless']);
    const warnings = result.warnings.join('\n');
    expect(warnings).toMatch(/1 RIS record does not end with an "ER {2}-" line/);
    expect(warnings).toMatch(/1 RIS record starts without a "TY {2}-" line/);
    expect(warnings).toMatch(/1 line outside any RIS record was ignored \(the first at line 11\)/);
  });

  it('refuses a file whose records have no abstracts, saying how many', async () => {
    const text = 'TY  - JOUR\nTI  - A\nER  - \nTY  - JOUR\nTI  - B\nER  - \n';
    await expectParseError(
      parseCorpus(textFile('x.ris', text)),
      'no-papers',
      /all 2 entries were skipped \(2 missing abstract\)/,
    );
  });

  it('answers mutated RIS with papers or an AtlasError, and never loses a record silently', () => {
    const seeds = [ZOTERO, ENDNOTE];
    const noise = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('TY  - ', 'ER  - ', '\n', '\r\n', 'AB  - ', 'AU  - ,', '  - ', '\u0000'),
    );
    fc.assert(
      fc.property(
        fc.nat(seeds.length - 1),
        fc.array(
          fc.record({
            at: fc.double({ min: 0, max: 1, noNaN: true }),
            remove: fc.nat(20),
            insert: noise,
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (seedIndex, edits) => {
          let text = seeds[seedIndex]!;
          for (const edit of edits) {
            const at = Math.floor(edit.at * text.length);
            text = text.slice(0, at) + edit.insert + text.slice(at + edit.remove);
          }
          const collector = new PaperCollector();
          const warnings: string[] = [];
          try {
            Array.from(parseRis(text, { fileName: 'f.ris', collector, warnings }));
          } catch (error) {
            if (!(error instanceof AtlasError) && !isCancelled(error)) throw error;
            return;
          }
          // Every TY line, and every tag line after an ER, opens a record; each is a paper or counted.
          const records = countRecords(text);
          expect(collector.papers.length + collector.skippedCount).toBe(records);
          for (const paper of collector.papers) expect(paper.abstract.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200, seed: 16 },
    );
  });
});

/** Records in RIS text, counted independently of the parser: TY lines, and tag lines outside a record. */
function countRecords(text: string): number {
  let open = false;
  let records = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const tag = /^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|\s*)$/.exec(line)?.[1];
    if (tag === undefined) continue;
    if (tag === 'TY') {
      records++;
      open = true;
    } else if (tag === 'ER') {
      open = false;
    } else if (!open) {
      records++;
      open = true;
    }
  }
  return records;
}
