/**
 * Parts of speech for label candidates: wink-nlp with its English lite model (MIT, pure JavaScript, no
 * DOM, so it runs in the map worker and in Node; about 0.9 ms an abstract on this project's machines).
 * The tagger's tokens are aligned with the label reader's words by character offset, so a hyphenated
 * compound ("physics-informed", which the tagger splits) takes the class of its last part.
 */
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { ContentWordReader, readableText } from './terms.ts';

/**
 * How a word reads in its sentence: a noun (or a name), a noun's modifier, a gerund that heads the
 * phrase it ends ("learning" in "reinforcement learning", but no noun alone), or anything else.
 */
export const WordClass = { Other: 0, Modifier: 1, Noun: 2, Gerund: 3 } as const;
export type WordClass = (typeof WordClass)[keyof typeof WordClass];

let tagger: WinkMethods | null = null;

/** Loaded once per worker, on first use: only parts of speech are computed. */
function nlp(): WinkMethods {
  tagger ??= winkNLP(model, ['pos']);
  return tagger;
}

/** Nouns and names; words the English model cannot read (X: other scripts, foreign terms) count as names. */
function classOf(partOfSpeech: string | undefined): WordClass {
  if (partOfSpeech === 'NOUN' || partOfSpeech === 'PROPN' || partOfSpeech === 'X') {
    return WordClass.Noun;
  }
  return partOfSpeech === 'ADJ' ? WordClass.Modifier : WordClass.Other;
}

/**
 * Whether a span of words, each with its class, reads as a noun phrase: modifiers or nouns ending on a
 * noun, or on a gerund after them.
 */
export function isNounPhrase(classes: readonly WordClass[]): boolean {
  const last = classes[classes.length - 1];
  const head = last === WordClass.Noun || (last === WordClass.Gerund && classes.length > 1);
  return (
    head &&
    classes.every(
      (wordClass, i) =>
        wordClass === WordClass.Noun ||
        wordClass === WordClass.Modifier ||
        i === classes.length - 1,
    )
  );
}

const SENTENCE = /[^.!?]+[.!?]*/gu;
const LETTER_WORD = /\p{L}[\p{L}\p{N}'’-]*/gu;
const CAPITALISED = /^\p{Lu}\p{Ll}/u;
const ACRONYM = /\p{Lu}.*\p{Lu}/u;
/** Capitalised words, hyphenated parts included ("Retrieval-Augmented"), but not acronyms ("LLMs"). */
const TITLE_WORD = /^\p{Lu}\p{Ll}+(?:-\p{Lu}?\p{Ll}+)*$/u;
/** A sentence with at least this share of its words capitalised is in Title Case. */
const TITLE_CASE_SHARE = 0.6;

/**
 * The text with its Title Case sentences (paper titles) lower-cased word by word, acronyms kept, to the
 * same length: the tagger reads every capitalised word as a name ("Scalable" in "Scalable Editing for
 * …"), so titles would otherwise pass verbs and adjectives as nouns.
 */
export function lowerTitles(text: string): string {
  let lowered = text;
  for (const sentence of text.matchAll(SENTENCE)) {
    const words = [...sentence[0].matchAll(LETTER_WORD)];
    // Title Case leaves short words ("for", "of") and acronyms as they are: only the others count.
    const counted = words.filter((word) => word[0].length > 3 && !ACRONYM.test(word[0]));
    if (counted.length < 3) continue;
    const capitalised = counted.filter((word) => CAPITALISED.test(word[0])).length;
    if (capitalised < TITLE_CASE_SHARE * counted.length) continue;
    for (const word of words) {
      const lower = word[0].toLowerCase();
      if (!TITLE_WORD.test(word[0]) || lower.length !== word[0].length) continue;
      const at = sentence.index + word.index;
      lowered = lowered.slice(0, at) + lower + lowered.slice(at + lower.length);
    }
  }
  return lowered;
}

/** A text's content words as the label reader numbers them, with the class the tagger reads each as. */
export interface TaggedWords {
  /** Word ids of `reader`, in reading order. */
  words: number[];
  classes: WordClass[];
  /** Whether each word forms a phrase with the one before (as the reader marks it). */
  joinsPrevious: boolean[];
}

/**
 * Reads `text` with `reader` and tags each content word with its part of speech in context. Returns
 * null for a text whose lower-cased form changes length (a few scripts' letters do), where offsets
 * would not align; callers skip it.
 */
export function tagContentWords(reader: ContentWordReader, text: string): TaggedWords | null {
  const readable = readableText(text);
  if (readable.toLowerCase().length !== readable.length) return null;
  const forTagger = lowerTitles(readable);
  const doc = nlp().readDoc(forTagger);
  const its = nlp().its;
  const tokens = doc.tokens().out();
  const spaces = doc.tokens().out(its.precedingSpaces);
  const tags = doc.tokens().out(its.pos);
  // Token start offsets; the tagger may normalise a token, so each is looked for from where the last ended.
  const starts = new Int32Array(tokens.length);
  let cursor = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const expected = cursor + (spaces[t]?.length ?? 0);
    const found = forTagger.startsWith(token, expected)
      ? expected
      : forTagger.indexOf(token, cursor);
    starts[t] = found >= 0 ? found : expected;
    cursor = starts[t]! + token.length;
  }
  const tagged: TaggedWords = { words: [], classes: [], joinsPrevious: [] };
  let t = 0;
  reader.read(text, (word, _variant, joinsPrevious, start, end) => {
    // The last tagger token that starts inside the word gives its class; `first` is the first one.
    let first = -1;
    while (t + 1 < tokens.length && starts[t + 1]! < end) {
      t++;
      if (first < 0 && starts[t]! >= start) first = t;
    }
    let wordClass = classOf(tags[t]);
    // The lite model tags every "-ing" form a verb. Inside a hyphenated word after a noun or modifier
    // ("fine-tuning") it is a noun; after one in the same phrase ("reinforcement learning", "flow
    // matching") it is the gerund that heads the phrase, as noun-phrase chunkers read it.
    if (wordClass === WordClass.Other && tags[t] === 'VERB' && tokens[t]!.endsWith('ing')) {
      const previous = tagged.classes[tagged.classes.length - 1];
      if (first >= 0 && first < t && classOf(tags[first]) !== WordClass.Other) {
        wordClass = WordClass.Noun;
      } else if (
        joinsPrevious &&
        (previous === WordClass.Noun || previous === WordClass.Modifier)
      ) {
        wordClass = WordClass.Gerund;
      }
    } else if (wordClass === WordClass.Other && tags[t] === 'VERB' && first >= 0 && first < t) {
      // A hyphenated compound ending on a participle ("physics-informed", "human-written") is an adjective.
      wordClass = WordClass.Modifier;
    }
    tagged.words.push(word);
    tagged.classes.push(wordClass);
    tagged.joinsPrevious.push(joinsPrevious);
  });
  return tagged;
}

/** A term is judged on this many of its uses, where the papers at hand have them… */
const USES_JUDGED = 10;
/** …tagging the sentences that use it in at most this many more papers. */
const PAPERS_TAGGED_PER_TERM = 8;

/** Where the sentence around offset `at` of `text` starts (after ". ", "? ", "! " or at 0). */
function sentenceStart(text: string, at: number): number {
  for (let i = at - 1; i > 0; i--) {
    const char = text[i - 1];
    if ((char === '.' || char === '?' || char === '!') && text[i]!.trim() === '') return i;
  }
  return 0;
}

/** Where the sentence around offset `at` of `text` ends (after its ".", "?" or "!", or at the end). */
function sentenceEnd(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    const char = text[i];
    if ((char === '.' || char === '?' || char === '!') && (text[i + 1] ?? ' ').trim() === '') {
      return i + 1;
    }
  }
  return text.length;
}

/**
 * Which label terms read as noun phrases, judged by the tagger's majority reading of their uses in the
 * papers of the cluster that asks. Only the sentences that use a candidate are tagged, lazily, where
 * its uses so far are too few; every word and phrase of a tagged sentence counts towards the term it
 * spells. Tagging a whole corpus would cost about 0.9 ms a paper, 90 s for 100,000; labels read a few
 * thousand sentences.
 */
export class NounPhraseJudge {
  private readonly reader = new ContentWordReader();
  private readonly nounUses: Int32Array;
  private readonly otherUses: Int32Array;
  /** Per paper, the start of each sentence tagged. */
  private readonly taggedSentences = new Map<number, Set<number>>();
  /** Sentences tagged so far. */
  sentencesTagged = 0;

  /**
   * @param texts the corpus
   * @param documents each text's distinct term ids
   * @param termOf the term id of a key (words' keys joined by spaces), if it is a term
   * @param keyOf the key of a term
   * @param terms how many terms there are
   */
  constructor(
    private readonly texts: readonly string[],
    private readonly documents: readonly Int32Array[],
    private readonly termOf: (key: string) => number | undefined,
    private readonly keyOf: (term: number) => string,
    terms: number,
  ) {
    this.nounUses = new Int32Array(terms);
    this.otherUses = new Int32Array(terms);
  }

  /**
   * Whether `term` reads as a noun phrase, tagging its sentences in up to `tagging` more of `papers`
   * where its uses so far are too few to judge.
   */
  reads(term: number, papers: Int32Array, tagging = PAPERS_TAGGED_PER_TERM): boolean {
    const uses = () => this.nounUses[term]! + this.otherUses[term]!;
    if (uses() < USES_JUDGED && tagging > 0) {
      const key = this.keyOf(term).split(' ');
      let newlyTagged = 0;
      for (const paper of papers) {
        if (!this.documents[paper]!.includes(term) || !this.tagSentencesUsing(paper, key)) continue;
        if (uses() >= USES_JUDGED || ++newlyTagged >= tagging) break;
      }
    }
    return this.nounUses[term]! > this.otherUses[term]!;
  }

  /** Tags the sentences of `paper` that write the words `key` as one phrase; whether any was new. */
  private tagSentencesUsing(paper: number, key: readonly string[]): boolean {
    const text = readableText(this.texts[paper]!);
    const keys = this.reader.keys;
    const words: number[] = [];
    const joins: boolean[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    this.reader.read(text, (word, _variant, joinsPrevious, start, end) => {
      words.push(word);
      joins.push(joinsPrevious);
      starts.push(start);
      ends.push(end);
    });
    const tagged = this.taggedSentences.get(paper) ?? new Set<number>();
    this.taggedSentences.set(paper, tagged);
    let any = false;
    for (let i = 0; i + key.length <= words.length; i++) {
      const spelled = key.every(
        (word, k) => keys[words[i + k]!] === word && (k === 0 || joins[i + k]),
      );
      if (!spelled) continue;
      const from = sentenceStart(text, starts[i]!);
      if (tagged.has(from)) continue;
      tagged.add(from);
      this.tag(text.slice(from, sentenceEnd(text, ends[i + key.length - 1]!)));
      any = true;
    }
    return any;
  }

  private tag(sentence: string): void {
    this.sentencesTagged++;
    const reading = tagContentWords(this.reader, sentence);
    if (!reading) return;
    const keys = this.reader.keys;
    const { words, classes, joinsPrevious } = reading;
    for (let i = 0; i < words.length; i++) {
      const key = keys[words[i]!]!;
      // A word that ends a longer noun phrase ("grasping" in "robotic grasping") says little of how it
      // reads alone, so only its other uses judge it as a term of one word.
      const endsPhrase =
        i > 0 &&
        joinsPrevious[i] &&
        (classes[i - 1] === WordClass.Noun || classes[i - 1] === WordClass.Modifier);
      if (!endsPhrase) this.count(this.termOf(key), classes[i] === WordClass.Noun);
      if (i > 0 && joinsPrevious[i]) {
        this.count(
          this.termOf(`${keys[words[i - 1]!]} ${key}`),
          isNounPhrase([classes[i - 1]!, classes[i]!]),
        );
        if (i > 1 && joinsPrevious[i - 1]) {
          this.count(
            this.termOf(`${keys[words[i - 2]!]} ${keys[words[i - 1]!]} ${key}`),
            isNounPhrase([classes[i - 2]!, classes[i - 1]!, classes[i]!]),
          );
        }
      }
    }
  }

  private count(term: number | undefined, noun: boolean): void {
    if (term === undefined) return;
    if (noun) this.nounUses[term]!++;
    else this.otherUses[term]!++;
  }
}
