import { describe, expect, it } from 'vitest';
import { ContentWordReader } from '../../../src/pipeline/label/terms.ts';

/** Each content word as "key" (or "+key" where it forms a phrase with the word before), per text. */
function read(texts: string[]): { words: string[][]; forms: Map<string, Map<string, number>> } {
  const reader = new ContentWordReader();
  const words = texts.map((text) => {
    const found: string[] = [];
    reader.read(text, (word, _variant, joinsPrevious) =>
      found.push(`${joinsPrevious ? '+' : ''}${reader.keys[word]}`),
    );
    return found;
  });
  const forms = new Map(
    [...reader.variantForms()].map(([word, counts]) => [reader.keys[word]!, counts]),
  );
  return { words, forms };
}

describe('ContentWordReader', () => {
  it('keeps hyphenated compounds whole, reads curly apostrophes as straight ones and drops stop words', () => {
    const { words } = read(['Self-Supervised Graph Networks, don’t-care labels and the galaxies.']);
    expect(words).toEqual([
      ['self-supervised', '+graph', '+network', "don't-care", '+label', 'galaxy'],
    ]);
  });

  it('ends a phrase at punctuation, at a stop word and at a repeated word', () => {
    const { words } = read(['Graph networks, graph networks; networks networks of graphs']);
    expect(words).toEqual([
      ['graph', '+network', 'graph', '+network', 'network', 'network', 'graph'],
    ]);
  });

  it('normalises compatibility forms before reading (ﬁ ligature, full-width letters)', () => {
    const { words } = read(['ﬁne-tuning ＬＬＭＳ']);
    expect(words).toEqual([['fine-tuning', '+llm']]);
  });

  it('numbers words by key across texts and counts the forms written unlike their key', () => {
    const { words, forms } = read([
      'Networks and galaxies.',
      'A network of networks, galaxy galaxies.',
    ]);
    expect(words).toEqual([
      ['network', 'galaxy'],
      ['network', 'network', 'galaxy', 'galaxy'],
    ]);
    expect(forms.get('network')).toEqual(new Map([['networks', 2]]));
    expect(forms.get('galaxy')).toEqual(new Map([['galaxies', 2]]));
  });
});
