import type { Paper } from '../types.ts';

/** Title words too common to name a paper by (Google Scholar's and Better BibTeX's convention). */
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'by',
  'for',
  'from',
  'how',
  'in',
  'into',
  'is',
  'of',
  'on',
  'or',
  'the',
  'to',
  'toward',
  'towards',
  'via',
  'what',
  'when',
  'why',
  'with',
]);

/** Letters that Unicode decomposition does not reduce to ASCII. */
const FOLDED: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower-case ASCII letters and digits only: "Müller-Łukasz" → "mullerlukasz". */
export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßøæœłđðþı]/g, (letter) => FOLDED[letter]!)
    .replace(/[^a-z0-9]/g, '');
}

/** The family name of "First Last" or "First Last, Jr.": its last word before any comma. */
function familyName(name: string): string {
  const words = name.split(',')[0]!.trim().split(/\s+/);
  return asciiFold(words[words.length - 1] ?? '');
}

/** The first word of a title that says something, LaTeX and math left out. */
function firstTitleWord(title: string): string {
  const plain = title.replace(/\$[^$]*\$/g, ' ').replace(/\\[A-Za-z]+/g, ' ');
  for (const word of plain.split(/[\s\-–—:;,.!?/()[\]{}"'“”‘’]+/)) {
    const folded = asciiFold(word);
    if (folded && !STOPWORDS.has(folded)) return folded;
  }
  return '';
}

/** "vaswani2017attention": first author's family name, year and first significant title word. */
export function baseCitationKey(paper: Paper): string {
  const author = paper.authors?.[0];
  const family = author === undefined ? '' : familyName(author);
  const year = paper.year === undefined ? '' : String(paper.year);
  const key = `${family || 'anon'}${year}${firstTitleWord(paper.title)}`;
  return /^[0-9]/.test(key) ? `p${key}` : key;
}

/** a, b, …, z, aa, ab, … */
function suffix(n: number): string {
  let out = '';
  for (let k = n; k >= 0; k = Math.floor(k / 26) - 1) {
    out = String.fromCharCode(97 + (k % 26)) + out;
  }
  return out;
}

/**
 * One citation key per paper, unique within the list and the same for the same papers whatever their
 * order: papers that share a base key get a, b, c… in the order of their ids, so reordering a reading
 * list or exporting it twice gives every paper the same key.
 */
export function citationKeys(papers: readonly Paper[]): string[] {
  const groups = new Map<string, number[]>();
  papers.forEach((paper, i) => {
    const base = baseCitationKey(paper);
    let group = groups.get(base);
    if (!group) groups.set(base, (group = []));
    group.push(i);
  });
  const keys = new Array<string>(papers.length);
  const used = new Set<string>();
  for (const [base, group] of groups) {
    if (group.length === 1) {
      keys[group[0]!] = base;
      used.add(base);
    }
  }
  const shared = [...groups].filter(([, group]) => group.length > 1);
  shared.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [base, group] of shared) {
    const ordered = [...group].sort((a, b) => {
      const idA = papers[a]!.id;
      const idB = papers[b]!.id;
      return idA < idB ? -1 : idA > idB ? 1 : a - b;
    });
    let n = 0;
    for (const index of ordered) {
      let key: string;
      do key = `${base}${suffix(n++)}`;
      while (used.has(key));
      keys[index] = key;
      used.add(key);
    }
  }
  return keys;
}
