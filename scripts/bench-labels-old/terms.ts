/**
 * Unicode-aware words for labelling: lower-cased runs of letters and digits (hyphenated compounds kept
 * whole, as in "self-supervised"), plurals folded onto one key, and marks for where two adjacent content
 * words form a phrase (no punctuation or stop word between them).
 */
import { forEachWord, grown, SpellingTable, StringIds } from '../../src/pipeline/words.ts';
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

/** Flags of a spelling: written unlike its word's key ("networks" for "network")… */
const VARIANT = 1;
/** …and the first word of a boilerplate phrase. */
const BOILERPLATE_FIRST = 2;

/**
 * Reads texts into content words, numbering the distinct words (by key) as it goes: the corpus-wide
 * pass of the labels, which meets the same few hundred thousand spellings millions of times. What
 * each spelling is (its word, its flags) is worked out once, on first sight, into typed arrays.
 */
export class ContentWordReader {
  private readonly spellingTable = new SpellingTable();
  /**
   * Per spelling id, for the first `classified` spellings: its content word's id (-1: a stop word, a
   * number, a single character)…
   */
  private spellingWord = new Int32Array(1024);
  /** …its flags (`VARIANT`, `BOILERPLATE_FIRST`)… */
  private spellingFlags = new Uint8Array(1024);
  /** …how often it was read… */
  private occurrences = new Int32Array(1024);
  /** …and its surface: lower case, with straight apostrophes. */
  private readonly surfaces: string[] = [];
  private classified = 0;
  private readonly wordIds = new StringIds();
  /** Each word's key, by word id. */
  readonly keys = this.wordIds.values;

  /**
   * Calls `visit(word, variant, joinsPrevious)` for each content word of `text`, in order: its word
   * id, whether it is written unlike its key, and whether it forms a phrase with the one before.
   */
  read(
    text: string,
    visit: (word: number, variant: boolean, joinsPrevious: boolean) => void,
  ): void {
    const normalised = text.normalize('NFKC').toLowerCase();
    let previous = -1;
    let previousEnd = 0;
    forEachWord(normalised, true, (start, end, hash) => {
      const spelling = this.spellingTable.idOf(normalised, start, end, hash);
      if (spelling >= this.classified) this.classify(spelling);
      const word = this.spellingWord[spelling]!;
      const broken = breaksPhrase(normalised, previousEnd, start);
      previousEnd = end;
      if (word < 0) {
        previous = -1;
        return;
      }
      this.occurrences[spelling]!++;
      const joinsPrevious =
        previous >= 0 &&
        !broken &&
        this.spellingWord[previous] !== word &&
        !(
          this.spellingFlags[previous]! & BOILERPLATE_FIRST &&
          BOILERPLATE_PHRASE_KEYS.has(`${this.surfaces[previous]} ${this.surfaces[spelling]}`)
        );
      previous = spelling;
      visit(word, (this.spellingFlags[spelling]! & VARIANT) !== 0, joinsPrevious);
    });
  }

  /** How often each word was written in each form other than its key, over the texts read. */
  variantForms(): Map<number, Map<string, number>> {
    const forms = new Map<number, Map<string, number>>();
    for (let spelling = 0; spelling < this.classified; spelling++) {
      const count = this.occurrences[spelling]!;
      if (!(this.spellingFlags[spelling]! & VARIANT) || count === 0) continue;
      const word = this.spellingWord[spelling]!;
      const surface = this.surfaces[spelling]!;
      let wordForms = forms.get(word);
      if (!wordForms) forms.set(word, (wordForms = new Map()));
      wordForms.set(surface, (wordForms.get(surface) ?? 0) + count);
    }
    return forms;
  }

  /** Works out spelling `spelling`, the next one not yet classified. */
  private classify(spelling: number): void {
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
      word = this.wordIds.idOf(key);
    }
    if (spelling >= this.spellingWord.length) {
      this.spellingWord = grown(this.spellingWord, 0);
      this.occurrences = grown(this.occurrences, 0);
      const flags = new Uint8Array(this.spellingFlags.length * 2);
      flags.set(this.spellingFlags);
      this.spellingFlags = flags;
    }
    this.spellingWord[spelling] = word;
    this.spellingFlags[spelling] =
      (surface !== key ? VARIANT : 0) |
      (BOILERPLATE_FIRST_WORDS.has(surface) ? BOILERPLATE_FIRST : 0);
    this.surfaces.push(surface);
    this.classified = spelling + 1;
  }
}
