import { describe, expect, it } from 'vitest';
import {
  isNounPhrase,
  lowerTitles,
  NounPhraseJudge,
  tagContentWords,
  WordClass,
} from '../../../src/pipeline/label/noun-phrases.ts';
import { ContentWordReader } from '../../../src/pipeline/label/terms.ts';

/** Each content word of `text` as "key/class", with "+" where it joins the word before. */
function tagged(text: string): string[] {
  const reader = new ContentWordReader();
  const reading = tagContentWords(reader, text)!;
  const names = ['other', 'modifier', 'noun', 'gerund'];
  return reading.words.map(
    (word, i) =>
      `${reading.joinsPrevious[i] ? '+' : ''}${reader.keys[word]}/${names[reading.classes[i]!]}`,
  );
}

describe('tagContentWords', () => {
  it('reads nouns, their modifiers and verbs in context, acronyms as nouns', () => {
    const words = tagged(
      'Large language models (LLMs) tend to hallucinate. We use retrieval-augmented generation (RAG) with GNNs.',
    );
    expect(words).toContain('+model/noun');
    expect(words).toContain('llm/noun');
    expect(words).toContain('tend/other');
    expect(words).toContain('hallucinate/other');
    expect(words).toContain('retrieval-augmented/modifier');
    expect(words).toContain('+generation/noun');
    expect(words).toContain('rag/noun');
    expect(words).toContain('gnn/noun');
  });

  it('reads a gerund after a noun as the head of its phrase, and inside a hyphenated word as a noun', () => {
    const words = tagged('We study reinforcement learning and flow matching after fine-tuning.');
    expect(words).toContain('+learning/gerund');
    expect(words).toContain('+matching/gerund');
    expect(words).toContain('fine-tuning/noun');
  });

  it('reads a hyphenated participle as a modifier', () => {
    expect(tagged('Physics-informed networks detect human-written text.')).toEqual(
      expect.arrayContaining(['physics-informed/modifier', '+human-written/modifier']),
    );
  });

  it('drops LaTeX, so a formula never joins the words around it', () => {
    const words = tagged(
      'Sparse attention costs $\\mathcal{O}(n^2)$ memory and \\textbf{time} budgets.',
    );
    expect(words.some((word) => word.includes('mathcal') || word.includes('textbf'))).toBe(false);
    expect(words).toContain('memory/noun');
    expect(words.find((word) => word.endsWith('memory/noun'))).not.toMatch(/^\+/u);
  });

  it('does not take the capitals of a Title Case title for names', () => {
    expect(lowerTitles('Scalable Editing for Gaussian Splatting with LLMs. Text.')).toBe(
      'scalable editing for gaussian splatting with LLMs. Text.',
    );
    expect(lowerTitles('We use BERT in Paris.')).toBe('We use BERT in Paris.');
  });
});

describe('isNounPhrase', () => {
  it('takes nouns and modifiers that end on a noun', () => {
    const { Noun, Modifier, Other, Gerund } = WordClass;
    expect(isNounPhrase([Noun])).toBe(true);
    expect(isNounPhrase([Noun, Gerund])).toBe(true);
    expect(isNounPhrase([Gerund])).toBe(false);
    expect(isNounPhrase([Gerund, Noun])).toBe(false);
    expect(isNounPhrase([Modifier, Noun, Noun])).toBe(true);
    expect(isNounPhrase([Modifier])).toBe(false);
    expect(isNounPhrase([Noun, Modifier])).toBe(false);
    expect(isNounPhrase([Other, Noun])).toBe(false);
    expect(isNounPhrase([])).toBe(false);
  });
});

/** A judge of `terms` (numbered by `ids`) over `texts`, and every paper as the cluster that asks. */
function judgeOver(
  texts: string[],
  documents: Int32Array[],
  terms: string[],
  ids: Map<string, number>,
): { judge: NounPhraseJudge; papers: Int32Array } {
  const judge = new NounPhraseJudge(
    texts,
    documents,
    (key) => ids.get(key),
    (term) => terms[term]!,
    terms.length,
  );
  return { judge, papers: Int32Array.from(texts.keys()) };
}

describe('NounPhraseJudge', () => {
  it('judges terms by the majority reading of their uses, tagging only the papers it needs', () => {
    const texts = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? 'Models tend to forget; reinforcement learning helps agents.'
        : 'Agents tend to explore, and reinforcement learning guides them.',
    );
    const terms = ['tend', 'reinforcement learning', 'agent', 'reinforcement'];
    const ids = new Map(terms.map((term, id) => [term, id]));
    const reader = new ContentWordReader();
    const documents = texts.map((text) => {
      const found = new Set<number>();
      const keys: string[] = [];
      reader.read(text, (word) => keys.push(reader.keys[word]!));
      keys.forEach((key, i) => {
        for (const candidate of [key, `${keys[i - 1]} ${key}`]) {
          const id = ids.get(candidate);
          if (id !== undefined) found.add(id);
        }
      });
      return Int32Array.from(found);
    });
    const { judge, papers } = judgeOver(texts, documents, terms, ids);
    expect(judge.reads(ids.get('tend')!, papers)).toBe(false);
    expect(judge.reads(ids.get('reinforcement learning')!, papers)).toBe(true);
    expect(judge.reads(ids.get('agent')!, papers)).toBe(true);
    expect(judge.sentencesTagged).toBeLessThan(texts.length);
  });

  it('judges a one-word term by its uses alone, not as the end of a longer phrase', () => {
    const texts = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? 'The arm keeps grasping the cup while robotic grasping improves.'
        : 'We study robotic grasping and dexterous grasping of tools.',
    );
    const terms = ['grasping', 'robotic grasping'];
    const ids = new Map(terms.map((term, id) => [term, id]));
    const documents = texts.map(() => Int32Array.from([0, 1]));
    const { judge, papers } = judgeOver(texts, documents, terms, ids);
    expect(judge.reads(ids.get('robotic grasping')!, papers)).toBe(true);
    expect(judge.reads(ids.get('grasping')!, papers)).toBe(false);
  });
});
