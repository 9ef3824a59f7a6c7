import { describe, expect, it } from 'vitest';
import {
  packedBuffers,
  packPapers,
  packPaperTexts,
  packTexts,
  unpackPapers,
  unpackTexts,
} from '../../src/lib/packed-papers.ts';
import { paperText, type Paper } from '../../src/pipeline/types.ts';

describe('packed papers', () => {
  it('round-trips papers with and without optional fields, in chunks', async () => {
    const papers: Paper[] = [
      { id: 'a', title: 'First', abstract: 'One.' },
      {
        id: 'b',
        title: 'Second <b> — ünïcödé 🧪 עברית',
        abstract: 'Two,\nlines.',
        authors: ['X Y'],
        year: 2024,
        categories: ['cs.CL'],
      },
      { id: 'c', title: '', abstract: 'Empty title.', url: 'https://example.org', source: 'f.csv' },
      { id: 'd', title: 'Last', abstract: '' },
    ];
    let pauses = 0;
    const back = await unpackPapers(packPapers(papers), async () => void pauses++, 3);
    expect(back).toEqual(papers);
    expect(pauses).toBe(1);
    for (const chunk of [1, 2, 4, 10]) {
      expect(await unpackPapers(packPapers(papers), undefined, chunk)).toEqual(papers);
    }
  });

  it("splices the papers' texts from their packed titles and abstracts, byte for byte as packTexts packs them", () => {
    const papers: Paper[] = [
      { id: 'a', title: 'First', abstract: 'One.' },
      { id: 'b', title: 'Ünïcödé 🧪 עברית', abstract: 'Two,\nlines with\u0000 a separator.' },
      { id: 'c', title: '', abstract: '' },
      { id: 'd', title: 'Only a title', abstract: '' },
    ];
    for (const some of [papers, papers.slice(0, 1), []]) {
      const spliced = packPaperTexts(packPapers(some));
      const packed = packTexts(some.map(paperText));
      expect(spliced.count).toBe(some.length);
      expect(Array.from(spliced.bytes)).toEqual(Array.from(packed.bytes));
    }
  });

  it('round-trips texts, dropping the separator character from them', () => {
    expect(unpackTexts(packTexts(['a', 'b\u0000c', '']))).toEqual(['a', 'bc', '']);
    expect(unpackTexts(packTexts(['']))).toEqual(['']);
    expect(unpackTexts(packTexts([]))).toEqual([]);
  });

  it('round-trips text that takes several bytes a character, growing its buffer as it goes', () => {
    const texts = [
      '',
      'Graphes de Kähler — ∂-opérateurs',
      '中文摘要'.repeat(500),
      '𝒳 😀 '.repeat(300),
      'a\u0000b',
      '',
    ];
    const packed = packTexts(texts);
    expect(unpackTexts(packed)).toEqual(texts.map((text) => text.replace('\u0000', '')));
    expect(packed.bytes.length).toBe(
      new TextEncoder().encode(texts.map((text) => text.replace('\u0000', '')).join('\u0000'))
        .length,
    );
  });

  it('names every buffer to transfer: one per packed texts, four per packed papers', () => {
    const papers = packPapers([{ id: 'a', title: 'T', abstract: 'A' }]);
    const texts = packTexts(['T. A']);
    const buffers = packedBuffers(papers, texts);
    expect(buffers).toHaveLength(5);
    expect(new Set(buffers).size).toBe(5);
    expect(buffers.every((buffer) => buffer instanceof ArrayBuffer)).toBe(true);
  });
});
