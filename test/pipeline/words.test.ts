import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldPlural,
  forEachWord,
  PairTable,
  SpellingTable,
  TextCounts,
} from '../../src/pipeline/words.ts';

const WORDS = /[\p{L}\p{N}]+/gu;
const JOINED_WORDS = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;

function scanned(text: string, joined: boolean): string[] {
  const words: string[] = [];
  forEachWord(text, joined, (start, end) => words.push(text.slice(start, end)));
  return words;
}

/** Letters, numbers, joiners, marks and surrogates, alone and in pairs, that the scan must agree on. */
const TRICKY = [
  'a',
  'Z',
  '7',
  'é',
  'ß',
  'ǅ',
  'λ',
  'Ж',
  '中',
  '٣',
  'Ⅻ',
  '²',
  '½',
  '\u0301',
  '-',
  "'",
  '’',
  ' ',
  '.',
  '\u00a0',
  '𝒳',
  '𝟘',
  '😀',
  '\ud835',
  '\udcb3',
  '_',
  '$',
  '\\',
];

describe('forEachWord', () => {
  it('finds the same words as the Unicode letter-or-number pattern, astral letters and stray surrogates included', () => {
    const text = 'Über 𝒳-graphs: self-supervised λ²-nets, 12½ don’t \ud835 x\udcb3y 😀 中文 ٣٤';
    expect(scanned(text, false)).toEqual(text.match(WORDS));
    expect(scanned(text, true)).toEqual(text.match(JOINED_WORDS));
  });

  it('agrees with the patterns on any text made of tricky characters', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TRICKY), { maxLength: 40 }), (characters) => {
        const text = characters.join('');
        expect(scanned(text, false)).toEqual(text.match(WORDS) ?? []);
        expect(scanned(text, true)).toEqual(text.match(JOINED_WORDS) ?? []);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('gives equal words equal hashes', () => {
    const hashes = new Map<string, number>();
    forEachWord('graph nets, graph-nets and graph nets', true, (start, end, hash) => {
      const word = 'graph nets, graph-nets and graph nets'.slice(start, end);
      expect(hashes.get(word) ?? hash).toBe(hash);
      hashes.set(word, hash);
    });
    expect(hashes.size).toBe(4);
  });
});

describe('SpellingTable', () => {
  it('numbers spellings in order of first sight and finds them again by span', () => {
    const table = new SpellingTable();
    const text = 'models model models modelling';
    const ids: number[] = [];
    forEachWord(text, false, (start, end, hash) => ids.push(table.idOf(text, start, end, hash)));
    expect(ids).toEqual([0, 1, 0, 2]);
    expect([0, 1, 2].map((id) => table.spelling(id))).toEqual(['models', 'model', 'modelling']);
  });

  it('tells apart spellings whose hashes collide, and keeps them all as it grows', () => {
    const table = new SpellingTable();
    const words = Array.from({ length: 3000 }, (_, index) => `w${index.toString(36)}`);
    const text = words.join(' ');
    let start = 0;
    const ids = words.map((word) => {
      // Every spelling gets one of four hashes: each lookup must compare the spelling itself.
      const id = table.idOf(text, start, start + word.length, word.length % 4);
      start += word.length + 1;
      return id;
    });
    expect(ids).toEqual(words.map((_, index) => index));
    start = 0;
    for (const [index, word] of words.entries()) {
      expect(table.idOf(text, start, start + word.length, word.length % 4)).toBe(index);
      start += word.length + 1;
    }
    expect(table.size).toBe(words.length);
  });
});

describe('PairTable', () => {
  it('numbers pairs in order of first sight, ordered, and finds only pairs it was given', () => {
    const pairs = new PairTable();
    expect(pairs.idOf(3, 4)).toBe(0);
    expect(pairs.idOf(4, 3)).toBe(1);
    expect(pairs.idOf(3, 4)).toBe(0);
    expect(pairs.find(4, 3)).toBe(1);
    expect(pairs.find(3, 3)).toBe(-1);
    expect([pairs.first(1), pairs.second(1)]).toEqual([4, 3]);
  });

  it('keeps every pair as it grows to a hundred thousand', () => {
    const pairs = new PairTable();
    const misplaced = Array.from({ length: 100_000 }, (_, i) => i).filter(
      (i) => pairs.idOf(i % 317, Math.floor(i / 317)) !== i,
    );
    expect(misplaced).toEqual([]);
    expect(pairs.size).toBe(100_000);
    for (let i = 0; i < 100_000; i += 997) expect(pairs.find(i % 317, Math.floor(i / 317))).toBe(i);
  });
});

describe('TextCounts', () => {
  it('counts each text once per id, says when a text first uses an id, and grows with the ids', () => {
    const counts = new TextCounts();
    expect([counts.add(5, 0), counts.add(5, 0), counts.add(5, 1), counts.add(5000, 1)]).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect([counts.of(5), counts.of(5000), counts.of(6), counts.of(10 ** 6)]).toEqual([2, 1, 0, 0]);
  });
});

describe('foldPlural', () => {
  it('folds plurals onto the singular and leaves words that only end in "s" alone', () => {
    const folded = (words: string[]) => words.map(foldPlural);
    expect(folded(['networks', 'galaxies', 'matrices', 'models', 'videos', 'ideas'])).toEqual([
      'network',
      'galaxy',
      'matrix',
      'model',
      'video',
      'idea',
    ]);
    expect(folded(['bias', 'physics', 'loss', 'corpus', 'analysis', 'series', 'various'])).toEqual([
      'bias',
      'physics',
      'loss',
      'corpus',
      'analysis',
      'series',
      'various',
    ]);
    expect(foldPlural('vision-language-models')).toBe('vision-language-model');
    expect(foldPlural('gas')).toBe('gas');
  });
});
