/**
 * A frozen copy of the labeller as it was before noun-phrase candidates (src/pipeline/label at b28ab2d),
 * kept so `npm run bench:labels` compares old and new labels on the same maps in the same run.
 */
/**
 * Cluster labels from class-based TF-IDF (c-TF-IDF, after BERTopic): each cluster's papers are pooled
 * into one class, and a term scores high where many of the class's papers use it and the rest of the
 * corpus uses it much less.
 * Terms are single words and two-word phrases; a label takes two or three distinct terms, preferring
 * phrases, never repeating a word, and steering away from the parent cluster's label.
 */
import { AtlasError, throwIfCancelled } from '../../src/lib/errors.ts';
import { nextTask } from '../../src/lib/scheduling.ts';
import type { ClusterHierarchy } from '../../src/pipeline/cluster/index.ts';
import type { RunOptions } from '../../src/pipeline/types.ts';
import { GENERIC_WORDS } from './stop-words.ts';
import { grown, PairTable, TextCounts } from '../../src/pipeline/words.ts';
import { ContentWordReader, termKey } from './terms.ts';

export interface ClusterLabel {
  id: number;
  /** Two or three terms joined by " · ", e.g. "relation extraction · knowledge graphs". */
  label: string;
  /** Best terms first. */
  keywords: string[];
}

export interface LabelOptions {
  /** Keywords listed per cluster (default 10). */
  keywordsPerCluster?: number;
}

const DEFAULT_KEYWORDS = 10;
/** Phrases read better and say more than single words; at equal c-TF-IDF a phrase wins by this factor. */
const PHRASE_PREFERENCE = 1.6;
/** A third term joins the label only if it scores at least this share of the second… */
const THIRD_TERM_SHARE = 0.6;
/** …and the label stays this short. */
const LONGEST_LABEL = 48;
const SEPARATOR = ' · ';
/** A child holding at least this share of its parent's papers may repeat the parent's label. */
const SAME_GROUP_SHARE = 0.9;
/** Shorter single words are mostly abbreviations ("re", "kg") that mean little on their own. */
const SHORTEST_WORD_TERM = 3;

interface Vocabulary {
  ids: Map<string, number>;
  keys: string[];
  /** Most frequent written form per term. */
  surfaces: string[];
  isPhrase: Uint8Array;
}

/** Texts tokenised between pauses in the cancellable variant. */
const TEXTS_PER_BATCH = 2000;

/** Labels for every cluster of every level, in the order of `hierarchy.nodes`. Synchronous. */
export function labelClusters(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions = {},
): ClusterLabel[] {
  const steps = labelSteps(texts, hierarchy, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same labels, computed in batches that yield to the event loop, so a worker can receive a
 * cancellation and post progress on large corpora. With `index` (from `indexLabelTexts` on the same
 * texts, built while the vectors were being computed), the texts are not read again.
 */
export async function labelClustersAsync(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions & RunOptions & { index?: Promise<LabelIndex> } = {},
): Promise<ClusterLabel[]> {
  const index = await options.index;
  return runSteps(labelSteps(texts, hierarchy, options, index), texts.length + 1, options);
}

/**
 * Every text read into label terms: the corpus side of labelling, the same for any clustering of the
 * texts. It is most of labelling's work, so the app builds it while the embedder runs.
 */
export interface LabelIndex {
  /** How many texts were read. */
  texts: number;
  vocabulary: Vocabulary;
  /** Each text's distinct term ids. */
  documents: Int32Array[];
  corpus: CorpusFrequencies;
}

/** Reads the texts into a `LabelIndex`, in batches that yield to the event loop (as `labelClustersAsync`). */
export function indexLabelTexts(texts: string[], options: RunOptions = {}): Promise<LabelIndex> {
  return runSteps(indexSteps(texts), texts.length + 1, options);
}

/** Runs labelling steps to the end, checking for cancellation and reporting progress between them. */
async function runSteps<T>(
  steps: Generator<number, T>,
  total: number,
  { signal, onProgress }: RunOptions,
): Promise<T> {
  for (;;) {
    throwIfCancelled(signal);
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.({ stage: 'labelling', done: step.value, total });
    await nextTask(signal);
  }
}

function* indexSteps(texts: string[]): Generator<number, LabelIndex> {
  const { vocabulary, documents } = yield* indexDocuments(texts);
  const corpus = corpusFrequencies(documents, vocabulary.keys.length);
  return { texts: texts.length, vocabulary, documents, corpus };
}

/** The labelling work; yields the number of texts done after each batch. */
function* labelSteps(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions,
  prepared?: LabelIndex,
): Generator<number, ClusterLabel[]> {
  const n = texts.length;
  if (prepared && prepared.texts !== n) {
    throw new AtlasError(
      'label',
      'length-mismatch',
      `The label index was built from ${prepared.texts} texts, but ${n} texts were given.`,
      { hint: 'Build the index from the same texts, in the same order, as the layout.' },
    );
  }
  for (const [level, labels] of hierarchy.levels.entries()) {
    if (labels.length !== n) {
      throw new AtlasError(
        'label',
        'length-mismatch',
        `Level ${level} of the clusters covers ${labels.length} papers, but ${n} texts were given.`,
        { hint: 'Pass one text (title and abstract) per paper, in the same order as the layout.' },
      );
    }
    const known = new Set(
      hierarchy.nodes.filter((node) => node.level === level).map((node) => node.id),
    );
    const unknown = labels.find((label) => label >= 0 && !known.has(label));
    if (unknown !== undefined) {
      throw new AtlasError(
        'label',
        'unknown-cluster',
        `Level ${level} assigns papers to cluster ${unknown}, which is not among that level's nodes.`,
        { hint: 'Pass the hierarchy exactly as clusterHierarchy returned it.' },
      );
    }
  }
  const keywordsPerCluster = options.keywordsPerCluster ?? DEFAULT_KEYWORDS;
  const { vocabulary, documents, corpus } = prepared ?? (yield* indexSteps(texts));
  yield n;
  const counts = classCounts(hierarchy, documents, vocabulary.keys.length);
  const nodesByLevel = new Map<number, number[]>();
  for (const node of hierarchy.nodes) {
    nodesByLevel.set(node.level, [...(nodesByLevel.get(node.level) ?? []), node.id]);
  }
  const nodeById = new Map(hierarchy.nodes.map((node) => [node.id, node]));
  const labels = new Map<number, ClusterLabel>();
  for (let level = 0; level < hierarchy.levels.length; level++) {
    const ids = nodesByLevel.get(level) ?? [];
    const scores = classTfIdf(ids, counts, hierarchy.levels[level]!, corpus);
    // Lead terms already used on this level, so two clusters of a level do not open with the same term.
    const takenLeads = new Set<number>();
    for (const id of ids) {
      const ranked = rankTerms(scores.get(id)!, vocabulary);
      const node = nodeById.get(id)!;
      const parent = node.parent === null ? undefined : nodeById.get(node.parent);
      // A child that is nearly all of its parent is the same group of papers: it keeps its own best terms.
      const distinctFromParent = parent !== undefined && node.size < SAME_GROUP_SHARE * parent.size;
      const parentLabel = distinctFromParent ? labels.get(parent.id) : undefined;
      labels.set(id, {
        id,
        label: composeLabel(ranked, vocabulary, parentLabel?.label, takenLeads) || `Cluster ${id}`,
        keywords: chooseKeywords(ranked, vocabulary, keywordsPerCluster),
      });
    }
  }
  yield n;
  return hierarchy.nodes.map((node) => labels.get(node.id)!);
}

/**
 * Fewest papers that must use a term for it to be considered: a label term should be used by a fair
 * share of a cluster, and clusters grow with √n, so rarer terms are dropped early to keep large corpora
 * within memory.
 */
export function fewestTermDocuments(n: number): number {
  return Math.max(2, Math.round(Math.sqrt(n) / 20));
}

/**
 * Each document as its distinct term ids, keeping terms used by at least `fewestTermDocuments(n)`
 * papers. Texts are tokenised once into word ids; phrases are counted under numeric codes, and only
 * where both words are frequent enough, so large corpora stay fast and within memory.
 */
function* indexDocuments(
  texts: string[],
): Generator<number, { vocabulary: Vocabulary; documents: Int32Array[] }> {
  const threshold = fewestTermDocuments(texts.length);
  const reader = new ContentWordReader();
  const wordKeys = reader.keys;
  const wordFrequency = new TextCounts();
  const wordOccurrences: number[] = [];
  // Per text, each content word as id × 4 + 2 if it joins the word before + 1 if written unlike its key.
  const encoded: Int32Array[] = [];
  const codes: number[] = [];
  for (let textIndex = 0; textIndex < texts.length; textIndex++) {
    if (textIndex > 0 && textIndex % TEXTS_PER_BATCH === 0) yield textIndex;
    codes.length = 0;
    reader.read(texts[textIndex]!, (id, variant, joinsPrevious) => {
      if (id === wordOccurrences.length) wordOccurrences.push(0);
      wordOccurrences[id]!++;
      wordFrequency.add(id, textIndex);
      codes.push(id * 4 + (joinsPrevious ? 2 : 0) + (variant ? 1 : 0));
    });
    encoded.push(Int32Array.from(codes));
  }
  /** Written forms other than the key itself ("networks" for "network"), counted where they occur. */
  const wordForms = reader.variantForms();

  const wordCount = wordKeys.length;
  const frequentWord = (id: number) => wordFrequency.of(id) >= threshold;
  /**
   * Calls `visit` with each word of a text used often enough to be a term (`second` -1), and each
   * phrase of two such words (`first`, `second`), with whether each word is written unlike its key.
   */
  const forEachTerm = (
    codes: Int32Array,
    visit: (first: number, second: number, firstVariant: number, secondVariant: number) => void,
  ) => {
    let previous = -1;
    for (const code of codes) {
      const id = code >> 2;
      if (!frequentWord(id)) {
        previous = -1;
        continue;
      }
      visit(id, -1, code & 1, 0);
      if (previous >= 0 && code & 2) visit(previous >> 2, id, previous & 1, code & 1);
      previous = code;
    }
  };

  // Most phrases are rare. A count-min sketch of phrase occurrences (an upper bound on their document
  // frequency) screens them out first, so only phrases that may reach the threshold get exact counts.
  const sketch = new PhraseSketch();
  for (const codes of encoded) {
    forEachTerm(codes, (first, second) => {
      if (second >= 0) sketch.add(first, second);
    });
  }
  const phrases = new PairTable();
  const phraseFrequency = new TextCounts();
  let phraseOccurrences = new Int32Array(1024);
  let phraseFirstVariants = new Int32Array(1024);
  let phraseSecondVariants = new Int32Array(1024);
  encoded.forEach((codes, textIndex) => {
    forEachTerm(codes, (first, second, firstVariant, secondVariant) => {
      if (second < 0 || sketch.estimate(first, second) < threshold) return;
      const phrase = phrases.idOf(first, second);
      if (phrase >= phraseOccurrences.length) {
        phraseOccurrences = grown(phraseOccurrences, 0);
        phraseFirstVariants = grown(phraseFirstVariants, 0);
        phraseSecondVariants = grown(phraseSecondVariants, 0);
      }
      phraseOccurrences[phrase]!++;
      phraseFirstVariants[phrase]! += firstVariant;
      phraseSecondVariants[phrase]! += secondVariant;
      phraseFrequency.add(phrase, textIndex);
    });
  });

  const commonForm = (id: number): string => {
    const forms = new Map(wordForms.get(id) ?? []);
    let variants = 0;
    for (const count of forms.values()) variants += count;
    forms.set(wordKeys[id]!, wordOccurrences[id]! - variants);
    return mostFrequent(forms);
  };
  const vocabulary: Vocabulary = {
    ids: new Map(),
    keys: [],
    surfaces: [],
    isPhrase: new Uint8Array(0),
  };
  /** Vocabulary id of each word and of each counted phrase (-1: not a term). */
  const wordTerm = new Int32Array(wordCount).fill(-1);
  const phraseTerm = new Int32Array(phrases.size).fill(-1);
  const isPhrase: number[] = [];
  const addTerm = (key: string, surface: string, phrase: boolean): number => {
    const id = vocabulary.keys.length;
    vocabulary.ids.set(key, id);
    vocabulary.keys.push(key);
    vocabulary.surfaces.push(surface);
    isPhrase.push(phrase ? 1 : 0);
    return id;
  };
  for (let id = 0; id < wordCount; id++) {
    if (frequentWord(id)) wordTerm[id] = addTerm(wordKeys[id]!, commonForm(id), false);
  }
  for (let phrase = 0; phrase < phrases.size; phrase++) {
    if (phraseFrequency.of(phrase) < threshold) continue;
    const first = phrases.first(phrase);
    const second = phrases.second(phrase);
    const occurrences = phraseOccurrences[phrase]!;
    // Each word of a phrase is shown as the phrase mostly writes it ("graph networks", not "graph network").
    const form = (id: number, variants: number) =>
      2 * variants > occurrences
        ? mostFrequent(wordForms.get(id) ?? new Map([[wordKeys[id]!, 1]]))
        : wordKeys[id]!;
    phraseTerm[phrase] = addTerm(
      `${wordKeys[first]} ${wordKeys[second]}`,
      `${form(first, phraseFirstVariants[phrase]!)} ${form(second, phraseSecondVariants[phrase]!)}`,
      true,
    );
  }
  vocabulary.isPhrase = Uint8Array.from(isPhrase);
  /** A text lists each term once, in order of first use. */
  const termTexts = new TextCounts();
  const termsOfText: number[] = [];
  const documents = encoded.map((codes, textIndex) => {
    termsOfText.length = 0;
    forEachTerm(codes, (first, second) => {
      const phrase = second < 0 ? -1 : phrases.find(first, second);
      const term = second < 0 ? wordTerm[first]! : phrase < 0 ? -1 : phraseTerm[phrase]!;
      if (term >= 0 && termTexts.add(term, textIndex)) termsOfText.push(term);
    });
    return Int32Array.from(termsOfText);
  });
  return { vocabulary, documents };
}

/** 2²⁰ counters per row: 8 MiB in all, few collisions at a few million distinct pairs. */
const SKETCH_BITS = 20;

/** Count-min sketch (Cormode & Muthukrishnan 2005) of word-pair counts: estimates never fall short. */
class PhraseSketch {
  private readonly first = new Int32Array(1 << SKETCH_BITS);
  private readonly second = new Int32Array(1 << SKETCH_BITS);

  add(firstWord: number, secondWord: number): void {
    this.first[slot(firstWord, secondWord, 0x9e3779b9)]!++;
    this.second[slot(firstWord, secondWord, 0x7f4a7c15)]!++;
  }

  estimate(firstWord: number, secondWord: number): number {
    return Math.min(
      this.first[slot(firstWord, secondWord, 0x9e3779b9)]!,
      this.second[slot(firstWord, secondWord, 0x7f4a7c15)]!,
    );
  }
}

/** A well-mixed table slot for a word pair (murmur3-style finaliser), one per seed. */
function slot(firstWord: number, secondWord: number, seed: number): number {
  let hash = Math.imul(firstWord ^ seed, 0x85ebca6b) ^ secondWord;
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> (32 - SKETCH_BITS);
}

interface CorpusFrequencies {
  documents: number;
  /** Papers using each term. */
  documentFrequency: Int32Array;
}

function corpusFrequencies(documents: Int32Array[], terms: number): CorpusFrequencies {
  const documentFrequency = new Int32Array(terms);
  for (const document of documents) for (const term of document) documentFrequency[term]!++;
  return { documents: documents.length, documentFrequency };
}

function mostFrequent(forms: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [form, count] of forms) {
    if (count > bestCount || (count === bestCount && form < best)) {
      best = form;
      bestCount = count;
    }
  }
  return best;
}

/** A cluster's terms and how many of its papers use each, in order of first use. */
interface TermCounts {
  terms: Int32Array;
  counts: Int32Array;
}

/**
 * Document frequency of every term in every cluster of every level. A cluster's counts are its
 * children's plus those of its papers that no child holds, so each paper is counted about once.
 */
function classCounts(
  hierarchy: ClusterHierarchy,
  documents: Int32Array[],
  termCount: number,
): Map<number, TermCounts> {
  const counts = new Map<number, TermCounts>();
  const childrenOf = new Map<number, number[]>();
  for (const node of hierarchy.nodes) {
    if (node.parent !== null)
      childrenOf.set(node.parent, [...(childrenOf.get(node.parent) ?? []), node.id]);
  }
  // One dense tally, reused cluster by cluster; `used` lists the terms it holds, so it is cleared cheaply.
  const tally = new Int32Array(termCount);
  const used: number[] = [];
  const count = (term: number, times: number) => {
    if (tally[term] === 0) used.push(term);
    tally[term]! += times;
  };
  const deepest = hierarchy.levels.length - 1;
  for (let level = deepest; level >= 0; level--) {
    const labels = hierarchy.levels[level]!;
    const finer = level < deepest ? hierarchy.levels[level + 1]! : null;
    const ownPapers = new Map<number, number[]>();
    for (let paper = 0; paper < documents.length; paper++) {
      const cluster = labels[paper]!;
      if (cluster < 0 || (finer && finer[paper]! >= 0)) continue;
      const papers = ownPapers.get(cluster);
      if (papers) papers.push(paper);
      else ownPapers.set(cluster, [paper]);
    }
    for (const node of hierarchy.nodes) {
      if (node.level !== level) continue;
      for (const paper of ownPapers.get(node.id) ?? []) {
        for (const term of documents[paper]!) count(term, 1);
      }
      for (const child of childrenOf.get(node.id) ?? []) {
        const { terms, counts: childCounts } = counts.get(child)!;
        for (let i = 0; i < terms.length; i++) count(terms[i]!, childCounts[i]!);
      }
      const terms = Int32Array.from(used);
      counts.set(node.id, { terms, counts: terms.map((term) => tally[term]!) });
      for (const term of used) tally[term] = 0;
      used.length = 0;
    }
  }
  return counts;
}

/**
 * Class-based TF-IDF of one level's clusters. Each cluster is one class: tf is the share of its papers
 * that use the term, and the inverse-frequency weight is log(lift), lift being how many times more
 * often the cluster uses the term than the whole corpus does. Unlike BERTopic's log(1 + A / f), this
 * weight falls to zero for a term spread evenly over the corpus, so words every cluster shares (and
 * boilerplate the stop list missed) never outrank a cluster's own terms, even with only two classes.
 */
function classTfIdf(
  ids: readonly number[],
  counts: Map<number, TermCounts>,
  labels: Int32Array,
  corpus: CorpusFrequencies,
): Map<number, Map<number, number>> {
  const papers = new Map<number, number>();
  for (const label of labels) if (label >= 0) papers.set(label, (papers.get(label) ?? 0) + 1);
  const scores = new Map<number, Map<number, number>>();
  for (const id of ids) {
    const size = Math.max(1, papers.get(id) ?? 0);
    const scored = new Map<number, number>();
    const { terms, counts: termCounts } = counts.get(id)!;
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      const share = termCounts[i]! / size;
      const lift = share / (corpus.documentFrequency[term]! / corpus.documents);
      if (lift > 1) scored.set(term, share * Math.log(lift));
    }
    scores.set(id, scored);
  }
  return scores;
}

interface RankedTerm {
  term: number;
  score: number;
}

/** Labels and keyword lists only ever read this far down a cluster's ranking. */
const RANKED_TERMS = 200;

/** The cluster's best terms, best first (ties by key, for determinism); only the top few hundred are kept. */
function rankTerms(scores: Map<number, number>, vocabulary: Vocabulary): RankedTerm[] {
  const values = new Float64Array(scores.size);
  let index = 0;
  for (const [term, score] of scores) {
    values[index++] = vocabulary.isPhrase[term] ? score * PHRASE_PREFERENCE : score;
  }
  // A native numeric sort finds the cut-off score; only terms at or above it get the full comparison.
  const cutoff =
    values.length > RANKED_TERMS ? values.slice().sort()[values.length - RANKED_TERMS]! : -Infinity;
  const ranked: RankedTerm[] = [];
  index = 0;
  for (const term of scores.keys()) {
    const score = values[index++]!;
    if (score >= cutoff) ranked.push({ term, score });
  }
  return ranked.sort(
    (a, b) => b.score - a.score || (vocabulary.keys[a.term]! < vocabulary.keys[b.term]! ? -1 : 1),
  );
}

/** The best terms, skipping any whose words all appear in terms already listed ("graph" after "graph networks"). */
function chooseKeywords(ranked: RankedTerm[], vocabulary: Vocabulary, count: number): string[] {
  const keywords: string[] = [];
  const listedWords = new Set<string>();
  for (const { term } of ranked) {
    if (keywords.length >= count) break;
    const words = vocabulary.keys[term]!.split(' ');
    if (words.every((word) => listedWords.has(word))) continue;
    keywords.push(vocabulary.surfaces[term]!);
    for (const word of words) listedWords.add(word);
  }
  return keywords;
}

function standsAlone(word: string): boolean {
  return (
    [...word].length >= SHORTEST_WORD_TERM &&
    !GENERIC_WORDS.has(word) &&
    !GENERIC_WORDS.has(termKey(word))
  );
}

/**
 * Two or three of the best terms that share no word with each other, skipping terms that only repeat
 * words of the parent's label ("extraction" under "information extraction", but not "relation
 * extraction") and not opening with a term a larger cluster of the same level opened with, while
 * enough other terms remain.
 */
function composeLabel(
  ranked: RankedTerm[],
  vocabulary: Vocabulary,
  parentLabel: string | undefined,
  takenLeads: Set<number>,
): string {
  const parentWords = new Set(
    (parentLabel ?? '')
      .split(SEPARATOR)
      .flatMap((term) => term.split(' ').map(termKey))
      .filter(Boolean),
  );
  const pick = (avoid: boolean): RankedTerm[] => {
    const chosen: RankedTerm[] = [];
    const usedWords = new Set<string>();
    for (const candidate of ranked) {
      const words = vocabulary.keys[candidate.term]!.split(' ');
      if (words.some((word) => usedWords.has(word))) continue;
      if (words.length === 1 && !standsAlone(vocabulary.surfaces[candidate.term]!)) continue;
      if (avoid && words.every((word) => parentWords.has(word))) continue;
      if (avoid && chosen.length === 0 && takenLeads.has(candidate.term)) continue;
      if (chosen.length === 2) {
        const length = [...chosen, candidate]
          .map(({ term }) => vocabulary.surfaces[term]!)
          .join(SEPARATOR).length;
        if (candidate.score < THIRD_TERM_SHARE * chosen[1]!.score || length > LONGEST_LABEL) break;
      }
      chosen.push(candidate);
      for (const word of words) usedWords.add(word);
      if (chosen.length === 3) break;
    }
    return chosen;
  };
  let chosen = pick(true);
  if (chosen.length < 2) chosen = pick(false);
  if (chosen[0]) takenLeads.add(chosen[0].term);
  return chosen.map(({ term }) => vocabulary.surfaces[term]!).join(SEPARATOR);
}
