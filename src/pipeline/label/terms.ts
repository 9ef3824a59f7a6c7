/**
 * Unicode-aware words for labelling: lower-cased runs of letters and digits (hyphenated compounds kept
 * whole, as in "self-supervised"), plurals folded onto one key, and marks for where two adjacent content
 * words form a phrase (no punctuation or stop word between them).
 */
import { BOILERPLATE_PHRASES, STOP_WORDS } from './stop-words.ts';

const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const HAS_LETTER = /\p{L}/u;
/** Anything but white space between two words ends a phrase (commas, full stops, brackets, slashes…). */
function breaksPhrase(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    const space =
      code <= 32 || code === 0xa0 || (code >= 0x2000 && code <= 0x200b) || code === 0x3000;
    if (!space) return true;
  }
  return false;
}
const BOILERPLATE_PHRASE_KEYS = new Set(BOILERPLATE_PHRASES.map((phrase) => phrase));

/** Nouns whose plural fold would be wrong (`series` is not the plural of `sery`). */
const UNFOLDED = new Set(['series', 'species', 'news', 'physics', 'mathematics', 'economics']);

/** Endings of words whose final "s" is not a plural ("loss", "corpus", "analysis", "physics"). */
const KEPT_ENDINGS = ['ss', 'us', 'is', 'as', 'os', 'ics'];

/** One key for singular and plural: "networks" and "network", "studies" and "study". */
export function termKey(word: string): string {
  if (word.length <= 3 || UNFOLDED.has(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (KEPT_ENDINGS.some((ending) => word.endsWith(ending))) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** A content word of a text, in order. */
export interface Word {
  /** Folded key ("network" for "networks"). */
  key: string;
  /** As written, lower-cased. */
  surface: string;
  /** Whether it forms a two-word phrase with the content word just before it. */
  joinsPrevious: boolean;
}

/** First words of boilerplate phrases, so the phrase check only builds a string where it could match. */
const BOILERPLATE_FIRST_WORDS = new Set(BOILERPLATE_PHRASES.map((phrase) => phrase.split(' ')[0]!));

/** The content words of one text: stop words and boilerplate dropped, phrase boundaries marked. */
export function extractWords(text: string): Word[] {
  const normalised = text.normalize('NFKC').toLowerCase();
  const words: Word[] = [];
  let previous: Word | null = null;
  let previousEnd = 0;
  for (const match of normalised.matchAll(WORD)) {
    const surface = match[0].includes('’') ? match[0].replace(/’/gu, "'") : match[0];
    const start = match.index;
    const broken = breaksPhrase(normalised, previousEnd, start);
    previousEnd = start + match[0].length;
    const key = termKey(surface);
    if (
      surface.length < 2 ||
      !HAS_LETTER.test(surface) ||
      STOP_WORDS.has(surface) ||
      STOP_WORDS.has(key)
    ) {
      previous = null;
      continue;
    }
    const joinsPrevious: boolean =
      previous !== null &&
      !broken &&
      previous.key !== key &&
      !(
        BOILERPLATE_FIRST_WORDS.has(previous.surface) &&
        BOILERPLATE_PHRASE_KEYS.has(`${previous.surface} ${surface}`)
      );
    previous = { key, surface, joinsPrevious };
    words.push(previous);
  }
  return words;
}
