/**
 * Unicode-aware words for labelling: lower-cased runs of letters and digits (hyphenated compounds kept
 * whole, as in "self-supervised"), plurals folded onto one key, and marks for where two adjacent content
 * words form a phrase (no punctuation or stop word between them).
 */
import { forEachWord, SpellingTable } from '../words.ts';
import { BOILERPLATE_PHRASES, STOP_WORDS } from './stop-words.ts';

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

/** First words of boilerplate phrases, so the phrase check only builds a string where it could match. */
const BOILERPLATE_FIRST_WORDS = new Set(BOILERPLATE_PHRASES.map((phrase) => phrase.split(' ')[0]!));

/** What a spelling is, worked out once per distinct spelling. */
interface SpellingFacts {
  /** Its content word's id, or -1 for a stop word, a number or a single character. */
  word: number;
  surface: string;
  /** Whether the surface differs from the word's key ("networks" for "network"). */
  variant: boolean;
}

/**
 * Reads texts into content words, numbering the distinct words (by key) as it goes: the corpus-wide
 * pass of the labels, which meets the same few hundred thousand spellings millions of times.
 */
export class ContentWordReader {
  private readonly spellingTable = new SpellingTable();
  private readonly facts: SpellingFacts[] = [];
  private readonly wordIds = new Map<string, number>();
  /** Each word's key, by word id. */
  readonly keys: string[] = [];
  /** Occurrences of each spelling read so far, by spelling id. */
  private occurrences = new Int32Array(1024);

  /**
   * Calls `visit(word, variant, joinsPrevious)` for each content word of `text`, in order: its word
   * id, whether it is written unlike its key, and whether it forms a phrase with the one before.
   */
  read(
    text: string,
    visit: (word: number, variant: boolean, joinsPrevious: boolean) => void,
  ): void {
    const normalised = text.normalize('NFKC').toLowerCase();
    let previous: SpellingFacts | null = null;
    let previousEnd = 0;
    forEachWord(normalised, true, (start, end, hash) => {
      const spelling = this.spellingTable.idOf(normalised, start, end, hash);
      const facts = this.factsOf(spelling);
      const broken = breaksPhrase(normalised, previousEnd, start);
      previousEnd = end;
      if (facts.word < 0) {
        previous = null;
        return;
      }
      this.occurrences[spelling]!++;
      const joinsPrevious =
        previous !== null &&
        !broken &&
        previous.word !== facts.word &&
        !(
          BOILERPLATE_FIRST_WORDS.has(previous.surface) &&
          BOILERPLATE_PHRASE_KEYS.has(`${previous.surface} ${facts.surface}`)
        );
      previous = facts;
      visit(facts.word, facts.variant, joinsPrevious);
    });
  }

  /** How often each word was written in each form other than its key, over the texts read. */
  variantForms(): Map<number, Map<string, number>> {
    const forms = new Map<number, Map<string, number>>();
    this.facts.forEach(({ word, surface, variant }, spelling) => {
      const count = this.occurrences[spelling]!;
      if (!variant || count === 0) return;
      let wordForms = forms.get(word);
      if (!wordForms) forms.set(word, (wordForms = new Map()));
      wordForms.set(surface, (wordForms.get(surface) ?? 0) + count);
    });
    return forms;
  }

  private factsOf(spelling: number): SpellingFacts {
    const known = this.facts[spelling];
    if (known) return known;
    const written = this.spellingTable.spelling(spelling);
    const surface = written.includes('’') ? written.replace(/’/gu, "'") : written;
    const key = termKey(surface);
    let word = -1;
    if (
      surface.length >= 2 &&
      HAS_LETTER.test(surface) &&
      !STOP_WORDS.has(surface) &&
      !STOP_WORDS.has(key)
    ) {
      word = this.wordIds.get(key) ?? this.keys.length;
      if (word === this.keys.length) {
        this.wordIds.set(key, word);
        this.keys.push(key);
      }
    }
    const facts = { word, surface, variant: surface !== key };
    this.facts[spelling] = facts;
    if (spelling >= this.occurrences.length) {
      const occurrences = new Int32Array(this.occurrences.length * 2);
      occurrences.set(this.occurrences);
      this.occurrences = occurrences;
    }
    return facts;
  }
}
