import { AtlasError } from '../../lib/errors.ts';
import { plural, type PaperCollector, type ParseSteps } from './collect.ts';
import { cslCandidate, isCslItem } from './csl-json.ts';
import { ABSTRACT_NAMES, candidateFrom, mapFields, type PaperField } from './fields.ts';

export const SKIP_NOT_OBJECT = 'not an object';
export const SKIP_INVALID_LINE = 'invalid JSON line';

export interface JsonContext {
  fileName: string;
  collector: PaperCollector;
  warnings: string[];
}

type JsonRecord = Record<string, unknown>;

/** Keys under which JSON exports wrap their list of papers. */
const WRAPPER_KEYS = [
  'papers',
  'data',
  'items',
  'records',
  'rows',
  'results',
  'entries',
  'documents',
  'docs',
  'articles',
  'hits',
];

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

/** JSON.parse with its error turned into one that gives the line and column. */
function parseJson(text: string, fileName: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    const reason = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/,? in JSON at position \d+/, '')
      .replace(/^JSON\.parse: /, '');
    throw new AtlasError(
      'parse',
      'invalid-json',
      `${fileName} is not valid JSON at line ${line + lineOffset}, column ${column}: ${reason}.`,
      { hint: 'Fix the file at that place, or export it again.', cause: error },
    );
  }
}

/**
 * Counts objects that repeat a key. JSON.parse keeps the last value silently; this says so. Linear,
 * and run only on text that already parsed, so it needs no error handling.
 */
/** Marks an object already counted; no JSON key can start with a NUL character unescaped. */
const REPEATED_MARK = '\u0000';

/** The index of the quote that closes the string opened at `open`; indexOf keeps long values cheap. */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end > 0) {
    let backslashes = 0;
    for (let j = end - 1; text.charCodeAt(j) === 0x5c /* \ */; j--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

export function countRepeatedKeys(text: string): { objects: number; example: string | undefined } {
  const stack: (Set<string> | null)[] = [];
  let objects = 0;
  let example: string | undefined;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x22 /* " */) {
      const end = closingQuote(text, i);
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        const key = text.slice(i + 1, end);
        if (keys.has(key) && !keys.has(REPEATED_MARK)) {
          objects++;
          example ??= key;
          keys.add(REPEATED_MARK);
        }
        keys.add(key);
      }
      expectKey = false;
      i = end;
    } else if (char === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (char === 0x5b /* [ */) {
      stack.push(null);
    } else if (char === 0x7d /* } */ || char === 0x5d /* ] */) {
      stack.pop();
    } else if (char === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return { objects, example };
}

/** Finds the list of papers in a parsed JSON document. */
function findRows(document: unknown, fileName: string): unknown[] {
  if (Array.isArray(document)) return document;
  if (!isRecord(document)) {
    throw new AtlasError(
      'parse',
      'json-no-papers',
      `${fileName} holds a single JSON ${document === null ? 'null' : typeof document}, not a list of papers.`,
      { hint: 'Use a JSON array of objects with "title" and "abstract" keys.' },
    );
  }
  for (const key of Object.keys(document)) {
    if (WRAPPER_KEYS.includes(key.toLowerCase()) && Array.isArray(document[key])) {
      return document[key] as unknown[];
    }
  }
  for (const key of WRAPPER_KEYS) {
    const inner = document[key];
    if (isRecord(inner)) {
      for (const innerKey of Object.keys(inner)) {
        if (Array.isArray(inner[innerKey])) return inner[innerKey] as unknown[];
      }
    }
  }
  if (mapFields(Object.keys(document)).abstract !== undefined) return [document];
  const arrayKey = Object.keys(document).find(
    (key) => Array.isArray(document[key]) && (document[key] as unknown[]).some(isRecord),
  );
  if (arrayKey) return document[arrayKey] as unknown[];
  throw new AtlasError(
    'parse',
    'json-no-papers',
    `${fileName} is a JSON object without a list of papers. Keys found: ${Object.keys(document)
      .slice(0, 20)
      .map((key) => `"${key}"`)
      .join(', ')}.`,
    { hint: 'Use an array of papers, or wrap it as { "papers": [...] }.' },
  );
}

/** Hugging Face dataset-viewer exports wrap each row as { row: {...} }. */
function unwrapRow(row: JsonRecord): JsonRecord {
  const keys = Object.keys(row);
  if (keys.includes('row') && isRecord(row['row']) && keys.length <= 3) {
    return row['row'] as JsonRecord;
  }
  return row;
}

class RowReader {
  private readonly mappings = new Map<string, Partial<Record<PaperField, string>>>();
  readonly keysSeen = new Set<string>();
  anyAbstractKey = false;
  /** Rows read as CSL-JSON items (Zotero's and Mendeley's "CSL JSON" export). */
  cslItems = 0;

  constructor(private readonly context: JsonContext) {}

  read(value: unknown): void {
    const { collector, fileName } = this.context;
    if (typeof value === 'string') {
      // A list of bare strings is a list of abstracts.
      collector.add({ abstract: value }, fileName);
      return;
    }
    if (!isRecord(value)) {
      collector.skip(SKIP_NOT_OBJECT);
      return;
    }
    const row = unwrapRow(value);
    if (isCslItem(row)) {
      this.cslItems++;
      collector.add(cslCandidate(row), fileName);
      return;
    }
    const keys = Object.keys(row);
    const signature = keys.join('\u0000');
    let mapping = this.mappings.get(signature);
    if (!mapping) {
      const indices = mapFields(keys);
      mapping = {};
      for (const [field, index] of Object.entries(indices)) {
        mapping[field as PaperField] = keys[index]!;
      }
      if (mapping.abstract !== undefined) this.anyAbstractKey = true;
      if (this.keysSeen.size < 100) for (const key of keys) this.keysSeen.add(key);
      this.mappings.set(signature, mapping);
    }
    const fields = mapping;
    collector.add(
      candidateFrom((field) => {
        const key = fields[field];
        return key === undefined ? undefined : row[key];
      }),
      fileName,
    );
  }

  /** Raised when no row had any abstract-like key: the reader needs to know which keys exist. */
  missingAbstractError(): AtlasError {
    const keys = [...this.keysSeen].slice(0, 20).map((key) => `"${key}"`);
    return new AtlasError(
      'parse',
      'missing-abstract-column',
      `${this.context.fileName} has no abstract field. Keys found: ${keys.length > 0 ? keys.join(', ') : 'none'}.`,
      { hint: `Name the key that holds the abstracts one of: ${ABSTRACT_NAMES} (any case).` },
    );
  }
}

function warnRepeatedKeys(text: string, context: JsonContext): void {
  const repeated = countRepeatedKeys(text);
  if (repeated.objects > 0) {
    context.warnings.push(
      `${context.fileName}: ${plural(repeated.objects, 'object repeats', 'objects repeat')} a key (e.g. "${repeated.example}"); the last value was used.`,
    );
  }
}

/** A JSON document: an array of papers, or an object wrapping one ({ "papers": [...] }, { "data": [...] }). */
export function* parseJsonDocument(text: string, context: JsonContext): ParseSteps {
  const document = parseJson(text, context.fileName);
  const rows = findRows(document, context.fileName);
  const reader = new RowReader(context);
  for (const row of rows) {
    reader.read(row);
    if (context.collector.timeToYield()) yield;
  }
  if (
    rows.length > 0 &&
    !reader.anyAbstractKey &&
    reader.cslItems === 0 &&
    reader.keysSeen.size > 0
  ) {
    throw reader.missingAbstractError();
  }
  warnRepeatedKeys(text, context);
}

/** JSON Lines / NDJSON: one object per line; lines that are not valid JSON are skipped and counted. */
export function* parseJsonLines(text: string, context: JsonContext): ParseSteps {
  const reader = new RowReader(context);
  const badLines: number[] = [];
  let firstError: AtlasError | undefined;
  let goodLines = 0;
  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    if (context.collector.timeToYield()) yield;
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNumber++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (!line) continue;
    let value: unknown;
    try {
      value = parseJson(line, context.fileName, lineNumber - 1);
    } catch (error) {
      if (!(error instanceof AtlasError)) throw error;
      firstError ??= error;
      badLines.push(lineNumber);
      context.collector.skip(SKIP_INVALID_LINE);
      continue;
    }
    goodLines++;
    reader.read(value);
  }
  if (goodLines === 0 && firstError) throw firstError;
  if (
    goodLines > 0 &&
    !reader.anyAbstractKey &&
    reader.cslItems === 0 &&
    reader.keysSeen.size > 0
  ) {
    throw reader.missingAbstractError();
  }
  if (badLines.length > 0) {
    const shown = badLines.slice(0, 5).join(', ');
    context.warnings.push(
      `${context.fileName}: ${plural(badLines.length, 'line is', 'lines are')} not valid JSON (line ${shown}${badLines.length > 5 ? ', …' : ''}) and ${badLines.length === 1 ? 'was' : 'were'} skipped. First problem: ${firstError?.message ?? ''}`,
    );
  }
  warnRepeatedKeys(text, context);
}
