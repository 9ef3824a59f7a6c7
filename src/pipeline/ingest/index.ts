import { AtlasError, isCancelled, throwIfCancelled, toAtlasError } from '../../lib/errors.ts';
import { nextTask } from '../../lib/scheduling.ts';
import type { Paper, ProgressCallback } from '../types.ts';
import { fileReporter, type FileReporter } from './progress.ts';
import { parseBibtex } from './bibtex.ts';
import { PaperCollector, plural, type ParseSteps } from './collect.ts';
import { decodeBytes, formatBytes } from './decode.ts';
import { parseDelimited } from './delimited.ts';
import { detectFormat, formatFromName, type CorpusFormat, type TextFormat } from './detect.ts';
import { parseJsonDocument, parseJsonLines } from './json.ts';
import { parseListing } from './listing.ts';
import { isParquet, parseParquet } from './parquet.ts';
import { parsePlainText } from './plain.ts';
import { parseRis } from './ris.ts';

export type { CorpusFormat } from './detect.ts';
export { decodeBytes, decodeText, type DecodedText, type TextEncoding } from './decode.ts';
export { detectFormat } from './detect.ts';
export { normalizeText } from './normalize.ts';
import { normalizeLineEndings } from './normalize.ts';

export interface CorpusFile {
  name: string;
  bytes: Uint8Array;
}

/** Rows dropped, by reason, e.g. { 'missing abstract': 3, duplicate: 2 }. */
export interface SkippedRows {
  count: number;
  reasons: Record<string, number>;
}

/** What one file contributed, for a per-file summary. */
export interface FileSummary {
  name: string;
  format: CorpusFormat;
  papers: number;
  skipped: SkippedRows;
}

export interface ParseResult {
  papers: Paper[];
  /** The format of the file (of the first file that gave papers, for several). */
  format: CorpusFormat;
  skipped: SkippedRows;
  warnings: string[];
  files: FileSummary[];
}

export interface ParseOptions {
  /** Largest file (and largest unpacked gzip content) read, in bytes; default MAX_CORPUS_BYTES. */
  maxBytes?: number;
  signal?: AbortSignal;
  /**
   * Called as each file begins and then at least every second of parsing while the parser is not
   * stuck: Parquet files count their rows; text formats report no count (`total` 0).
   */
  onProgress?: ProgressCallback;
}

/** The largest corpus file read: the app refuses larger files before reading them. */
export const MAX_CORPUS_BYTES = 200 * 1024 * 1024;

const FORMAT_NAMES: Record<CorpusFormat, string> = {
  'listing-text': 'listing-page text',
  csv: 'CSV',
  tsv: 'TSV',
  json: 'JSON',
  jsonl: 'JSON Lines',
  bibtex: 'BibTeX',
  ris: 'RIS',
  parquet: 'Parquet',
  'plain-text': 'plain text',
};

function checkSize(file: CorpusFile, maxBytes: number): void {
  if (file.bytes.byteLength > maxBytes) {
    throw new AtlasError(
      'parse',
      'too-large',
      `${file.name} is ${formatBytes(file.bytes.byteLength)}; the limit is ${formatBytes(maxBytes)}.`,
      { hint: 'Split the corpus into smaller files, compress it with gzip, or keep fewer papers.' },
    );
  }
}

function difference(
  after: Record<string, number>,
  before: Record<string, number>,
): Record<string, number> {
  const reasons: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after)) {
    const added = count - (before[reason] ?? 0);
    if (added > 0) reasons[reason] = added;
  }
  return reasons;
}

function skippedFrom(reasons: Record<string, number>): SkippedRows {
  let count = 0;
  for (const value of Object.values(reasons)) count += value;
  return { count, reasons };
}

function parserFor(
  format: TextFormat,
  text: string,
  context: { fileName: string; collector: PaperCollector; warnings: string[] },
): ParseSteps {
  switch (format) {
    case 'csv':
    case 'tsv':
      return parseDelimited(text, format === 'tsv' ? '\t' : ',', context);
    case 'json':
      return parseJsonDocument(text, context);
    case 'jsonl':
      return parseJsonLines(text, context);
    case 'bibtex':
      return parseBibtex(text, context);
    case 'ris':
      return parseRis(text, context);
    case 'listing-text':
      return parseListing(text, context);
    case 'plain-text':
      return parsePlainText(text, context);
  }
}

/** Says so when a file's name suggests another format than its content. */
function warnIfNamedOtherwise(fileName: string, format: CorpusFormat, warnings: string[]): void {
  const named = formatFromName(fileName);
  if (named && named !== format) {
    warnings.push(
      `${fileName} is named like ${FORMAT_NAMES[named]} but its content reads as ${FORMAT_NAMES[format]}; it was read as ${FORMAT_NAMES[format]}.`,
    );
  }
}

/**
 * Runs a parser to the end, yielding to the event loop whenever it pauses (and reporting that it is
 * still going), stopping on abort.
 */
async function runSteps(
  steps: ParseSteps,
  signal: AbortSignal | undefined,
  progress: FileReporter,
): Promise<void> {
  for (let step = steps.next(); !step.done; step = steps.next()) {
    progress.beat();
    await nextTask(signal);
  }
}

/** Reads one file into the shared collector; throws an AtlasError when it yields no paper. */
async function readFile(
  file: CorpusFile,
  collector: PaperCollector,
  warnings: string[],
  options: ParseOptions,
): Promise<FileSummary> {
  const maxBytes = options.maxBytes ?? MAX_CORPUS_BYTES;
  checkSize(file, maxBytes);
  const progress = fileReporter(file.name, options.onProgress);
  progress.report();
  if (file.bytes.byteLength === 0) {
    throw new AtlasError('parse', 'empty-file', `${file.name} is empty (0 bytes).`, {
      hint: 'Choose a file that holds titles and abstracts.',
    });
  }
  // Parquet is binary: recognised by its magic bytes before any text decoding.
  if (isParquet(file.bytes)) {
    warnIfNamedOtherwise(file.name, 'parquet', warnings);
    const context = { fileName: file.name, collector, warnings };
    return collectFile(file.name, 'parquet', collector, () =>
      parseParquet(file.bytes, context, { signal: options.signal, progress }),
    );
  }
  const decoded = await decodeBytes(file.bytes, {
    maxBytes,
    signal: options.signal,
    fileName: file.name,
    onChunk: progress.beat,
  });
  throwIfCancelled(options.signal);
  const text = normalizeLineEndings(decoded.text);
  if (!text.trim()) {
    throw new AtlasError('parse', 'empty-file', `${file.name} holds only whitespace.`, {
      hint: 'Choose a file that holds titles and abstracts.',
    });
  }
  if (decoded.replacedSequences) {
    warnings.push(
      `${file.name} is UTF-8 with ${plural(decoded.replacedSequences, 'damaged character', 'damaged characters')}, shown as �.`,
    );
  }
  if (decoded.encoding === 'windows-1252') {
    warnings.push(
      `${file.name} is not valid UTF-8; it was read as Windows-1252 (Latin-1). Save it as UTF-8 if accents look wrong.`,
    );
  }

  const format = detectFormat(text, file.name);
  warnIfNamedOtherwise(file.name, format, warnings);

  return collectFile(file.name, format, collector, () =>
    runSteps(
      parserFor(format, text, { fileName: file.name, collector, warnings }),
      options.signal,
      progress,
    ),
  );
}

/** Runs one file's parser; throws an AtlasError when it yields no paper, and undoes its skip counts. */
async function collectFile(
  fileName: string,
  format: CorpusFormat,
  collector: PaperCollector,
  parse: () => Promise<void>,
): Promise<FileSummary> {
  const papersBefore = collector.papers.length;
  const reasonsBefore = { ...collector.reasons };
  try {
    await parse();
  } catch (error) {
    collector.restoreReasons(reasonsBefore);
    throw error;
  }
  const papers = collector.papers.length - papersBefore;
  const reasons = difference(collector.reasons, reasonsBefore);
  const skipped = skippedFrom(reasons);
  if (papers === 0) {
    collector.restoreReasons(reasonsBefore);
    const detail =
      skipped.count > 0
        ? `all ${plural(skipped.count, 'entry was', 'entries were')} skipped (${collector.describeSkipped(reasons)}).`
        : `no entries were found in it as ${FORMAT_NAMES[format]}.`;
    throw new AtlasError('parse', 'no-papers', `No papers found in ${fileName}: ${detail}`, {
      hint: 'Each paper needs an abstract. Use CSV/TSV or Parquet with "title" and "abstract" columns, JSON or JSONL objects with those keys, BibTeX entries with an abstract field, RIS records with an AB line, or plain text with one abstract per paragraph.',
    });
  }
  return { name: fileName, format, papers, skipped };
}

function finish(collector: PaperCollector, warnings: string[], files: FileSummary[]): ParseResult {
  return {
    papers: collector.papers,
    format: files[0]!.format,
    skipped: skippedFrom({ ...collector.reasons }),
    warnings: [...warnings, ...collector.summaryWarnings()],
    files,
  };
}

/**
 * Parses one corpus file of any supported format (detected from its content) into papers. Every
 * failure is an AtlasError of stage 'parse'; cancellation is a CancelledError.
 */
export async function parseCorpus(
  file: CorpusFile,
  options: ParseOptions = {},
): Promise<ParseResult> {
  throwIfCancelled(options.signal);
  const collector = new PaperCollector();
  const warnings: string[] = [];
  try {
    const summary = await readFile(file, collector, warnings, options);
    return finish(collector, warnings, [summary]);
  } catch (error) {
    throw toAtlasError(error, 'parse');
  }
}

/**
 * Parses several files into one corpus: a paper found in more than one file is kept once (from the
 * first), and each paper's `source` names its file. A file that fails is reported in the warnings
 * while the others load; if every file fails, the first file's error is thrown.
 */
export async function parseCorpusFiles(
  files: CorpusFile[],
  options: ParseOptions = {},
): Promise<ParseResult> {
  throwIfCancelled(options.signal);
  if (files.length === 0) {
    throw new AtlasError('parse', 'no-files', 'No files were given.', {
      hint: 'Choose one or more corpus files.',
    });
  }
  const collector = new PaperCollector();
  const warnings: string[] = [];
  const summaries: FileSummary[] = [];
  let firstError: unknown;
  for (const file of files) {
    try {
      summaries.push(await readFile(file, collector, warnings, options));
    } catch (caught) {
      const error = toAtlasError(caught, 'parse');
      if (isCancelled(error) || !(error instanceof AtlasError)) throw error;
      firstError ??= error;
      warnings.push(`${file.name} was not loaded: ${error.readerMessage}`);
    }
  }
  if (summaries.length === 0) throw firstError;
  return finish(collector, warnings, summaries);
}
