import { excelSeparator, headerLooksDelimited } from './delimited.ts';
import { hasListingChrome, looksLikeListing } from './listing.ts';
import { looksLikeRis } from './ris.ts';

export type CorpusFormat =
  'listing-text' | 'csv' | 'tsv' | 'json' | 'jsonl' | 'bibtex' | 'ris' | 'parquet' | 'plain-text';
/** The formats read as text (Parquet is binary, recognised by its bytes before decoding). */
export type TextFormat = Exclude<CorpusFormat, 'parquet'>;

const BIBTEX_ENTRY =
  /^\s*@(?:article|inproceedings|incollection|inbook|book|booklet|misc|techreport|report|phdthesis|mastersthesis|thesis|unpublished|online|electronic|preprint|conference|proceedings|manual|software|dataset|string|preamble|comment)\s*[{(]/im;

/** The format a file name suggests (gzip suffix ignored), or undefined. */
export function formatFromName(fileName: string): CorpusFormat | undefined {
  const name = fileName.toLowerCase().replace(/\.(gz|gzip)$/, '');
  const extension = name.slice(name.lastIndexOf('.') + 1);
  switch (extension) {
    case 'csv':
      return 'csv';
    case 'tsv':
    case 'tab':
      return 'tsv';
    case 'json':
      return 'json';
    case 'jsonl':
    case 'ndjson':
    case 'jsonlines':
      return 'jsonl';
    case 'bib':
    case 'bibtex':
      return 'bibtex';
    case 'ris':
      return 'ris';
    case 'parquet':
    case 'pq':
      return 'parquet';
    default:
      return undefined;
  }
}

function firstLineOf(text: string): string {
  const end = text.search(/\r\n|\r|\n/);
  return end < 0 ? text : text.slice(0, end);
}

function isJsonValue(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides the format of text from its content: JSON and JSONL by their first characters and lines,
 * RIS by its first `TY  - ` line, BibTeX by its entries, CSV/TSV by a header naming known columns, listing pages by their chrome or their
 * title/abstract rhythm. The file name breaks ties (a ".csv" without known columns is still CSV, so
 * the reader hears which columns were found); plain text is the last resort.
 */
export function detectFormat(text: string, fileName: string): TextFormat {
  const byName = formatFromName(fileName);
  const head = text.trimStart();
  const firstLine = firstLineOf(head).trim();
  if (head.startsWith('[')) return 'json';
  if (head.startsWith('{')) {
    const rest = head.slice(firstLine.length).trim();
    if (firstLine.endsWith('}') && rest.startsWith('{') && isJsonValue(firstLine)) return 'jsonl';
    return byName === 'jsonl' ? 'jsonl' : 'json';
  }
  if (looksLikeRis(head) || (byName === 'ris' && /^TY {1,2}-/m.test(head.slice(0, 10_000)))) {
    return 'ris';
  }
  if (byName === 'bibtex' || BIBTEX_ENTRY.test(head.slice(0, 100_000))) return 'bibtex';
  const separator = excelSeparator(head);
  if (separator) return separator.delimiter === '\t' ? 'tsv' : 'csv';
  if (headerLooksDelimited(firstLine, '\t')) return 'tsv';
  if (
    headerLooksDelimited(firstLine, ',') ||
    headerLooksDelimited(firstLine, ';') ||
    headerLooksDelimited(firstLine, '|')
  ) {
    return 'csv';
  }
  if (
    byName === 'tsv' ||
    (byName === 'csv' && firstLine.includes('\t') && !firstLine.includes(','))
  ) {
    return 'tsv';
  }
  if (byName === 'csv') return 'csv';
  // A ".json" file that is neither JSON nor a table is reported as broken JSON, with its position.
  if (byName === 'json' || byName === 'jsonl') return byName;
  if (hasListingChrome(head) || looksLikeListing(head)) return 'listing-text';
  return 'plain-text';
}
