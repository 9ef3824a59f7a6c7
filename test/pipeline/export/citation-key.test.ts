import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toBibtex } from '../../../src/pipeline/export/bibtex.ts';
import {
  asciiFold,
  baseCitationKey,
  citationKeys,
} from '../../../src/pipeline/export/citation-key.ts';
import { toRis } from '../../../src/pipeline/export/ris.ts';
import type { Paper } from '../../../src/pipeline/types.ts';

const paper = (id: string, fields: Partial<Paper> = {}): Paper => ({
  id,
  title: 'Attention Is All You Need',
  abstract: 'We study attention.',
  authors: ['Ashish Vaswani'],
  year: 2017,
  ...fields,
});

describe('citation keys', () => {
  it('are first author, year and first significant title word, in plain ASCII', () => {
    expect(baseCitationKey(paper('a'))).toBe('vaswani2017attention');
    expect(
      baseCitationKey(
        paper('b', {
          title: 'On the $\\alpha$-Divergence of Naïve Models',
          authors: ['Zoë Müller-Łukasz, Jr.'],
          year: 2020,
        }),
      ),
    ).toBe('mullerlukasz2020divergence');
    expect(baseCitationKey(paper('c', { authors: undefined, year: undefined, title: 'The' }))).toBe(
      'anon',
    );
    expect(asciiFold('Straße Ørsted Æsir')).toBe('strasseorstedaesir');
  });

  it('are deduplicated with a, b, c… in the order of the papers’ ids, whatever the list order', () => {
    const list = [paper('z'), paper('a'), paper('m', { year: 2018 }), paper('k')];
    expect(citationKeys(list)).toEqual([
      'vaswani2017attentionc',
      'vaswani2017attentiona',
      'vaswani2018attention',
      'vaswani2017attentionb',
    ]);
  });

  it('do not collide with another paper’s plain key', () => {
    const list = [
      paper('1', { title: 'Attention' }),
      paper('2', { title: 'Attention' }),
      paper('3', { title: 'Attentiona' }),
    ];
    const keys = citationKeys(list);
    expect(new Set(keys).size).toBe(3);
    expect(keys[2]).toBe('vaswani2017attentiona');
  });

  it('are unique, valid BibTeX keys and the same for the same papers in any order (property)', () => {
    const arbitraryPaper = fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      title: fc.constantFrom('Attention', 'A Study', 'Über Graphen', '東京', 'The $x$ Model'),
      abstract: fc.constant('An abstract.'),
      authors: fc.array(fc.constantFrom('Ada Lovelace', 'Li Ng', '李 明', 'Plato'), {
        maxLength: 2,
      }),
      year: fc.option(fc.integer({ min: 1990, max: 1995 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbitraryPaper, { selector: (p) => p.id, maxLength: 40 }),
        fc.infiniteStream(fc.nat()),
        (papers, stream) => {
          const keys = citationKeys(papers);
          expect(new Set(keys).size).toBe(papers.length);
          for (const key of keys) expect(key).toMatch(/^[a-z][a-z0-9]*$/);
          const order = papers.map((_, i) => [stream.next().value, i] as const);
          order.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const shuffled = order.map(([, i]) => papers[i]!);
          const shuffledKeys = citationKeys(shuffled);
          order.forEach(([, i], k) => expect(shuffledKeys[k]).toBe(keys[i]));
        },
      ),
      { numRuns: 200, seed: 16 },
    );
  });

  it('are written as the BibTeX entry key and the RIS ID', () => {
    const entries = [{ paper: paper('a') }, { paper: paper('b') }];
    expect(toBibtex(entries)).toMatch(/^@misc\{vaswani2017attentiona,\n/);
    expect(toBibtex(entries)).toContain('@misc{vaswani2017attentionb,\n');
    expect(toRis(entries)).toContain('ID  - vaswani2017attentionb\r\n');
  });
});
