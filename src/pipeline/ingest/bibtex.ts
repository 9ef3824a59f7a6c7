import { plural, type PaperCollector, type ParseSteps } from './collect.ts';
import { toCategories, toUrl, toYear } from './fields.ts';
import { lineAndColumn } from './json.ts';

export const SKIP_MALFORMED_ENTRY = 'malformed entry';

export interface BibtexContext {
  fileName: string;
  collector: PaperCollector;
  warnings: string[];
}

class BibtexSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const MONTHS: [string, string][] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
].map((month) => [month.slice(0, 3), month[0]!.toUpperCase() + month.slice(1)]);

const ENTRY_START = /@\s*([A-Za-z][\w-]*)\s*([{(])/y;
const FIELD_NAME = /[A-Za-z_][\w:.+/-]*/y;
const NUMBER = /\d+/y;

/** A cursor over BibTeX source with the few reads the grammar needs. */
class Reader {
  pos: number;
  constructor(
    readonly text: string,
    start: number,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(): string | undefined {
    return this.text[this.pos];
  }

  expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) {
      throw new BibtexSyntaxError(`expected "${char}" but found ${this.describeHere()}`, this.pos);
    }
    this.pos++;
  }

  describeHere(): string {
    const char = this.text[this.pos];
    return char === undefined ? 'the end of the file' : `"${char}"`;
  }

  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text);
    if (!found) return undefined;
    this.pos += found[0].length;
    return found[0];
  }

  /** The raw text inside balanced braces; the opening brace is at `pos`. */
  braced(): string {
    const start = this.pos;
    let depth = 0;
    for (let i = this.pos; i < this.text.length; i++) {
      const char = this.text[i];
      if (char === '\\') {
        i++;
      } else if (char === '{') {
        depth++;
      } else if (char === '}' && --depth === 0) {
        this.pos = i + 1;
        return this.text.slice(start + 1, i);
      }
    }
    throw new BibtexSyntaxError('a "{" is never closed', start);
  }

  /** The raw text inside double quotes; braces protect quotes inside them. */
  quoted(): string {
    const start = this.pos;
    let depth = 0;
    for (let i = this.pos + 1; i < this.text.length; i++) {
      const char = this.text[i];
      if (char === '\\') i++;
      else if (char === '{') depth++;
      else if (char === '}') depth--;
      else if (char === '"' && depth <= 0) {
        this.pos = i + 1;
        return this.text.slice(start + 1, i);
      }
    }
    throw new BibtexSyntaxError('a quoted value is never closed', start);
  }
}

/** `{...}`, `"..."`, a number or a @string name, joined with `#`. */
function readValue(
  reader: Reader,
  strings: Map<string, string>,
  undefinedNames: Set<string>,
): string {
  let value = '';
  for (;;) {
    reader.skipSpace();
    const char = reader.peek();
    if (char === '{') value += reader.braced();
    else if (char === '"') value += reader.quoted();
    else {
      const number = reader.match(NUMBER);
      if (number !== undefined) value += number;
      else {
        const name = reader.match(FIELD_NAME);
        if (name === undefined) {
          throw new BibtexSyntaxError(
            `expected a value but found ${reader.describeHere()}`,
            reader.pos,
          );
        }
        const expansion = strings.get(name.toLowerCase());
        if (expansion === undefined) undefinedNames.add(name);
        value += expansion ?? '';
      }
    }
    reader.skipSpace();
    if (reader.peek() !== '#') return value;
    reader.pos++;
  }
}

const ACCENTS: Record<string, string> = {
  '"': '\u0308',
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
};
const SYMBOL_ACCENT = /\{?\\(["'`^~=.])\s*\{?\s*([A-Za-z])\s*\}?\}?/g;
const LETTER_ACCENT = /\{?\\([uvHck])\s*\{\s*([A-Za-z])\s*\}\}?/g;
const SPECIAL_LETTERS: Record<string, string> = {
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  aa: 'å',
  AA: 'Å',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  l: 'ł',
  L: 'Ł',
};
const SPECIAL_LETTER =
  /\{\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)\}|\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)(?![A-Za-z])\s?/g;
const ESCAPED_SYMBOL = /\\([&%_#])/g;

/** Accents and escapes outside math become characters; the rest of the LaTeX stays as written. */
function convertTextMode(text: string): string {
  return text
    .replace(SYMBOL_ACCENT, (_all, accent: string, letter: string) => letter + ACCENTS[accent]!)
    .replace(LETTER_ACCENT, (_all, accent: string, letter: string) => letter + ACCENTS[accent]!)
    .replace(
      SPECIAL_LETTER,
      (_all, braced?: string, bare?: string) => SPECIAL_LETTERS[braced ?? bare ?? '']!,
    )
    .replace(ESCAPED_SYMBOL, '$1')
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
    .replace(/(?<!\\)~/g, ' ');
}

/**
 * Removes the braces BibTeX uses to protect capitals ({BERT}) but keeps those that belong to a
 * LaTeX command (\emph{x}) or sit inside math ($\hat{x}$), so the LaTeX reads as written.
 */
function removeGroupingBraces(text: string): string {
  let out = '';
  const keep: boolean[] = [];
  let inMath = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\' && i + 1 < text.length) {
      out += char + text[i + 1];
      i++;
    } else if (char === '$') {
      inMath = !inMath;
      out += char;
    } else if (char === '{') {
      const afterCommand = inMath || /\\[A-Za-z]+\s*$|[\^_]\s*$/.test(out.slice(-40));
      keep.push(afterCommand);
      if (afterCommand) out += char;
    } else if (char === '}') {
      const kept = keep.pop();
      if (kept !== false) out += char;
    } else {
      out += char;
    }
  }
  return out;
}

const MATH_SPLIT = /(?<!\\)(\$[^$]*\$)/;

function isMath(part: string): boolean {
  return part.startsWith('$') && part.endsWith('$') && part.length > 1;
}

/** Escaped characters outside math, undone once the grouping braces are gone. */
const TEXT_SYMBOLS: Record<string, string> = {
  '\\textbackslash{}': '\\',
  '\\textasciitilde{}': '~',
  '\\textasciicircum{}': '^',
  '\\{': '{',
  '\\}': '}',
  '\\$': '$',
};
const TEXT_SYMBOL = /\\textbackslash\{\}|\\textasciitilde\{\}|\\textasciicircum\{\}|\\[{}$]/g;

/** BibTeX field text as a reader sees it. */
export function bibtexToText(raw: string): string {
  const converted = raw
    .split(MATH_SPLIT)
    .map((part) => (isMath(part) ? part : convertTextMode(part)))
    .join('');
  return removeGroupingBraces(converted)
    .split(MATH_SPLIT)
    .map((part) =>
      isMath(part) ? part : part.replace(TEXT_SYMBOL, (symbol) => TEXT_SYMBOLS[symbol]!),
    )
    .join('');
}

/** Splits on " and " outside braces; "Last, First" becomes "First Last"; "others" is dropped. */
export function splitBibtexAuthors(raw: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i];
    if (char === '{') depth++;
    else if (char === '}') depth--;
    else if (depth === 0 && /\s/.test(char!) && /^\s+and\s/i.test(raw.slice(i, i + 6))) {
      names.push(raw.slice(start, i));
      const next = /^\s+and\s+/i.exec(raw.slice(i))!;
      i += next[0].length - 1;
      start = i + 1;
    }
  }
  names.push(raw.slice(start));
  return names
    .map((name) => {
      const text = bibtexToText(name).replace(/\s+/g, ' ').trim();
      const parts = text.split(',').map((part) => part.trim());
      if (parts.length === 2) return `${parts[1]} ${parts[0]}`.trim();
      if (parts.length === 3) return `${parts[2]} ${parts[0]}, ${parts[1]}`.trim();
      return text;
    })
    .filter((name) => name && name.toLowerCase() !== 'others');
}

/**
 * BibTeX: entries with an `abstract` field become papers, keyed by their citation key. Handles
 * braces, quotes, nested braces, `#` concatenation, @string macros, @comment, @preamble and the text
 * between entries (comments). A broken entry is skipped and reported with its line.
 */
export function* parseBibtex(text: string, context: BibtexContext): ParseSteps {
  const { collector, fileName, warnings } = context;
  const strings = new Map<string, string>(MONTHS);
  const undefinedNames = new Set<string>();
  const brokenLines: string[] = [];
  let entries = 0;
  let pos = 0;
  for (;;) {
    if (collector.timeToYield()) yield;
    const at = text.indexOf('@', pos);
    if (at < 0) break;
    ENTRY_START.lastIndex = at;
    const start = ENTRY_START.exec(text);
    if (!start) {
      pos = at + 1;
      continue;
    }
    const type = start[1]!.toLowerCase();
    const close = start[2] === '{' ? '}' : ')';
    const reader = new Reader(text, at + start[0].length);
    try {
      if (type === 'comment') {
        reader.pos = at + start[0].length - 1;
        if (start[2] === '{') reader.braced();
        pos = reader.pos;
        continue;
      }
      if (type === 'preamble') {
        readValue(reader, strings, undefinedNames);
        reader.expect(close);
        pos = reader.pos;
        continue;
      }
      if (type === 'string') {
        reader.skipSpace();
        const name = reader.match(FIELD_NAME);
        if (name === undefined) throw new BibtexSyntaxError('a @string has no name', reader.pos);
        reader.expect('=');
        strings.set(name.toLowerCase(), readValue(reader, strings, undefinedNames));
        reader.expect(close);
        pos = reader.pos;
        continue;
      }
      entries++;
      reader.skipSpace();
      const keyStart = reader.pos;
      while (
        reader.pos < text.length &&
        !/[,\s}]/.test(text[reader.pos]!) &&
        text[reader.pos] !== close
      ) {
        reader.pos++;
      }
      const key = text.slice(keyStart, reader.pos);
      const fields = new Map<string, string>();
      for (;;) {
        reader.skipSpace();
        const char = reader.peek();
        if (char === close) {
          reader.pos++;
          break;
        }
        if (char === ',') {
          reader.pos++;
          continue;
        }
        const name = reader.match(FIELD_NAME);
        if (name === undefined) {
          throw new BibtexSyntaxError(
            `expected a field name but found ${reader.describeHere()}`,
            reader.pos,
          );
        }
        reader.expect('=');
        fields.set(name.toLowerCase(), readValue(reader, strings, undefinedNames));
        reader.skipSpace();
        if (reader.peek() !== ',' && reader.peek() !== close) {
          throw new BibtexSyntaxError(
            `expected "," or "${close}" after the ${name} field but found ${reader.describeHere()}`,
            reader.pos,
          );
        }
      }
      pos = reader.pos;
      addEntry(key, fields, context);
    } catch (error) {
      if (!(error instanceof BibtexSyntaxError)) throw error;
      collector.skip(SKIP_MALFORMED_ENTRY);
      const { line, column } = lineAndColumn(text, error.offset);
      brokenLines.push(`line ${line}, column ${column}: ${error.message}`);
      pos = at + 1;
    }
  }
  if (brokenLines.length > 0) {
    warnings.push(
      `${fileName}: ${plural(brokenLines.length, 'BibTeX entry is', 'BibTeX entries are')} malformed and skipped (${brokenLines.slice(0, 3).join('; ')}${brokenLines.length > 3 ? '; …' : ''}).`,
    );
  }
  if (undefinedNames.size > 0) {
    warnings.push(
      `${fileName}: undefined @string ${plural(undefinedNames.size, 'name', 'names')} read as empty: ${[...undefinedNames].slice(0, 5).join(', ')}.`,
    );
  }
  if (entries === 0 && brokenLines.length === 0) {
    warnings.push(`${fileName} has no BibTeX entries.`);
  }
}

function addEntry(key: string, fields: Map<string, string>, context: BibtexContext): void {
  const text = (name: string): string | undefined => {
    const raw = fields.get(name);
    return raw === undefined ? undefined : bibtexToText(raw);
  };
  const id = key.trim() || undefined;
  const eprint = fields.get('eprint')?.trim();
  const arxivId =
    eprint &&
    (fields.get('archiveprefix') ?? fields.get('eprinttype') ?? 'arxiv')
      .toLowerCase()
      .includes('arxiv')
      ? eprint
      : undefined;
  const author = fields.get('author') ?? fields.get('editor');
  context.collector.add(
    {
      id,
      title: text('title'),
      abstract: text('abstract'),
      authors: author === undefined ? undefined : splitBibtexAuthors(author),
      year: toYear(fields.get('year') ?? fields.get('date')),
      url: toUrl(fields.get('url'), arxivId, fields.get('doi')),
      // BibTeX separates keywords with commas (or semicolons); a keyword may hold spaces.
      categories: toCategories(text('keywords')?.split(/[,;]/)),
      note: text('annote') ?? text('note'),
    },
    context.fileName,
  );
}
