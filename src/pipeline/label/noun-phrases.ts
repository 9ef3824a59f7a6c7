/**
 * Parts of speech for label candidates: wink-nlp with its English lite model (MIT, pure JavaScript, no
 * DOM, so it runs in the map worker and in Node; about 0.9 ms an abstract on this project's machines).
 * The tagger's tokens are aligned with the label reader's words by character offset, so a hyphenated
 * compound ("physics-informed", which the tagger splits) takes the class of its last part.
 */
import winkNLP, { type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { ContentWordReader, readableText } from './terms.ts';

/** How a word reads in its sentence: a noun (or a name), a noun's modifier, or anything else. */
export const WordClass = { Other: 0, Modifier: 1, Noun: 2 } as const;
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

/** Whether a span of words, each with its class, reads as a noun phrase: modifiers or nouns ending on a noun. */
export function isNounPhrase(classes: readonly WordClass[]): boolean {
  return (
    classes.length > 0 &&
    classes[classes.length - 1] === WordClass.Noun &&
    classes.every((wordClass) => wordClass !== WordClass.Other)
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
    // The lite model tags every "-ing" form a verb. After a noun or its modifier, in the same phrase
    // ("reinforcement learning", "flow matching") or the same hyphenated word ("fine-tuning"), it is
    // the gerund that heads a noun phrase, as noun-phrase chunkers read it.
    if (wordClass === WordClass.Other && tags[t] === 'VERB' && tokens[t]!.endsWith('ing')) {
      const inWord = first >= 0 && first < t && classOf(tags[first]) !== WordClass.Other;
      const afterNominal =
        joinsPrevious && tagged.classes[tagged.classes.length - 1] !== WordClass.Other;
      if (inWord || afterNominal) wordClass = WordClass.Noun;
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
/** …tagging at most this many more papers for it. */
const PAPERS_TAGGED_PER_TERM = 8;

/**
 * Which label terms read as noun phrases, judged by the tagger's majority reading of their uses in the
 * papers of the cluster that asks. Papers are tagged lazily, only where a candidate needs more uses, and
 * each tagged paper's words and phrases all count towards every term they spell: tagging a whole
 * corpus would cost about 0.9 ms a paper, 90 s for 100,000, while labels read a few thousand.
 */
export class NounPhraseJudge {
  private readonly reader = new ContentWordReader();
  private readonly nounUses: Int32Array;
  private readonly otherUses: Int32Array;
  private readonly tagged: Uint8Array;
  /** Papers tagged so far. */
  taggedPapers = 0;

  /**
   * @param texts the corpus
   * @param documents each text's distinct term ids
   * @param termOf the term id of a key (a word's key, or two keys joined by a space), if it is a term
   * @param terms how many terms there are
   */
  constructor(
    private readonly texts: readonly string[],
    private readonly documents: readonly Int32Array[],
    private readonly termOf: (key: string) => number | undefined,
    terms: number,
  ) {
    this.nounUses = new Int32Array(terms);
    this.otherUses = new Int32Array(terms);
    this.tagged = new Uint8Array(texts.length);
  }

  /** Whether `term` reads as a noun phrase, tagging more of `papers` that use it where needed. */
  reads(term: number, papers: Int32Array): boolean {
    const uses = () => this.nounUses[term]! + this.otherUses[term]!;
    if (uses() < USES_JUDGED) {
      let newlyTagged = 0;
      for (const paper of papers) {
        if (this.tagged[paper] || !this.documents[paper]!.includes(term)) continue;
        this.tag(paper);
        if (uses() >= USES_JUDGED || ++newlyTagged >= PAPERS_TAGGED_PER_TERM) break;
      }
    }
    return this.nounUses[term]! > this.otherUses[term]!;
  }

  private tag(paper: number): void {
    this.tagged[paper] = 1;
    this.taggedPapers++;
    const reading = tagContentWords(this.reader, this.texts[paper]!);
    if (!reading) return;
    const keys = this.reader.keys;
    const { words, classes, joinsPrevious } = reading;
    for (let i = 0; i < words.length; i++) {
      const key = keys[words[i]!]!;
      this.count(this.termOf(key), classes[i] === WordClass.Noun);
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
