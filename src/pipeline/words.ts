/**
 * Word scanning and interning for the corpus-wide passes (the lexical embedder's fit, the labels).
 * A regular expression over 100,000 abstracts makes tens of millions of match objects, and a `Map`
 * keyed by each fresh word string costs about half a microsecond a lookup; scanning character codes
 * and hashing words as they are read makes both passes several times faster. The words found are the
 * same as `/[\p{L}\p{N}]+/gu` finds; with `joined`, runs linked by a hyphen or apostrophe are one word,
 * as in the labels' pattern.
 */

const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const UNKNOWN = 0;
const WORD_UNIT = 1;
const OTHER_UNIT = 2;
/** Per UTF-16 unit of the Basic Multilingual Plane, whether it is a letter or number, filled on first sight. */
const unitClass = new Uint8Array(0x10000);
/** The same for code points beyond it (written as surrogate pairs). */
const astralClass = new Map<number, boolean>();

function isWordUnit(unit: number): boolean {
  let kind = unitClass[unit]!;
  if (kind === UNKNOWN) {
    kind = LETTER_OR_NUMBER.test(String.fromCharCode(unit)) ? WORD_UNIT : OTHER_UNIT;
    unitClass[unit] = kind;
  }
  return kind === WORD_UNIT;
}

/** UTF-16 units of the letter or number at `index` (2 for a surrogate pair), or 0 if there is none. */
function wordCharLength(text: string, index: number): number {
  const unit = text.charCodeAt(index);
  if (unit < 0xd800 || unit > 0xdbff) return isWordUnit(unit) ? 1 : 0;
  const low = text.charCodeAt(index + 1);
  if (!(low >= 0xdc00 && low <= 0xdfff)) return 0;
  const codePoint = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  let known = astralClass.get(codePoint);
  if (known === undefined) {
    known = LETTER_OR_NUMBER.test(String.fromCodePoint(codePoint));
    astralClass.set(codePoint, known);
  }
  return known ? 2 : 0;
}

const HYPHEN = 0x2d;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;

/** FNV-1a over UTF-16 units. */
const HASH_START = 0x811c9dc5;
function hashUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, 0x01000193);
}

/**
 * Calls `visit(start, end, hash)` for each run of letters and numbers in `text`, in order; with
 * `joined`, runs linked by a hyphen or apostrophe ("self-supervised", "don't") are one word. `hash`
 * is the word's hash, for `SpellingTable.idOf`.
 */
export function forEachWord(
  text: string,
  joined: boolean,
  visit: (start: number, end: number, hash: number) => void,
): void {
  const length = text.length;
  let index = 0;
  while (index < length) {
    let step = wordCharLength(text, index);
    if (step === 0) {
      index++;
      continue;
    }
    const start = index;
    let hash = HASH_START;
    for (;;) {
      while (step > 0) {
        for (let unit = 0; unit < step; unit++) hash = hashUnit(hash, text.charCodeAt(index++));
        step = index < length ? wordCharLength(text, index) : 0;
      }
      if (!joined || index + 1 >= length) break;
      const joiner = text.charCodeAt(index);
      if (joiner !== HYPHEN && joiner !== APOSTROPHE && joiner !== RIGHT_QUOTE) break;
      step = wordCharLength(text, index + 1);
      if (step === 0) break;
      hash = hashUnit(hash, joiner);
      index++;
    }
    visit(start, index, hash);
  }
}

/** Distinct spellings, each with an id in order of first sight; looked up by span and hash. */
export class SpellingTable {
  /** Open addressing: per slot, the hash and the id + 1 of its spelling (0: empty), side by side. */
  private slots: Int32Array<ArrayBuffer> = new Int32Array(2 << 12);
  private readonly spellings: string[] = [];
  /**
   * Every spelling's UTF-16 units, end to end, and where each one starts: comparing a span against
   * typed arrays costs a fraction of comparing it against the strings.
   */
  private units = new Uint16Array(1 << 14);
  private unitsUsed = 0;
  private starts: Int32Array<ArrayBuffer> = new Int32Array(1 << 11);

  get size(): number {
    return this.spellings.length;
  }

  spelling(id: number): string {
    return this.spellings[id]!;
  }

  /** The id of `text.slice(start, end)`, whose `forEachWord` hash is `hash`; new spellings get the next id. */
  idOf(text: string, start: number, end: number, hash: number): number {
    let slots = this.slots;
    let mask = (slots.length >> 1) - 1;
    let slot = hash & mask;
    for (;;) {
      const stored = slots[2 * slot + 1]!;
      if (stored === 0) break;
      if (slots[2 * slot] === hash && this.spells(stored - 1, text, start, end)) return stored - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.add(text, start, end);
    // Kept at most half full, so probe runs stay short.
    if (4 * (id + 1) > slots.length) {
      slots = this.grow();
      mask = (slots.length >> 1) - 1;
      slot = hash & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    }
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = id + 1;
    return id;
  }

  /** Whether spelling `id` is `text.slice(start, end)`. */
  private spells(id: number, text: string, start: number, end: number): boolean {
    const from = this.starts[id]!;
    if (this.starts[id + 1]! - from !== end - start) return false;
    const units = this.units;
    for (let i = start; i < end; i++)
      if (units[from + i - start] !== text.charCodeAt(i)) return false;
    return true;
  }

  private add(text: string, start: number, end: number): number {
    const id = this.spellings.length;
    this.spellings.push(text.slice(start, end));
    while (this.unitsUsed + end - start > this.units.length) {
      const units = new Uint16Array(this.units.length * 2);
      units.set(this.units);
      this.units = units;
    }
    for (let i = start; i < end; i++) this.units[this.unitsUsed++] = text.charCodeAt(i);
    if (id + 2 > this.starts.length) this.starts = grown(this.starts, 0);
    this.starts[id + 1] = this.unitsUsed;
    return id;
  }

  private grow(): Int32Array<ArrayBuffer> {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >> 1) - 1;
    for (let from = 0; from < old.length; from += 2) {
      if (old[from + 1] === 0) continue;
      let slot = old[from]! & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[from]!;
      slots[2 * slot + 1] = old[from + 1]!;
    }
    return (this.slots = slots);
  }
}

/** Distinct strings numbered in order of first sight: the words behind the spellings. */
export class StringIds {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  /** The id of `value`, giving it the next one if it is new. */
  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/**
 * How many texts use each id (word, pair, term), a text counted once however often it repeats the id.
 * Texts come in order; the counts grow with the ids.
 */
export class TextCounts {
  private counts = new Int32Array(1024);
  private lastText = new Int32Array(1024).fill(-1);

  /** Counts `id` in text `text`; true where the text had not used it yet. */
  add(id: number, text: number): boolean {
    while (id >= this.counts.length) {
      this.counts = grown(this.counts, 0);
      this.lastText = grown(this.lastText, -1);
    }
    if (this.lastText[id] === text) return false;
    this.lastText[id] = text;
    this.counts[id]!++;
    return true;
  }

  /** Texts that use `id`. */
  of(id: number): number {
    return id < this.counts.length ? this.counts[id]! : 0;
  }
}

/** A copy of `array` twice as long, the new half filled with `fill`. */
export function grown(array: Int32Array, fill: number): Int32Array<ArrayBuffer> {
  const copy = new Int32Array(array.length * 2).fill(fill, array.length);
  copy.set(array);
  return copy;
}

/**
 * Ids for pairs of word ids (bigrams, phrases), in order of first sight, by open addressing: a corpus
 * has millions of distinct pairs, and typed arrays hold them in a fraction of the memory and time
 * that a Map keyed by strings or by large numbers takes.
 */
export class PairTable {
  private slots = new Int32Array(1 << 12).fill(-1);
  private firsts = new Int32Array(1 << 11);
  private seconds = new Int32Array(1 << 11);
  size = 0;

  first(pair: number): number {
    return this.firsts[pair]!;
  }

  second(pair: number): number {
    return this.seconds[pair]!;
  }

  /** The pair's id, giving it the next one if it is new. */
  idOf(first: number, second: number): number {
    const found = this.find(first, second);
    if (found >= 0) return found;
    // Kept at most half full, so probe runs stay short.
    if (2 * (this.size + 1) > this.slots.length) this.rehash();
    const pair = this.size++;
    if (pair >= this.firsts.length) {
      this.firsts = grown(this.firsts, 0);
      this.seconds = grown(this.seconds, 0);
    }
    this.firsts[pair] = first;
    this.seconds[pair] = second;
    this.slots[this.emptySlot(first, second)] = pair;
    return pair;
  }

  /** The pair's id, or -1 if it was never added. */
  find(first: number, second: number): number {
    const mask = this.slots.length - 1;
    for (let slot = pairHash(first, second) & mask; ; slot = (slot + 1) & mask) {
      const pair = this.slots[slot]!;
      if (pair < 0 || (this.firsts[pair] === first && this.seconds[pair] === second)) return pair;
    }
  }

  private emptySlot(first: number, second: number): number {
    const mask = this.slots.length - 1;
    let slot = pairHash(first, second) & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let pair = 0; pair < this.size; pair++)
      this.slots[this.emptySlot(this.firsts[pair]!, this.seconds[pair]!)] = pair;
  }
}

/** A well-mixed hash of two ids (murmur3's finaliser). */
function pairHash(first: number, second: number): number {
  let hash = Math.imul(first, 0x9e3779b1) ^ second;
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** Irregular plurals of research vocabulary. */
const IRREGULAR_PLURALS: ReadonlyMap<string, string> = new Map([
  ['matrices', 'matrix'],
  ['vertices', 'vertex'],
  ['indices', 'index'],
  ['criteria', 'criterion'],
  ['phenomena', 'phenomenon'],
  ['hypotheses', 'hypothesis'],
  ['analyses', 'analysis'],
  ['syntheses', 'synthesis'],
  ['diagnoses', 'diagnosis'],
  ['children', 'child'],
  ['mice', 'mouse'],
]);

/** Words ending in "s" that are not plurals, or whose plural is the same word. */
const UNFOLDED = new Set([
  'series',
  'species',
  'news',
  'lens',
  'bias',
  'gas',
  'atlas',
  'canvas',
  'chaos',
  'ethos',
  'always',
  'perhaps',
  'whereas',
  'towards',
  'means',
]);

/** Endings whose final "s" is not a plural ("loss", "corpus", "basis", "physics", "various"). */
const KEPT_ENDINGS = ['ss', 'us', 'is', 'ics', 'ous'];

/**
 * One key for singular and plural ("networks" and "network", "studies" and "study", "matrices" and
 * "matrix") of a lower-case word: the one rule of the lexical embedder's terms and the labels' words,
 * so a label term is a term the embedder also counts. A hyphenated compound folds on its last part.
 */
export function foldPlural(word: string): string {
  if (word.length <= 3) return word;
  const irregular = IRREGULAR_PLURALS.get(word);
  if (irregular !== undefined) return irregular;
  if (UNFOLDED.has(word) || !word.endsWith('s')) return word;
  const hyphen = word.lastIndexOf('-');
  if (hyphen > 0 && hyphen < word.length - 1) {
    return word.slice(0, hyphen + 1) + foldPlural(word.slice(hyphen + 1));
  }
  if (KEPT_ENDINGS.some((ending) => word.endsWith(ending))) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  return word.slice(0, -1);
}
