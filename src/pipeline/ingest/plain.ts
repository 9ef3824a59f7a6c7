import type { PaperCollector, ParseSteps } from './collect.ts';
import { countWords, firstSentence } from './normalize.ts';

export const SKIP_TOO_SHORT = 'too short';
/** Paragraphs shorter than this are headings or stray lines, not documents. */
const MIN_DOCUMENT_WORDS = 5;
const MAX_TITLE_LINE_CHARS = 300;

export interface PlainContext {
  fileName: string;
  collector: PaperCollector;
}

/**
 * A short first line that does not run on into the next (no trailing comma or full stop, next line
 * starting a sentence) is a title; hard-wrapped prose is not.
 */
function isTitleLine(firstLine: string, rest: string): boolean {
  return (
    firstLine.length <= MAX_TITLE_LINE_CHARS &&
    !/[.,;:]\s*$/.test(firstLine) &&
    /^\s*["'([]?[\p{Lu}\p{Lo}\d]/u.test(rest)
  );
}

/**
 * The last resort: one document per paragraph. A paragraph whose first line is short is read as
 * "title line, then text"; otherwise its first sentence is the title and the whole paragraph the abstract.
 */
export function* parsePlainText(text: string, context: PlainContext): ParseSteps {
  const { collector, fileName } = context;
  for (const paragraph of text.split(/(?:\r\n|\r|\n)[ \t\f\v]*(?:\r\n|\r|\n)/)) {
    if (collector.timeToYield()) yield;
    const trimmed = paragraph.trim();
    if (!trimmed) continue;
    if (countWords(trimmed, MIN_DOCUMENT_WORDS) < MIN_DOCUMENT_WORDS) {
      collector.skip(SKIP_TOO_SHORT);
      continue;
    }
    const lineBreak = trimmed.search(/\r\n|\r|\n/);
    const firstLine = lineBreak < 0 ? trimmed : trimmed.slice(0, lineBreak);
    const rest = lineBreak < 0 ? '' : trimmed.slice(lineBreak + 1);
    if (rest.trim() && isTitleLine(firstLine, rest)) {
      collector.add({ title: firstLine, abstract: rest }, fileName);
    } else {
      collector.add({ title: firstSentence(trimmed), abstract: trimmed }, fileName);
    }
  }
}
