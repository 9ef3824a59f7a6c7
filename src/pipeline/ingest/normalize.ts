/** Invisible characters that only get in the way of search and embedding: zero-width space, word joiner, BOM, soft hyphen, Mongolian vowel separator. */
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD\u180E]/g;
/**
 * Zero-width (non-)joiners carry meaning between two non-ASCII characters (emoji sequences, Persian,
 * Indic scripts), so they are kept there and removed everywhere else.
 */
const STRAY_JOINERS = /(?<![^\s\u0021-\u007F])[\u200C\u200D]|[\u200C\u200D](?![^\s\u0021-\u007F])/g;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]/g;
const WHITESPACE = /\s+/g;
const SPACE = 0x20;
const TILDE = 0x7e;

/**
 * Whether `text` has anything `normalizeText` changes: a character outside printable ASCII, or a space
 * at either end or next to another. A loop over character codes: the regular expression with these
 * four alternatives tried at every position cost 7% of a 100,000-abstract file's parse.
 */
function needsWork(text: string): boolean {
  const last = text.length - 1;
  if (text.charCodeAt(0) === SPACE || text.charCodeAt(last) === SPACE) return true;
  let previous = 0;
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    if (code < SPACE || code > TILDE || (code === SPACE && previous === SPACE)) return true;
    previous = code;
  }
  return false;
}

/** Unicode NFC, invisible characters removed, whitespace collapsed to single spaces, trimmed. LaTeX and symbols are kept. */
export function normalizeText(text: string): string {
  // Most fields are plain ASCII with single spaces already; one scan is cheaper than five passes.
  if (!needsWork(text)) return text;
  return text
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ')
    .replace(STRAY_JOINERS, '')
    .replace(WHITESPACE, ' ')
    .trim();
}

/** Values that stand for "no abstract" in exported spreadsheets and databases. */
const PLACEHOLDERS = new Set([
  '',
  '-',
  '--',
  '?',
  'n/a',
  'na',
  'nan',
  'none',
  'null',
  'undefined',
  'no abstract',
  'no abstract available',
  // Scopus's CSV export
  '[no abstract available]',
  'abstract not available',
  'not available',
]);

const LONGEST_PLACEHOLDER = Math.max(...[...PLACEHOLDERS].map((placeholder) => placeholder.length));
const DOT_OR_SPACE = /[.\s]/;

/** Whether `text` is one of `PLACEHOLDERS`, whatever its case and trailing dots and spaces. */
export function isPlaceholder(text: string): boolean {
  let end = text.length;
  while (end > 0 && DOT_OR_SPACE.test(text[end - 1]!)) end--;
  // Lower-casing never shortens a string: a longer text (any abstract) is no placeholder, and is
  // not lower-cased for nothing.
  if (end > LONGEST_PLACEHOLDER) return false;
  return PLACEHOLDERS.has(text.slice(0, end).toLowerCase());
}

const SENTENCE_END = /^(.{12,280}?[.!?])(?=\s+["'([]?[A-Z0-9]|\s*$)/s;
const TITLE_FALLBACK_CHARS = 120;

/**
 * A stand-in title for a document that has none: its first sentence, or its first words cut at a
 * word boundary. Only the first few hundred characters are looked at, so a 5 MB line costs nothing.
 */
export function firstSentence(text: string): string {
  const head = text.slice(0, 400);
  const sentence = SENTENCE_END.exec(head);
  if (sentence?.[1]) return sentence[1];
  if (head.length <= TITLE_FALLBACK_CHARS) return head;
  const cut = head.lastIndexOf(' ', TITLE_FALLBACK_CHARS);
  return `${head.slice(0, cut > 40 ? cut : TITLE_FALLBACK_CHARS)}…`;
}

/** Whole-word count without building an array (texts may be megabytes long). */
export function countWords(text: string, stopAfter = Infinity): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length && words < stopAfter; i++) {
    const isSpace = text.charCodeAt(i) <= 32;
    if (!isSpace && !inWord) words++;
    inWord = !isSpace;
  }
  return words;
}

/**
 * CRLF, CR and LF all become LF. Parsers that split lines need this first: PapaParse, for one, takes the
 * first line's ending for the whole file, so a file whose lines end differently (a header from one
 * tool, rows appended by another) would be read as one long row.
 */
export function normalizeLineEndings(text: string): string {
  // A file with no CR is left as it is, uncopied.
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
