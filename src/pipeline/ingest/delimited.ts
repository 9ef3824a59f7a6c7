import Papa from 'papaparse';
import { AtlasError } from '../../lib/errors.ts';
import { plural, type PaperCollector, type ParseSteps } from './collect.ts';
import { ABSTRACT_NAMES, candidateFrom, mapFields, type PaperField } from './fields.ts';

export const SKIP_EMPTY_ROW = 'empty row';
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

/**
 * CSV or TSV with a header row. Columns are found by name (see FIELD_ALIASES); quoted fields may hold
 * delimiters, quotes and newlines. A CSV delimiter other than the comma (semicolon, pipe) is detected.
 */
export function* parseDelimited(
  text: string,
  delimiter: ',' | '\t',
  context: DelimitedContext,
): ParseSteps {
  const { fileName, collector, warnings } = context;
  const result = Papa.parse<string[]>(text, {
    delimiter: delimiter === '\t' ? '\t' : '',
    delimitersToGuess: [',', ';', '|', '\t'],
    skipEmptyLines: 'greedy',
  });
  const rows = result.data;
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

  for (let r = 1; r < rows.length; r++) {
    if (collector.timeToYield()) yield;
    const row = rows[r]!;
    if (row.every((value) => !value.trim())) {
      collector.skip(SKIP_EMPTY_ROW);
      continue;
    }
    const get = (field: PaperField): unknown => {
      const index = columns[field];
      return index === undefined ? undefined : row[index];
    };
    collector.add(candidateFrom(get), fileName);
  }
}

/** Whether a header line names at least one known field (title, abstract, …) when split by the delimiter. */
export function headerLooksDelimited(firstLine: string, delimiter: string): boolean {
  if (firstLine.length > MAX_HEADER_CHARS || !firstLine.includes(delimiter)) return false;
  const names = firstLine.split(delimiter).map((name) => name.trim().replace(/^"|"$/g, ''));
  if (names.length < 2) return false;
  const fields = mapFields(names);
  return fields.abstract !== undefined || fields.title !== undefined;
}
