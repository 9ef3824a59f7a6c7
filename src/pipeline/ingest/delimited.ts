import Papa from 'papaparse';
import { AtlasError } from '../../lib/errors.ts';
import { describeRows, plural, type PaperCollector, type ParseSteps } from './collect.ts';
import { ABSTRACT_NAMES, candidateFrom, mapFields, type PaperField } from './fields.ts';
import { normalizeLineEndings } from './normalize.ts';

export const SKIP_EMPTY_ROW = 'empty row';
/** A row with more fields than the header whose abstract is not the last column: its columns cannot be lined up. */
export const SKIP_EXTRA_FIELDS = 'more fields than the header';
/** A row that ends before the abstract column. */
export const SKIP_SHORT_ROW = 'row ends before the abstract column';
/** Excel's first line naming the delimiter, `sep=;`, which it hides when it opens the file. */
const EXCEL_SEPARATOR_LINE = /^"?sep=([^\r\n"])"?[ \t]*(?:\r\n|\r|\n|$)/i;
/** Rows PapaParse looks at to guess the delimiter. */
const GUESS_ROWS = 50;
/** A header row is a list of column names; a longer first line is data, not a header. */
const MAX_HEADER_CHARS = 4096;

export interface DelimitedContext {
  fileName: string;
  collector: PaperCollector;
  warnings: string[];
}

/** Lists column names for a message, shortened when there are many. */
function listColumns(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((name) => `"${name}"`);
  return names.length > 20 ? `${shown.join(', ')} and ${names.length - 20} more` : shown.join(', ');
}

/** The delimiter an Excel `sep=` first line names, and the text after that line; undefined without one. */
export function excelSeparator(text: string): { delimiter: string; rest: string } | undefined {
  const match = EXCEL_SEPARATOR_LINE.exec(text);
  return match ? { delimiter: match[1]!, rest: text.slice(match[0].length) } : undefined;
}

/**
 * CSV or TSV with a header row. Columns are found by name (see FIELD_ALIASES); quoted fields may hold
 * delimiters, quotes and newlines. A CSV delimiter other than the comma (semicolon, pipe) is detected,
 * and Excel's `sep=` line is obeyed. Rows are numbered as in a spreadsheet (the header is row 1). A row
 * with fewer fields than the header is kept when it reaches the abstract; a row with more is kept when
 * the abstract is the last column (an unquoted delimiter in the abstract: the extra fields are joined
 * back onto it); empty fields past the header's width (a trailing delimiter) are ignored. Every row
 * changed or skipped is counted in a warning with its row numbers.
 */
export function* parseDelimited(
  text: string,
  delimiter: ',' | '\t',
  context: DelimitedContext,
): ParseSteps {
  const { fileName, collector, warnings } = context;
  const separator = excelSeparator(text);
  const body = normalizeLineEndings(separator?.rest ?? text);
  // PapaParse guesses the delimiter from the first rows, blank lines aside.
  const usedDelimiter =
    separator?.delimiter ??
    (delimiter === '\t'
      ? '\t'
      : Papa.parse<string[]>(body, {
          delimitersToGuess: [',', ';', '|', '\t'],
          newline: '\n',
          preview: GUESS_ROWS,
          skipEmptyLines: 'greedy',
        }).meta.delimiter);
  const result = Papa.parse<string[]>(body, {
    delimiter: usedDelimiter,
    newline: '\n',
    // Blank lines are dropped below and rows of empty fields counted; 'greedy' would drop both unseen.
    skipEmptyLines: false,
  });
  const rows = result.data.filter((row) => row.length > 1 || row[0]?.trim());
  const header = rows[0];
  if (!header || header.every((name) => !name.trim())) {
    throw new AtlasError('parse', 'no-header', `${fileName} has no header row.`, {
      hint: 'The first row must name the columns, e.g. "title,abstract".',
    });
  }
  const names = header.map((name) => name.trim());
  const columns = mapFields(names);
  if (columns.abstract === undefined) {
    throw new AtlasError(
      'parse',
      'missing-abstract-column',
      `${fileName} has no abstract column. Columns found: ${listColumns(names)}.`,
      {
        hint: `Name the column that holds the abstracts one of: ${ABSTRACT_NAMES} (any case).`,
      },
    );
  }
  if (columns.title === undefined) {
    warnings.push(
      `${fileName} has no title column; the first sentence of each abstract stands in as its title.`,
    );
  }

  const unterminated = result.errors.find((error) => error.code === 'MissingQuotes');
  if (unterminated) {
    const row = (unterminated.row ?? 0) + 1;
    warnings.push(
      `${fileName}: a quoted field opened in row ${row} is never closed, so everything after it was read as one field. Check the quotes in that row.`,
    );
  }
  const malformedQuotes = result.errors.filter((error) => error.code === 'InvalidQuotes').length;
  if (malformedQuotes > 0) {
    warnings.push(
      `${fileName}: ${plural(malformedQuotes, 'field has', 'fields have')} a stray quote character; the text was kept as read.`,
    );
  }

  const width = header.length;
  const abstractColumn = columns.abstract;
  const merged: number[] = [];
  const short: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    if (collector.timeToYield()) yield;
    const rowNumber = r + 1;
    const place = { source: fileName, row: rowNumber };
    let row = rows[r]!;
    if (row.every((value) => !value.trim())) {
      collector.skip(SKIP_EMPTY_ROW, 1, place);
      continue;
    }
    let end = row.length;
    while (end > width && !row[end - 1]!.trim()) end--;
    if (end > width) {
      if (abstractColumn !== width - 1) {
        collector.skip(SKIP_EXTRA_FIELDS, 1, place);
        continue;
      }
      row = [...row.slice(0, abstractColumn), row.slice(abstractColumn, end).join(usedDelimiter)];
      merged.push(rowNumber);
    } else if (end < width) {
      if (end <= abstractColumn) {
        collector.skip(SKIP_SHORT_ROW, 1, place);
        continue;
      }
      short.push(rowNumber);
    }
    const fields = row;
    const get = (field: PaperField): unknown => {
      const index = columns[field];
      return index === undefined ? undefined : fields[index];
    };
    collector.add(candidateFrom(get), fileName, rowNumber);
  }
  const shown = (rowNumbers: number[]) =>
    `${rowNumbers.length > ROWS_NAMED ? 'first: ' : ''}${describeRows(rowNumbers.slice(0, ROWS_NAMED).map((row) => ({ source: fileName, row })))}`;
  const delimiterName = usedDelimiter === '\t' ? 'a tab' : `"${usedDelimiter}"`;
  if (merged.length > 0) {
    warnings.push(
      `${fileName}: ${plural(merged.length, 'row has', 'rows have')} more fields than the header (${shown(merged)}); the abstract is the last column, so the extra fields were joined back onto it. Quote fields that contain ${delimiterName}.`,
    );
  }
  if (short.length > 0) {
    warnings.push(
      `${fileName}: ${plural(short.length, 'row has', 'rows have')} fewer fields than the header (${shown(short)}); ${short.length === 1 ? 'it was' : 'they were'} kept, with the missing fields empty.`,
    );
  }
}

/** Rows named in a warning about ragged rows; the rest are counted. */
const ROWS_NAMED = 5;

/** Whether a header line names at least one known field (title, abstract, …) when split by the delimiter. */
export function headerLooksDelimited(firstLine: string, delimiter: string): boolean {
  if (firstLine.length > MAX_HEADER_CHARS || !firstLine.includes(delimiter)) return false;
  const names = firstLine.split(delimiter).map((name) => name.trim().replace(/^"|"$/g, ''));
  if (names.length < 2) return false;
  const fields = mapFields(names);
  return fields.abstract !== undefined || fields.title !== undefined;
}
