/**
 * Cluster labels from class-based TF-IDF (c-TF-IDF, after BERTopic): each cluster's papers are pooled
 * into one class, and a term scores high where many of the class's papers use it and the rest of the
 * corpus uses it much less.
 * Terms are single words and two-word phrases; a label takes two or three distinct terms, preferring
 * phrases, never repeating a word, and steering away from the parent cluster's label.
 */
import { AtlasError, throwIfCancelled } from '../../lib/errors.ts';
import { nextTask } from '../../lib/scheduling.ts';
import type { ClusterHierarchy } from '../cluster/index.ts';
import type { RunOptions } from '../types.ts';
import { GENERIC_WORDS } from './stop-words.ts';
import { extractWords, termKey } from './terms.ts';

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
 * cancellation and post progress on large corpora.
 */
export async function labelClustersAsync(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions & RunOptions = {},
): Promise<ClusterLabel[]> {
  const { signal, onProgress } = options;
  const steps = labelSteps(texts, hierarchy, options);
  for (;;) {
    throwIfCancelled(signal);
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.({ stage: 'labelling', done: step.value, total: texts.length + 1 });
    await nextTask(signal);
  }
}

/** The labelling work; yields the number of texts done after each batch. */
function* labelSteps(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions,
): Generator<number, ClusterLabel[]> {
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
  const keywordsPerCluster = options.keywordsPerCluster ?? DEFAULT_KEYWORDS;
  const { vocabulary, documents } = yield* indexDocuments(texts);
  const corpus = corpusFrequencies(documents, vocabulary.keys.length);
  yield n;
  const counts = classCounts(hierarchy, documents);
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
  const wordIds = new Map<string, number>();
  const wordKeys: string[] = [];
  const wordFrequency: number[] = [];
  const wordOccurrences: number[] = [];
  /** Written forms other than the key itself ("networks" for "network"), counted where they occur. */
  const wordForms = new Map<number, Map<string, number>>();
  /** The last text each word was counted for, so document frequency counts a text once. */
  const lastText: number[] = [];
  // Per text, each content word as id × 4 + 2 if it joins the word before + 1 if written unlike its key.
  const encoded: Int32Array[] = [];
  for (let textIndex = 0; textIndex < texts.length; textIndex++) {
    if (textIndex > 0 && textIndex % TEXTS_PER_BATCH === 0) yield textIndex;
    const words = extractWords(texts[textIndex]!);
    const codes = new Int32Array(words.length);
    for (let index = 0; index < words.length; index++) {
      const { key, surface, joinsPrevious } = words[index]!;
      let id = wordIds.get(key);
      if (id === undefined) {
        id = wordKeys.length;
        wordIds.set(key, id);
        wordKeys.push(key);
        wordFrequency.push(0);
        wordOccurrences.push(0);
        lastText.push(-1);
      }
      wordOccurrences[id]!++;
      if (lastText[id] !== textIndex) {
        lastText[id] = textIndex;
        wordFrequency[id]!++;
      }
      const variant = surface === key ? 0 : 1;
      if (variant) {
        let forms = wordForms.get(id);
        if (!forms) wordForms.set(id, (forms = new Map()));
        forms.set(surface, (forms.get(surface) ?? 0) + 1);
      }
      codes[index] = id * 4 + (joinsPrevious ? 2 : 0) + variant;
    }
    encoded.push(codes);
  }

  const wordCount = wordKeys.length;
  const frequentWord = (id: number) => wordFrequency[id]! >= threshold;
  /** Calls `visit` with each distinct term code of a text: a word id, or wordCount + first × wordCount + second. */
  const forEachTerm = (
    codes: Int32Array,
    visit: (
      term: number,
      firstVariant: number,
      secondVariant: number,
      firstWord: number,
      secondWord: number,
    ) => void,
  ) => {
    let previous = -1;
    for (const code of codes) {
      const id = code >> 2;
      if (!frequentWord(id)) {
        previous = -1;
        continue;
      }
      visit(id, code & 1, 0, id, -1);
      if (previous >= 0 && code & 2) {
        const first = previous >> 2;
        visit(wordCount + first * wordCount + id, previous & 1, code & 1, first, id);
      }
      previous = code;
    }
  };

  // Most phrases are rare. A count-min sketch of phrase occurrences (an upper bound on their document
  // frequency) screens them out first, so only phrases that may reach the threshold get exact counts.
  const sketch = new PhraseSketch();
  for (const codes of encoded) {
    forEachTerm(codes, (term, _first, _second, firstWord, secondWord) => {
      if (term >= wordCount) sketch.add(firstWord, secondWord);
    });
  }
  const phraseFrequency = new Map<number, number>();
  const phraseOccurrences = new Map<number, number>();
  const phraseFirstVariants = new Map<number, number>();
  const phraseSecondVariants = new Map<number, number>();
  const termsSeen = new Set<number>();
  for (const codes of encoded) {
    termsSeen.clear();
    forEachTerm(codes, (term, firstVariant, secondVariant, firstWord, secondWord) => {
      if (term < wordCount || sketch.estimate(firstWord, secondWord) < threshold) return;
      phraseOccurrences.set(term, (phraseOccurrences.get(term) ?? 0) + 1);
      if (firstVariant) phraseFirstVariants.set(term, (phraseFirstVariants.get(term) ?? 0) + 1);
      if (secondVariant) phraseSecondVariants.set(term, (phraseSecondVariants.get(term) ?? 0) + 1);
      if (!termsSeen.has(term)) {
        termsSeen.add(term);
        phraseFrequency.set(term, (phraseFrequency.get(term) ?? 0) + 1);
      }
    });
  }

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
  const termIds = new Map<number, number>();
  const phrase: number[] = [];
  const addTerm = (term: number, key: string, surface: string, isPhrase: boolean) => {
    termIds.set(term, vocabulary.keys.length);
    vocabulary.ids.set(key, vocabulary.keys.length);
    vocabulary.keys.push(key);
    vocabulary.surfaces.push(surface);
    phrase.push(isPhrase ? 1 : 0);
  };
  for (let id = 0; id < wordCount; id++) {
    if (frequentWord(id)) addTerm(id, wordKeys[id]!, commonForm(id), false);
  }
  for (const [term, frequency] of phraseFrequency) {
    if (frequency < threshold) continue;
    const first = Math.floor((term - wordCount) / wordCount);
    const second = (term - wordCount) % wordCount;
    const occurrences = phraseOccurrences.get(term)!;
    // Each word of a phrase is shown as the phrase mostly writes it ("graph networks", not "graph network").
    const form = (id: number, variants: number) =>
      2 * variants > occurrences
        ? mostFrequent(wordForms.get(id) ?? new Map([[wordKeys[id]!, 1]]))
        : wordKeys[id]!;
    addTerm(
      term,
      `${wordKeys[first]} ${wordKeys[second]}`,
      `${form(first, phraseFirstVariants.get(term) ?? 0)} ${form(second, phraseSecondVariants.get(term) ?? 0)}`,
      true,
    );
  }
  vocabulary.isPhrase = Uint8Array.from(phrase);
  const documents = encoded.map((codes) => {
    const ids = new Set<number>();
    forEachTerm(codes, (term) => {
      const id = termIds.get(term);
      if (id !== undefined) ids.add(id);
    });
    return Int32Array.from(ids);
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

/**
 * Document frequency of every term in every cluster of every level. A cluster's counts are its
 * children's plus those of its papers that no child holds, so each paper is counted about once.
 */
function classCounts(
  hierarchy: ClusterHierarchy,
  documents: Int32Array[],
): Map<number, Map<number, number>> {
  const counts = new Map<number, Map<number, number>>();
  const childrenOf = new Map<number, number[]>();
  for (const node of hierarchy.nodes) {
    counts.set(node.id, new Map());
    if (node.parent !== null)
      childrenOf.set(node.parent, [...(childrenOf.get(node.parent) ?? []), node.id]);
  }
  const deepest = hierarchy.levels.length - 1;
  for (let level = deepest; level >= 0; level--) {
    const labels = hierarchy.levels[level]!;
    const finer = level < deepest ? hierarchy.levels[level + 1]! : null;
    for (let paper = 0; paper < documents.length; paper++) {
      const cluster = labels[paper]!;
      if (cluster < 0 || (finer && finer[paper]! >= 0)) continue;
      const target = counts.get(cluster)!;
      for (const term of documents[paper]!) target.set(term, (target.get(term) ?? 0) + 1);
    }
    for (const node of hierarchy.nodes) {
      if (node.level !== level) continue;
      const target = counts.get(node.id)!;
      for (const child of childrenOf.get(node.id) ?? []) {
        for (const [term, count] of counts.get(child)!)
          target.set(term, (target.get(term) ?? 0) + count);
      }
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
  counts: Map<number, Map<number, number>>,
  labels: Int32Array,
  corpus: CorpusFrequencies,
): Map<number, Map<number, number>> {
  const papers = new Map<number, number>();
  for (const label of labels) if (label >= 0) papers.set(label, (papers.get(label) ?? 0) + 1);
  const scores = new Map<number, Map<number, number>>();
  for (const id of ids) {
    const size = Math.max(1, papers.get(id) ?? 0);
    const scored = new Map<number, number>();
    for (const [term, count] of counts.get(id)!) {
      const share = count / size;
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
