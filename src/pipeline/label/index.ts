/**
 * Cluster labels from class-based TF-IDF (c-TF-IDF, after BERTopic): each cluster's papers are pooled
 * into one class, and a term scores high where many of the class's papers use it and the rest of the
 * corpus uses it much less.
 * Terms are single words and two-word phrases; a label takes two or three distinct terms, preferring
 * phrases, never repeating a word, and steering away from the parent cluster's label.
 */
import { AtlasError } from '../../lib/errors.ts';
import type { ClusterHierarchy } from '../cluster/index.ts';
import { GENERIC_WORDS } from './stop-words.ts';
import { extractTerms, termKey } from './terms.ts';

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

export function labelClusters(
  texts: string[],
  hierarchy: ClusterHierarchy,
  options: LabelOptions = {},
): ClusterLabel[] {
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
  }
  const keywordsPerCluster = options.keywordsPerCluster ?? DEFAULT_KEYWORDS;
  const { vocabulary, documents } = indexDocuments(texts);
  const corpus = corpusFrequencies(documents, vocabulary.keys.length);
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
    for (const id of ids) {
      const ranked = rankTerms(scores.get(id)!, vocabulary);
      const node = nodeById.get(id)!;
      const parent = node.parent === null ? undefined : nodeById.get(node.parent);
      // A child that is nearly all of its parent is the same group of papers: it keeps its own best terms.
      const distinctFromParent = parent !== undefined && node.size < SAME_GROUP_SHARE * parent.size;
      const parentLabel = distinctFromParent ? labels.get(parent.id) : undefined;
      labels.set(id, {
        id,
        label: composeLabel(ranked, vocabulary, parentLabel?.label) || `Cluster ${id}`,
        keywords: chooseKeywords(ranked, vocabulary, keywordsPerCluster),
      });
    }
  }
  return hierarchy.nodes.map((node) => labels.get(node.id)!);
}

/** Each document as its distinct term ids; terms found in only one document are dropped. */
function indexDocuments(texts: string[]): { vocabulary: Vocabulary; documents: Int32Array[] } {
  const documentFrequency = new Map<string, number>();
  const surfaceCounts = new Map<string, Map<string, number>>();
  const perDocument = texts.map((text) => {
    const keys = new Set<string>();
    for (const { key, surface } of extractTerms(text)) {
      keys.add(key);
      let forms = surfaceCounts.get(key);
      if (!forms) surfaceCounts.set(key, (forms = new Map()));
      forms.set(surface, (forms.get(surface) ?? 0) + 1);
    }
    for (const key of keys) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
    return keys;
  });
  const vocabulary: Vocabulary = {
    ids: new Map(),
    keys: [],
    surfaces: [],
    isPhrase: new Uint8Array(0),
  };
  const phrase: number[] = [];
  for (const [key, frequency] of documentFrequency) {
    if (frequency < 2) continue;
    vocabulary.ids.set(key, vocabulary.keys.length);
    vocabulary.keys.push(key);
    vocabulary.surfaces.push(mostFrequent(surfaceCounts.get(key)!));
    phrase.push(key.includes(' ') ? 1 : 0);
  }
  vocabulary.isPhrase = Uint8Array.from(phrase);
  const documents = perDocument.map((keys) => {
    const ids: number[] = [];
    for (const key of keys) {
      const id = vocabulary.ids.get(key);
      if (id !== undefined) ids.push(id);
    }
    return Int32Array.from(ids);
  });
  return { vocabulary, documents };
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

function rankTerms(scores: Map<number, number>, vocabulary: Vocabulary): RankedTerm[] {
  const ranked: RankedTerm[] = [];
  for (const [term, score] of scores) {
    ranked.push({ term, score: vocabulary.isPhrase[term] ? score * PHRASE_PREFERENCE : score });
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
 * extraction") while enough other terms remain.
 */
function composeLabel(
  ranked: RankedTerm[],
  vocabulary: Vocabulary,
  parentLabel: string | undefined,
): string {
  const parentWords = new Set(
    (parentLabel ?? '')
      .split(SEPARATOR)
      .flatMap((term) => term.split(' ').map(termKey))
      .filter(Boolean),
  );
  const pick = (avoidParent: boolean): RankedTerm[] => {
    const chosen: RankedTerm[] = [];
    const usedWords = new Set<string>();
    for (const candidate of ranked) {
      const words = vocabulary.keys[candidate.term]!.split(' ');
      if (words.some((word) => usedWords.has(word))) continue;
      if (words.length === 1 && !standsAlone(vocabulary.surfaces[candidate.term]!)) continue;
      if (avoidParent && words.every((word) => parentWords.has(word))) continue;
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
  let chosen = parentWords.size > 0 ? pick(true) : [];
  if (chosen.length < 2) chosen = pick(false);
  return chosen.map(({ term }) => vocabulary.surfaces[term]!).join(SEPARATOR);
}
