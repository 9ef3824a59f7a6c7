import type { PaperCollector, ParseSteps } from './collect.ts';
import { countWords } from './normalize.ts';

export interface ListingContext {
  fileName: string;
  collector: PaperCollector;
}

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';

/** Whole lines of listing-page chrome (the bundled pages are scraped from a daily-papers listing). */
const CHROME_LINES: RegExp[] = [
  /^new$/i,
  /^subscribe$/i,
  /^get trending papers in your email inbox( once a day)?!?$/i,
  /^by\s*AK and the research community$/i,
  new RegExp(`^${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?$`, 'i'),
  new RegExp(`^\\d{1,2}\\s+${MONTH}(?:,?\\s+\\d{4})?$`, 'i'),
  /^(?:upvote|upvoted|daily papers|trending papers|submitted by\s+\S+)$/i,
  /^[·•|\-–—]*\s*\d{1,5}\s*[·•|\-–—]*$/,
];

/** Chrome that the scraper glued to the start of the next line ("SubscribeLayer-stacked Attention…"). */
const GLUED_CHROME =
  /^(?:Subscribe|Get trending papers in your email inbox(?: once a day)?!|byAK and the research community)(?=["'([A-Z0-9])/;

/** Phrases that only listing pages contain: one of them is enough to read a file as a listing. */
const CHROME_PHRASES = /get trending papers in your email inbox|byAK and the research community/i;
const SUBSCRIBE_LINE = /^Subscribe(?=[A-Z]|$)/m;

const MAX_TITLE_CHARS = 300;
const MAX_TITLE_WORDS = 50;
const MIN_ABSTRACT_CHARS = 200;
const MIN_SHORT_ABSTRACT_WORDS = 8;

export function hasListingChrome(text: string): boolean {
  const head = text.slice(0, 20_000);
  return CHROME_PHRASES.test(head) || SUBSCRIBE_LINE.test(head);
}

function stripChrome(unit: string): string {
  let text = unit.trim();
  for (let guard = 0; guard < 4; guard++) {
    if (CHROME_LINES.some((pattern) => pattern.test(text))) return '';
    const glued = GLUED_CHROME.exec(text);
    if (!glued) break;
    text = text.slice(glued[0].length).trim();
  }
  return text;
}

/**
 * The units a listing is made of: lines when titles and abstracts sit on consecutive lines, or
 * paragraphs (lines joined) when every title and abstract is its own blank-line-separated paragraph.
 */
function listingUnits(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const paragraphs: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim()) current.push(line);
    else if (current.length > 0) {
      paragraphs.push(current);
      current = [];
    }
  }
  if (current.length > 0) paragraphs.push(current);
  const singleLine = paragraphs.filter((paragraph) => paragraph.length === 1).length;
  const useParagraphs = paragraphs.length >= 2 && singleLine >= paragraphs.length / 2;
  const units = useParagraphs
    ? paragraphs.map((paragraph) => paragraph.join(' '))
    : paragraphs.flat();
  return units.map(stripChrome).filter((unit) => unit.length > 0);
}

/** A unit that ends a sentence with one full stop ("Too short.") is prose; an ellipsis may end a title. */
const ENDS_A_SENTENCE = /(?:^|[^.])\.["')\]]?$/;

function isTitleLike(unit: string): boolean {
  return (
    unit.length <= MAX_TITLE_CHARS &&
    !ENDS_A_SENTENCE.test(unit) &&
    countWords(unit, MAX_TITLE_WORDS + 1) <= MAX_TITLE_WORDS
  );
}

function isAbstractLike(unit: string, title: string): boolean {
  if (unit.length >= MIN_ABSTRACT_CHARS) return true;
  return (
    unit.length > title.length &&
    /[.!?]["')\]]?$/.test(unit) &&
    countWords(unit, MIN_SHORT_ABSTRACT_WORDS) >= MIN_SHORT_ABSTRACT_WORDS
  );
}

export interface ListingPair {
  title: string | undefined;
  abstract: string | undefined;
}

/** Pairs each title with the abstract that follows it; a title followed by another title has no abstract. */
export function pairListing(text: string): ListingPair[] {
  const pairs: ListingPair[] = [];
  let pendingTitle: string | undefined;
  for (const unit of listingUnits(text)) {
    if (pendingTitle !== undefined && isAbstractLike(unit, pendingTitle)) {
      pairs.push({ title: pendingTitle, abstract: unit });
      pendingTitle = undefined;
    } else if (isTitleLike(unit)) {
      if (pendingTitle !== undefined) pairs.push({ title: pendingTitle, abstract: undefined });
      pendingTitle = unit;
    } else {
      pairs.push({ title: undefined, abstract: unit });
    }
  }
  if (pendingTitle !== undefined) pairs.push({ title: pendingTitle, abstract: undefined });
  return pairs;
}

/** Whether text without listing chrome still reads as alternating titles and abstracts. */
export function looksLikeListing(text: string): boolean {
  const pairs = pairListing(text.slice(0, 200_000));
  const complete = pairs.filter((pair) => pair.title !== undefined && pair.abstract !== undefined);
  return complete.length >= 2 && complete.length >= pairs.length * 0.8;
}

/**
 * Scraped listing-page text: a title line, then its abstract, in either layout (blank-line
 * separated or one line each), with page chrome ("Subscribe", "Get trending papers…", dates) removed.
 */
export function* parseListing(text: string, context: ListingContext): ParseSteps {
  for (const pair of pairListing(text)) {
    context.collector.add(pair, context.fileName);
    if (context.collector.timeToYield()) yield;
  }
}
