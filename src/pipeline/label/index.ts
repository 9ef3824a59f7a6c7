/**
 * Cluster labels a researcher can read as topic names.
 *
 * 1. Terms are words and phrases of two or three words (a two-word phrase mostly written inside a
 *    three-word one, "graph neural" of "graph neural networks", is left out), read once per corpus into
 *    a `LabelIndex`.
 * 2. Each cluster's terms are scored by class-based TF-IDF (c-TF-IDF, after BERTopic: a cluster's
 *    papers pooled into one class, log-lift as the inverse frequency).
 * 3. A label takes two or three of the best terms by maximal marginal relevance. A term's relevance is
 *    its c-TF-IDF weighed by how precisely the label's words would find the cluster in a text search
 *    (a broad cluster's terms each alone, so its label names several of its parts); redundancy is
 *    spelling kinship ("segment", "segmentation") and, in a broad cluster, shared papers.
 *    Where the map has a neural embedder, every cluster's candidates are embedded with it
 *    (`meaning.ts`): a term weighs more the nearer it lies to its cluster's centroid than to its
 *    siblings', and near-synonyms by meaning are redundant too.
 * 4. Only noun phrases qualify, as wink-nlp tags their uses in the cluster's papers (`noun-phrases.ts`);
 *    terms share no word within a label, siblings share no term, and a child does not repeat its
 *    parent's terms.
 */
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';
import { nextTask } from '../../lib/scheduling.ts';
import type { ClusterHierarchy } from '../cluster/index.ts';
import type { RunOptions } from '../types.ts';
import { GENERIC_WORDS } from './stop-words.ts';
import { foldPlural, grown, PairTable, TextCounts } from '../words.ts';
import { TermMeaning, type LabelMeaning } from './meaning.ts';
import { maximalMarginalRelevance } from './mmr.ts';
import { NounPhraseJudge } from './noun-phrases.ts';
import { ContentWordReader } from './terms.ts';

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
const THIRD_TERM_SHARE = 0.4;
/** …and the label stays this short. */
const LONGEST_LABEL = 70;
const SEPARATOR = ' · ';
/** A child holding at least this share of its parent's papers is the same group of papers. */
const SAME_GROUP_SHARE = 0.9;
/** Candidates per cluster that labels and keywords look at. */
const CANDIDATES = 30;
/** A two-word phrase is a fragment of a three-word one that holds at least this share of its uses. */
const FRAGMENT_SHARE = 0.6;
/**
 * Keywords are judged mostly on the uses that judging the label's candidates tagged: each tags at most
 * this many more papers (a label term, several), which keeps labelling 100,000 papers about a second
 * shorter.
 */
const KEYWORD_PAPERS_TAGGED = 2;
/** MMR's weight on relevance against redundancy. */
const MMR_LAMBDA = 0.8;
/** How much a term's relevance leans on the precision with which the label then finds its cluster. */
const PRECISION_WEIGHT = 2;
/** A label's words together must still be used by this share of its cluster's papers. */
const FEWEST_COVERED = 0.05;
/**
 * How sharply meaning weighs a term (`TermMeaning.contrast`): its weight is exp(sharpness × how far its
 * contrast falls short of the best candidate's), so 0.1 of cosine costs it a third of its relevance:
 * meaning settles close calls between frequent terms rather than overriding frequency.
 */
const MEANING_SHARPNESS = 4;
/** Terms whose vectors agree at least this far are near-synonyms ("galaxies", "galactic": 0.78). */
const NEAR_SYNONYM_COSINE = 0.7;
/** Shorter single words are mostly abbreviations ("re", "kg") that mean little on their own. */
const SHORTEST_WORD_TERM = 3;

interface Vocabulary {
  ids: Map<string, number>;
  keys: string[];
  /** Most frequent written form per term. */
  surfaces: string[];
  isPhrase: Uint8Array;
  /** Two-word phrases mostly written inside a three-word one ("graph neural"): never label terms. */
  fragment: Uint8Array;
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
  options: LabelOptions &
    RunOptions & {
      index?: Promise<LabelIndex>;
      /** Rank terms by meaning too, with the map's embedder (`meaning.ts`). */
      meaning?: LabelMeaning;
    } = {},
): Promise<ClusterLabel[]> {
  const { meaning } = options;
  if (!meaning) {
    const index = await options.index;
    return runSteps(labelSteps(texts, hierarchy, options, index), texts.length + 1, options);
  }
  checkLabelInputs(texts, hierarchy);
  const index = await (options.index ?? indexLabelTexts(texts, options));
  checkIndex(index, texts.length);
  throwIfCancelled(options.signal);
  const ranked = rankClusters(hierarchy, index);
  const candidates = new Set<number>();
  for (const terms of ranked.values())
    for (const { term } of terms.slice(0, CANDIDATES)) candidates.add(term);
  const termMeaning = await TermMeaning.build(
    meaning,
    hierarchy,
    [...candidates].sort((a, b) => a - b),
    index.vocabulary.surfaces,
    index.vocabulary.keys.length,
  );
  return runSteps(
    composeSteps(texts, hierarchy, options, index, ranked, termMeaning),
    texts.length + 1,
    options,
  );
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
  /** The texts that use each term. */
  postings: TermPostings;
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
  const postings = new TermPostings(documents, vocabulary);
  return { texts: texts.length, vocabulary, documents, corpus, postings };
}

/** The labelling work; yields the number of texts done after each batch. */
function* labelSteps(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions,
  prepared?: LabelIndex,
): Generator<number, ClusterLabel[]> {
  checkLabelInputs(texts, hierarchy);
  if (prepared) checkIndex(prepared, texts.length);
  const index = prepared ?? (yield* indexSteps(texts));
  yield texts.length;
  return yield* composeSteps(texts, hierarchy, options, index, rankClusters(hierarchy, index));
}

function checkIndex(index: LabelIndex, n: number): void {
  if (index.texts !== n) {
    throw new AtlasError(
      'label',
      'length-mismatch',
      `The label index was built from ${index.texts} texts, but ${n} texts were given.`,
      { hint: 'Build the index from the same texts, in the same order, as the layout.' },
    );
  }
}

/** Every level must give one cluster (or -1) to each text, among that level's nodes. */
function checkLabelInputs(texts: string[], hierarchy: ClusterHierarchy): void {
  const n = texts.length;
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
}

/** Every cluster's terms, best c-TF-IDF first, by cluster id. */
function rankClusters(hierarchy: ClusterHierarchy, index: LabelIndex): Map<number, RankedTerm[]> {
  const { vocabulary, documents, corpus } = index;
  const counts = classCounts(hierarchy, documents, vocabulary.keys.length);
  const ranked = new Map<number, RankedTerm[]>();
  for (let level = 0; level < hierarchy.levels.length; level++) {
    const ids = hierarchy.nodes.filter((node) => node.level === level).map((node) => node.id);
    const scores = classTfIdf(ids, counts, hierarchy.levels[level]!, corpus);
    for (const id of ids) ranked.set(id, rankTerms(scores.get(id)!, vocabulary));
  }
  return ranked;
}

/** Each cluster's label and keywords from its ranked terms, level by level, broadest first. */
function* composeSteps(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions,
  index: LabelIndex,
  rankedByCluster: Map<number, RankedTerm[]>,
  meaning?: TermMeaning,
): Generator<number, ClusterLabel[]> {
  const n = texts.length;
  const keywordsPerCluster = options.keywordsPerCluster ?? DEFAULT_KEYWORDS;
  const { vocabulary, documents, postings } = index;
  const judge = new NounPhraseJudge(
    texts,
    documents,
    (key) => vocabulary.ids.get(key),
    (term) => vocabulary.keys[term]!,
    vocabulary.keys.length,
  );
  const nodesByLevel = new Map<number, number[]>();
  for (const node of hierarchy.nodes) {
    nodesByLevel.set(node.level, [...(nodesByLevel.get(node.level) ?? []), node.id]);
  }
  const nodeById = new Map(hierarchy.nodes.map((node) => [node.id, node]));
  const parents = new Set(hierarchy.nodes.map((node) => node.parent));
  const labels = new Map<number, ClusterLabel>();
  /** The terms of each cluster's label. */
  const labelTerms = new Map<number, number[]>();
  for (let level = 0; level < hierarchy.levels.length; level++) {
    const ids = nodesByLevel.get(level) ?? [];
    const members = clusterMembers(hierarchy.levels[level]!);
    // The terms each group of siblings (the clusters of one parent; the broadest level is one group)
    // has given its labels so far: the larger siblings choose first, and no two share a term.
    const siblingTerms = new Map<number, Set<number>>();
    const bySize = [...ids].sort((a, b) => nodeById.get(b)!.size - nodeById.get(a)!.size || a - b);
    for (const id of bySize) {
      const node = nodeById.get(id)!;
      const ranked = rankedByCluster.get(id)!;
      const papers = members.get(id) ?? new Int32Array(0);
      const group = node.parent ?? -1;
      const taken = siblingTerms.get(group) ?? new Set<number>();
      siblingTerms.set(group, taken);
      const parent = node.parent === null ? undefined : nodeById.get(node.parent);
      const parentTerms = parent ? (labelTerms.get(parent.id) ?? []) : [];
      // A child holding nearly all of its parent's papers is the same group: it only leaves the
      // parent's lead term (its label still differs), where a smaller child leaves all its terms.
      const sameGroup = parent !== undefined && node.size >= SAME_GROUP_SHARE * parent.size;
      const rules: LabelRules = {
        parentTerms: sameGroup ? parentTerms.slice(0, 1) : parentTerms,
        siblingTerms: taken,
        readsAsNounPhrase: (term, tagging) => judge.reads(term, papers, tagging),
        precision: new LabelPrecision(postings, hierarchy.levels[level]!, id, papers.length),
        broad: parents.has(id),
        ...(meaning
          ? {
              meaning: {
                contrast: (term: number) => meaning.contrast(id, term),
                similarity: (a: number, b: number) => meaning.similarity(a, b),
              },
            }
          : {}),
      };
      const terms = composeLabel(ranked, vocabulary, rules);
      for (const term of terms) taken.add(term);
      labelTerms.set(id, terms);
      labels.set(id, {
        id,
        label: terms.map((term) => vocabulary.surfaces[term]!).join(SEPARATOR) || `Cluster ${id}`,
        keywords: chooseKeywords(ranked, vocabulary, keywordsPerCluster, terms, rules),
      });
    }
  }
  yield n;
  return hierarchy.nodes.map((node) => labels.get(node.id)!);
}

/** The papers that use each term, ascending: the inverted index of `documents`. */
class TermPostings {
  private readonly offsets: Int32Array;
  private readonly papers: Int32Array;
  /** Per phrase asked about: the papers using each of its words (anywhere in the text). */
  private readonly wordMatches = new Map<number, Int32Array>();

  constructor(
    documents: readonly Int32Array[],
    private readonly vocabulary: Vocabulary,
  ) {
    const terms = vocabulary.keys.length;
    this.offsets = new Int32Array(terms + 1);
    for (const document of documents) for (const term of document) this.offsets[term + 1]!++;
    for (let term = 0; term < terms; term++) this.offsets[term + 1]! += this.offsets[term]!;
    this.papers = new Int32Array(this.offsets[terms]!);
    const next = this.offsets.slice(0, terms);
    documents.forEach((document, paper) => {
      for (const term of document) this.papers[next[term]!++] = paper;
    });
  }

  of(term: number): Int32Array {
    return this.papers.subarray(this.offsets[term]!, this.offsets[term + 1]!);
  }

  /** The papers a text search for the term's words finds: those using all of them, in any order. */
  matches(term: number): Int32Array {
    const words = this.vocabulary.keys[term]!.split(' ');
    if (words.length === 1) return this.of(term);
    let papers = this.wordMatches.get(term);
    if (!papers) {
      const lists = words
        .map((word) => this.vocabulary.ids.get(word))
        .filter((id) => id !== undefined)
        .map((id) => this.of(id));
      papers = lists.length === 0 ? this.of(term) : lists.reduce(intersect);
      this.wordMatches.set(term, papers);
    }
    return papers;
  }
}

/**
 * How well a label's words pick out its cluster, as a reader's text search for them would: of the
 * papers that use every word of the chosen terms, the share in the cluster, and how many of the
 * cluster's papers that is. A label whose words many other papers share names the field, not the topic.
 */
class LabelPrecision {
  /** Figures already worked out, by the terms' ids joined. */
  private readonly figures = new Map<string, [number, number]>();
  /** Papers using every word of the chosen terms so far, by their ids joined. */
  private readonly conjunctions = new Map<string, Int32Array>();
  /** Per term: those of its papers in the cluster. */
  private readonly inClusterOf = new Map<number, Int32Array>();
  /**
   * @param labels the level's cluster of each paper
   * @param size how many papers the cluster holds
   */
  constructor(
    private readonly postings: TermPostings,
    private readonly labels: Int32Array,
    private readonly cluster: number,
    private readonly size: number,
  ) {}

  /**
   * How far two terms are used by the same papers of the cluster: the share of the rarer one's papers
   * that use the other too. A broad cluster's label should name several of its parts, not one twice.
   */
  overlap(a: number, b: number): number {
    const first = this.inCluster(a);
    const second = this.inCluster(b);
    const smaller = Math.min(first.length, second.length);
    return smaller === 0 ? 0 : countBoth(first, second) / smaller;
  }

  /** [share in the cluster, share of the cluster] of the papers using every word of `terms`. */
  of(terms: readonly number[]): [number, number] {
    const key = terms.join(' ');
    let figures = this.figures.get(key);
    if (!figures) {
      const own = this.postings.matches(terms[terms.length - 1]!);
      let both = 0;
      let inCluster = 0;
      if (terms.length === 1) {
        both = own.length;
        for (const paper of own) if (this.labels[paper] === this.cluster) inCluster++;
      }
      const before = terms.length > 1 ? this.conjunction(terms.slice(0, -1)) : [];
      // Papers in both ascending lists, merged without building their intersection.
      for (let i = 0, j = 0; i < before.length && j < own.length;) {
        if (before[i]! < own[j]!) i++;
        else if (before[i]! > own[j]!) j++;
        else {
          both++;
          if (this.labels[own[j]!] === this.cluster) inCluster++;
          i++;
          j++;
        }
      }
      figures = both === 0 ? [0, 0] : [inCluster / both, inCluster / Math.max(1, this.size)];
      this.figures.set(key, figures);
    }
    return figures;
  }

  private conjunction(terms: readonly number[]): Int32Array {
    const key = terms.join(' ');
    let papers = this.conjunctions.get(key);
    if (!papers) {
      papers = terms
        .map((term) => this.postings.matches(term))
        .reduce((before, own) => intersect(before, own));
      this.conjunctions.set(key, papers);
    }
    return papers;
  }

  private inCluster(term: number): Int32Array {
    let papers = this.inClusterOf.get(term);
    if (!papers) {
      papers = this.postings.matches(term).filter((paper) => this.labels[paper] === this.cluster);
      this.inClusterOf.set(term, papers);
    }
    return papers;
  }
}

/** How many values two ascending lists share. */
function countBoth(a: Int32Array, b: Int32Array): number {
  let count = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      count++;
      i++;
      j++;
    }
  }
  return count;
}

/** The values in both ascending lists. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const both = new Int32Array(Math.min(a.length, b.length));
  let count = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      both[count++] = a[i]!;
      i++;
      j++;
    }
  }
  return both.subarray(0, count);
}

/** Each cluster's papers, ascending, from one level's assignment. */
function clusterMembers(labels: Int32Array): Map<number, Int32Array> {
  const lists = new Map<number, number[]>();
  labels.forEach((cluster, paper) => {
    if (cluster < 0) return;
    const list = lists.get(cluster);
    if (list) list.push(paper);
    else lists.set(cluster, [paper]);
  });
  return new Map([...lists].map(([cluster, papers]) => [cluster, Int32Array.from(papers)]));
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
    fragment: new Uint8Array(0),
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
  /**
   * Each word of a phrase is shown as the phrase mostly writes it ("graph networks", not "graph
   * network"): `variants` of the phrase's `occurrences` write the word unlike its key.
   */
  const shownForm = (id: number, variants: number, occurrences: number) =>
    2 * variants > occurrences
      ? mostFrequent(wordForms.get(id) ?? new Map([[wordKeys[id]!, 1]]))
      : wordKeys[id]!;
  for (let phrase = 0; phrase < phrases.size; phrase++) {
    if (phraseFrequency.of(phrase) < threshold) continue;
    const first = phrases.first(phrase);
    const second = phrases.second(phrase);
    const occurrences = phraseOccurrences[phrase]!;
    phraseTerm[phrase] = addTerm(
      `${wordKeys[first]} ${wordKeys[second]}`,
      `${shownForm(first, phraseFirstVariants[phrase]!, occurrences)} ${shownForm(second, phraseSecondVariants[phrase]!, occurrences)}`,
      true,
    );
  }
  // Three-word phrases ("graph neural networks", "partial differential equations"): runs where both
  // overlapping two-word phrases are terms. Each is counted under (its first two words' phrase, its
  // third word).
  const triples = new PairTable();
  const tripleFrequency = new TextCounts();
  let tripleOccurrences = new Int32Array(1024);
  let tripleVariants = [new Int32Array(1024), new Int32Array(1024), new Int32Array(1024)];
  /**
   * Calls `visit` with each run of three words of a text whose two overlapping phrases are terms: the
   * phrase id of its first two words, its third word, and the three words' codes.
   */
  const forEachTriple = (
    codes: Int32Array,
    visit: (head: number, third: number, first: number, second: number, thirdCode: number) => void,
  ) => {
    let beforePrevious = -1;
    let previous = -1;
    /** The phrase of the two words before, where it is a term. */
    let previousPhrase = -1;
    for (const code of codes) {
      const id = code >> 2;
      if (!frequentWord(id)) {
        previous = previousPhrase = -1;
        continue;
      }
      let phrase = -1;
      if (previous >= 0 && code & 2) {
        const found = phrases.find(previous >> 2, id);
        if (found >= 0 && phraseTerm[found]! >= 0) phrase = found;
      }
      if (phrase >= 0 && previousPhrase >= 0)
        visit(previousPhrase, id, beforePrevious, previous, code);
      previousPhrase = phrase;
      beforePrevious = previous;
      previous = code;
    }
  };
  encoded.forEach((codes, textIndex) => {
    forEachTriple(codes, (head, third, first, second, thirdCode) => {
      const triple = triples.idOf(head, third);
      if (triple >= tripleOccurrences.length) {
        tripleOccurrences = grown(tripleOccurrences, 0);
        tripleVariants = tripleVariants.map((variants) => grown(variants, 0));
      }
      tripleOccurrences[triple]!++;
      tripleVariants[0]![triple]! += first & 1;
      tripleVariants[1]![triple]! += second & 1;
      tripleVariants[2]![triple]! += thirdCode & 1;
      tripleFrequency.add(triple, textIndex);
    });
  });
  const tripleTerm = new Int32Array(triples.size).fill(-1);
  const subsumed: number[] = [];
  for (let triple = 0; triple < triples.size; triple++) {
    const frequency = tripleFrequency.of(triple);
    if (frequency < threshold) continue;
    const head = triples.first(triple);
    const words = [phrases.first(head), phrases.second(head), triples.second(triple)];
    const occurrences = tripleOccurrences[triple]!;
    tripleTerm[triple] = addTerm(
      words.map((id) => wordKeys[id]).join(' '),
      words.map((id, k) => shownForm(id, tripleVariants[k]![triple]!, occurrences)).join(' '),
      true,
    );
    // A two-word phrase mostly written inside this one ("graph neural") is a fragment of it.
    const tail = phrases.find(words[1]!, words[2]!);
    for (const phrase of [head, tail]) {
      if (frequency >= FRAGMENT_SHARE * phraseFrequency.of(phrase)) {
        subsumed.push(phraseTerm[phrase]!);
      }
    }
  }
  vocabulary.isPhrase = Uint8Array.from(isPhrase);
  vocabulary.fragment = new Uint8Array(vocabulary.keys.length);
  for (const term of subsumed) vocabulary.fragment[term] = 1;
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
    forEachTriple(codes, (head, third) => {
      const triple = triples.find(head, third);
      const term = triple < 0 ? -1 : tripleTerm[triple]!;
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
    const preference = vocabulary.isPhrase[term] ? PHRASE_PREFERENCE : 1;
    values[index++] = score * preference;
  }
  // A native numeric sort finds the cut-off score; only terms at or above it get the full comparison.
  const cutoff =
    values.length > RANKED_TERMS ? values.slice().sort()[values.length - RANKED_TERMS]! : -Infinity;
  const ranked: RankedTerm[] = [];
  index = 0;
  for (const term of scores.keys()) {
    const score = values[index++]!;
    if (score >= cutoff && !vocabulary.fragment[term]) ranked.push({ term, score });
  }
  return ranked.sort(
    (a, b) => b.score - a.score || (vocabulary.keys[a.term]! < vocabulary.keys[b.term]! ? -1 : 1),
  );
}

/**
 * The label's terms, then the best other terms that read as noun phrases, skipping any whose words all
 * appear in terms already listed ("graph" after "graph networks").
 */
function chooseKeywords(
  ranked: RankedTerm[],
  vocabulary: Vocabulary,
  count: number,
  labelTerms: readonly number[],
  rules: LabelRules,
): string[] {
  const keywords: string[] = [];
  const listedWords = new Set<string>();
  const list = (term: number) => {
    keywords.push(vocabulary.surfaces[term]!);
    for (const word of vocabulary.keys[term]!.split(' ')) listedWords.add(word);
  };
  labelTerms.forEach(list);
  for (const { term } of ranked.slice(0, CANDIDATES)) {
    if (keywords.length >= count) break;
    const words = vocabulary.keys[term]!.split(' ');
    if (words.every((word) => listedWords.has(word))) continue;
    if (words.length === 1 && !standsAlone(vocabulary.surfaces[term]!)) continue;
    if (rules.readsAsNounPhrase(term, KEYWORD_PAPERS_TAGGED)) list(term);
  }
  return keywords;
}

function standsAlone(word: string): boolean {
  return (
    [...word].length >= SHORTEST_WORD_TERM &&
    !GENERIC_WORDS.has(word) &&
    !GENERIC_WORDS.has(foldPlural(word))
  );
}

/** What a label may hold, besides its own terms' quality. */
interface LabelRules {
  /** The parent's label terms: a child never repeats its parent's label. */
  parentTerms: readonly number[];
  /** Terms a sibling's label holds. */
  siblingTerms: ReadonlySet<number>;
  /** Whether a term reads as a noun phrase in the cluster's papers. */
  readsAsNounPhrase: (term: number, tagging?: number) => boolean;
  precision: LabelPrecision;
  /** The cluster has clusters inside it: its label should name several of its parts. */
  broad: boolean;
  /** Where the map has a neural embedder: what its terms mean (`TermMeaning`), for this cluster. */
  meaning?: {
    /** How much nearer the term is to the cluster's centroid than to a sibling's, in cosine. */
    contrast(term: number): number;
    /** Cosine of two terms' vectors. */
    similarity(a: number, b: number): number;
  };
}

/** Whether one term's words all stand in the other's ("speech" and "speech recognition"). */
function nested(a: readonly string[], b: readonly string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  return shorter.every((word) => longer.includes(word));
}

/** Acronyms are short: a longer word spelt by a phrase's initials is a coincidence. */
const LONGEST_ACRONYM = 6;
/** Two words this long that agree on most of their length are forms of one word ("segment", "segmentation"). */
const SHARED_STEM = 5;
const SHARED_STEM_SHARE = 0.7;

/**
 * Whether one term is the other's acronym: a single word spelt by the initials of the other's words
 * and hyphenated parts ("rag", "retrieval-augmented generation"), or by one letter more ("llm",
 * "language models"): kin that an embedding may not see (MiniLM puts "llms" and "language models" at
 * cosine 0.16).
 */
export function abbreviates(a: readonly string[], b: readonly string[]): boolean {
  const [acronym, phrase] = a.length === 1 ? [a[0]!, b] : b.length === 1 ? [b[0]!, a] : ['', []];
  if (phrase.length < 2 || acronym.length < 2 || acronym.length > LONGEST_ACRONYM) return false;
  const initials = phrase.flatMap((word) => word.split('-').map((part) => part[0])).join('');
  return (
    initials.length >= 2 && acronym.endsWith(initials) && acronym.length <= initials.length + 1
  );
}

function sameStem(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common >= SHARED_STEM && common >= SHARED_STEM_SHARE * Math.min(a.length, b.length);
}

/**
 * The label's terms: two or three noun phrases among the cluster's best, picked by maximal marginal
 * relevance (c-TF-IDF against spelling kinship, so "segmentation" does not follow "segment anything"),
 * sharing no word with each other or any term with a sibling's label, and not only repeating words of
 * the parent's label ("extraction" under "information extraction", but not "relation extraction").
 * Where that leaves fewer than two terms, the parent's words are allowed in new terms.
 */
function composeLabel(ranked: RankedTerm[], vocabulary: Vocabulary, rules: LabelRules): number[] {
  const pool = ranked.slice(0, CANDIDATES);
  if (pool.length === 0) return [];
  const top = pool[0]!.score;
  const relevance = Float64Array.from(pool, ({ score }) => score / top);
  const wordsOf = pool.map(({ term }) => vocabulary.keys[term]!.split(' '));
  /** Words with their hyphenated parts: "attention" is a word of "self-attention layer" too. */
  const partsOf = wordsOf.map((words) => [
    ...new Set(words.flatMap((word) => [word, ...word.split('-')])),
  ]);
  const sameWord = (a: number, b: number) =>
    wordsOf[a]!.some((word) => wordsOf[b]!.some((other) => sameStem(word, other)));
  const { meaning } = rules;
  const meaningSimilarity = (a: number, b: number) =>
    meaning ? Math.max(0, meaning.similarity(pool[a]!.term, pool[b]!.term)) : 0;
  const similarity = (a: number, b: number) =>
    sameWord(a, b)
      ? 1
      : Math.max(
          rules.broad ? rules.precision.overlap(pool[a]!.term, pool[b]!.term) : 0,
          meaningSimilarity(a, b),
        );
  // By meaning, a term weighs exp(sharpness × its contrast's shortfall from the pool's best): a tenth
  // of cosine lower costs it a third; a term nearer a sibling's centroid than its own falls far.
  const contrasts = meaning ? pool.map(({ term }) => meaning.contrast(term)) : [];
  const bestContrast = Math.max(...contrasts);
  const meaningWeight = (k: number) =>
    meaning ? Math.exp(MEANING_SHARPNESS * (contrasts[k]! - bestContrast)) : 1;
  const parentWords = new Set(
    rules.parentTerms.flatMap((term) => vocabulary.keys[term]!.split(' ')),
  );
  /** The words of each sibling's term: a label holds none of them, nor a part or an extension of one. */
  const siblingWords = [...rules.siblingTerms].map((term) => vocabulary.keys[term]!.split(' '));
  const terms = (chosen: readonly number[]) => chosen.map((c) => pool[c]!.term);
  /**
   * c-TF-IDF, weighed by how precisely the label's words would find the cluster with this term added
   * (a broad cluster's terms each name a different part, so each is weighed alone).
   */
  const labelRelevance = (k: number, chosen: readonly number[]) => {
    const searched = rules.broad ? [pool[k]!.term] : [...terms(chosen), pool[k]!.term];
    const [precision, coverage] = rules.precision.of(searched);
    if (coverage < FEWEST_COVERED) return -Infinity;
    return relevance[k]! * precision ** PRECISION_WEIGHT * meaningWeight(k);
  };
  /** `avoid`: whose terms the label may not hold. */
  const pick = (strict: boolean, avoid: 'related' | 'parent' | 'none' = 'related'): number[] =>
    maximalMarginalRelevance(pool.length, labelRelevance, similarity, {
      count: 3,
      lambda: MMR_LAMBDA,
      allowed: (k, chosen) => {
        const { term } = pool[k]!;
        const words = wordsOf[k]!;
        const parts = partsOf[k]!;
        if (chosen.some((c) => partsOf[c]!.some((part) => parts.includes(part)))) return false;
        if (chosen.some((c) => abbreviates(wordsOf[c]!, wordsOf[k]!))) return false;
        // Near-synonyms by meaning ("galaxies", "galactic") are as redundant as two forms of a word.
        if (chosen.some((c) => meaningSimilarity(c, k) >= NEAR_SYNONYM_COSINE)) return false;
        if (words.length === 1 && !standsAlone(vocabulary.surfaces[term]!)) return false;
        if (avoid === 'related' && siblingWords.some((taken) => nested(taken, words))) return false;
        if (avoid !== 'none' && rules.parentTerms.includes(term)) return false;
        if (strict && words.every((word) => parentWords.has(word))) return false;
        return rules.readsAsNounPhrase(term);
      },
      stop: (k, _score, chosen) => {
        if (chosen.length < 2) return false;
        const length = [...chosen, k]
          .map((c) => vocabulary.surfaces[pool[c]!.term]!)
          .join(SEPARATOR).length;
        const weighed = (c: number) => pool[c]!.score * meaningWeight(c);
        return weighed(k) < THIRD_TERM_SHARE * weighed(chosen[1]!) || length > LONGEST_LABEL;
      },
    })
      // Shown best first by c-TF-IDF: the lead term, all a crowded map has room for, names the topic.
      .map(({ index }) => index)
      .sort((a, b) => a - b)
      .map((index) => pool[index]!.term);
  const strict = pick(true);
  if (strict.length >= 2 || (parentWords.size === 0 && strict.length > 0)) return strict;
  const relaxed = pick(false);
  const best = relaxed.length > strict.length ? relaxed : strict;
  if (best.length > 0) return best;
  // Every term of the cluster is its parent's or a sibling's (children that are most of their parent):
  // a term a sibling has too, else its own best terms, short of repeating the parent's label whole
  // where it has more than one.
  const shared = pick(false, 'parent');
  if (shared.length > 0) return shared;
  const own = pick(false, 'none');
  const repeatsParent =
    own.length === rules.parentTerms.length &&
    own.every((term) => rules.parentTerms.includes(term));
  return repeatsParent && own.length > 1 ? own.slice(0, -1) : own;
}
