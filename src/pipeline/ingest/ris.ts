import { plural, type CandidatePaper, type PaperCollector, type ParseSteps } from './collect.ts';
import { toCategories, toUrl, toYear } from './fields.ts';
import { SkippedRowLog } from './row-log.ts';

export interface RisContext {
  fileName: string;
  collector: PaperCollector;
  warnings: string[];
}

/**
 * A tag line: two characters (a capital letter, then a capital or digit), two spaces, a hyphen and
 * the value. Exporters differ in the spaces (EndNote writes "ER  -" with none after the hyphen), so
 * one or two spaces before the hyphen and none or some after it are accepted.
 */
const TAG_LINE = /^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|\s*)$/;

/** Where each paper field is found, in order of preference (Zotero, Mendeley, EndNote). */
const TITLE_TAGS = ['TI', 'T1', 'CT', 'BT', 'ST'];
const ABSTRACT_TAGS = ['AB', 'N2'];
const AUTHOR_TAGS = ['AU', 'A1'];
const EDITOR_TAGS = ['A2', 'ED', 'A3'];
const YEAR_TAGS = ['PY', 'Y1', 'DA', 'Y2'];
const URL_TAGS = ['UR', 'L2', 'L1'];
const KEYWORD_TAGS = ['KW'];
const NOTE_TAGS = ['N1'];

/** A record's values per tag, in file order. */
type RisRecord = Map<string, string[]>;

/** Whether text starts like RIS: its first non-blank line is a `TY  - ` line. */
export function looksLikeRis(head: string): boolean {
  return /^\s*TY {1,2}- ?\S/.test(head.slice(0, 200));
}

function first(record: RisRecord, tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    const value = record.get(tag)?.find((text) => text.trim());
    if (value !== undefined) return value;
  }
  return undefined;
}

function all(record: RisRecord, tags: readonly string[]): string[] {
  return tags.flatMap((tag) => record.get(tag) ?? []).filter((text) => text.trim());
}

/** RIS names are "Last, First" (or "Last, First, Suffix"); the app shows "First Last". */
export function risNameToDisplay(name: string): string {
  const parts = name.split(',').map((part) => part.trim());
  if (parts.length === 2 && parts[0] && parts[1]) return `${parts[1]} ${parts[0]}`;
  if (parts.length === 3 && parts[0] && parts[1]) return `${parts[1]} ${parts[0]}, ${parts[2]}`;
  return name.trim();
}

function candidateOf(record: RisRecord): CandidatePaper {
  const authors = all(record, AUTHOR_TAGS);
  const names = authors.length > 0 ? authors : all(record, EDITOR_TAGS);
  const id = first(record, ['ID'])?.trim() || undefined;
  // A UR line may hold several links separated by semicolons or spaces; the first is the paper's.
  const url = first(record, URL_TAGS)
    ?.split(/[;\s]+/)
    .find((link) => /^https?:\/\//i.test(link));
  // One keyword per KW line, which may hold spaces; some exporters list several, split by semicolons.
  const keywords = toCategories(all(record, KEYWORD_TAGS).flatMap((line) => line.split(';')));
  const notes = all(record, NOTE_TAGS);
  return {
    id,
    title: first(record, TITLE_TAGS),
    abstract: all(record, ABSTRACT_TAGS).join('\n'),
    authors: names.length > 0 ? names.map(risNameToDisplay).filter(Boolean) : undefined,
    year: toYear(first(record, YEAR_TAGS)),
    url: toUrl(url, undefined, first(record, ['DO'])),
    categories: keywords,
    note: notes.length > 0 ? notes.join('\n') : undefined,
  };
}

/**
 * RIS (Zotero, Mendeley, EndNote, most publishers): records from `TY  -` to `ER  -`, one tag per
 * line, repeated tags for authors and keywords, and untagged lines continuing the value above
 * (EndNote wraps long abstracts). A record that is never closed by `ER` is still read, and said so;
 * records without an abstract are skipped and named by number.
 */
export function* parseRis(text: string, context: RisContext): ParseSteps {
  const { collector, fileName, warnings } = context;
  const log = new SkippedRowLog(collector, fileName, 'record');
  let record: RisRecord | undefined;
  let lastValues: string[] | undefined;
  let records = 0;
  let unclosed = 0;
  let withoutType = 0;
  let strayLines = 0;
  let firstStrayLine = 0;

  const close = () => {
    if (record) log.add(candidateOf(record), records);
    record = undefined;
    lastValues = undefined;
  };

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    if (collector.timeToYield()) yield;
    const line = lines[i]!;
    const tagged = TAG_LINE.exec(line);
    if (!tagged) {
      if (record && lastValues && line.trim()) {
        lastValues[lastValues.length - 1] += `\n${line}`;
      } else if (line.trim()) {
        strayLines++;
        firstStrayLine ||= i + 1;
      }
      continue;
    }
    const tag = tagged[1]!;
    const value = (tagged[2] ?? '').trimEnd();
    if (tag === 'TY') {
      if (record) unclosed++;
      close();
      record = new Map();
      records++;
      continue;
    }
    if (tag === 'ER') {
      if (record) close();
      continue;
    }
    if (!record) {
      // A tag after ER (or at the top) without TY: a record whose first line is missing.
      record = new Map();
      records++;
      withoutType++;
    }
    let values = record.get(tag);
    if (!values) record.set(tag, (values = []));
    values.push(value);
    lastValues = values;
  }
  if (record) unclosed++;
  close();

  const skipped = log.warning();
  if (skipped) warnings.push(skipped);
  if (unclosed > 0) {
    warnings.push(
      `${fileName}: ${plural(unclosed, 'RIS record does', 'RIS records do')} not end with an "ER  -" line; ${unclosed === 1 ? 'it was' : 'they were'} read up to the next record.`,
    );
  }
  if (withoutType > 0) {
    warnings.push(
      `${fileName}: ${plural(withoutType, 'RIS record starts', 'RIS records start')} without a "TY  -" line; ${withoutType === 1 ? 'it was' : 'they were'} read anyway.`,
    );
  }
  if (strayLines > 0) {
    warnings.push(
      `${fileName}: ${plural(strayLines, 'line', 'lines')} outside any RIS record ${strayLines === 1 ? 'was' : 'were'} ignored (the first at line ${firstStrayLine}).`,
    );
  }
  if (records === 0) warnings.push(`${fileName} has no RIS records.`);
}
