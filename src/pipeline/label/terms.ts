/**
 * Unicode-aware terms for labelling: lower-cased words of letters and digits (hyphenated compounds kept
 * whole, as in "self-supervised"), plurals folded onto one key, and two-word phrases of adjacent content
 * words that no punctuation or stop word separates.
 */
import { BOILERPLATE_PHRASES, STOP_WORDS } from './stop-words.ts';

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const HAS_LETTER = /\p{L}/u;
/** Anything but spaces between two words ends a phrase (commas, full stops, brackets, slashes…). */
const PHRASE_BREAK = /[^\s]/u;
const BOILERPLATE_PHRASE_KEYS = new Set(BOILERPLATE_PHRASES.map((phrase) => phrase));

/** Nouns whose plural fold would be wrong (`series` is not the plural of `sery`). */
const UNFOLDED = new Set(['series', 'species', 'news', 'physics', 'mathematics', 'economics']);

/** One key for singular and plural: "networks" and "network", "studies" and "study". */
export function termKey(word: string): string {
  if (word.length <= 3 || UNFOLDED.has(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(?:ss|us|is|as|os|ics)$/u.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

export interface TermOccurrence {
  /** Folded key, one word or two joined by a space. */
  key: string;
  /** The words as written (lower-cased), for display. */
  surface: string;
}

/** The unigram and bigram terms of one text, in order; a term may repeat. */
export function extractTerms(text: string): TermOccurrence[] {
  const normalised = text.normalize('NFKC').toLowerCase();
  const terms: TermOccurrence[] = [];
  let previous: TermOccurrence | null = null;
  let previousEnd = 0;
  for (const match of normalised.matchAll(WORD)) {
    const word = match[0].replace(/’/gu, "'");
    const start = match.index;
    const broken = PHRASE_BREAK.test(normalised.slice(previousEnd, start));
    previousEnd = start + match[0].length;
    const content =
      word.length >= 2 &&
      HAS_LETTER.test(word) &&
      !STOP_WORDS.has(word) &&
      !STOP_WORDS.has(termKey(word));
    if (!content) {
      previous = null;
      continue;
    }
    const current = { key: termKey(word), surface: word };
    terms.push(current);
    if (previous && !broken && previous.key !== current.key) {
      const surface = `${previous.surface} ${current.surface}`;
      if (!BOILERPLATE_PHRASE_KEYS.has(surface)) {
        terms.push({ key: `${previous.key} ${current.key}`, surface });
      }
    }
    previous = current;
  }
  return terms;
}
