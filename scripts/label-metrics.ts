/**
 * The label figures of `npm run bench:labels`, for any labeller's output on a mapped corpus: the share of
 * label terms that do not read as noun phrases, retrieval precision through the app's own text search,
 * and sibling overlap. See scripts/bench-labels.ts for their definitions.
 */
import type { ClusterHierarchy } from '../src/pipeline/cluster/index.ts';
import type { ClusterLabel } from '../src/pipeline/label/index.ts';
import {
  isNounPhrase,
  tagContentWords,
  type TaggedWords,
} from '../src/pipeline/label/noun-phrases.ts';
import { ContentWordReader } from '../src/pipeline/label/terms.ts';
import type { TextSearch } from '../src/view/model/text-search.ts';

const SEPARATOR = ' · ';
/** Uses of a term the tagger reads (as the "majority reading" asks)… */
const TAGGED_USES = 20;
/** …found among this many of the first papers that use it. */
const USERS_LOOKED_AT = 60;

export interface LabelScores {
  nonNounShare: number;
  retrievalPrecision: number;
  siblingOverlap: number;
  /** Label terms that do not read as noun phrases. */
  nonNounTerms: string[];
}

/** A label's terms; a "Cluster 12" placeholder has none. */
const termsOf = (label: string) => (label.startsWith('Cluster ') ? [] : label.split(SEPARATOR));

/** Where the word sequence `key` starts in a text's words, as one phrase (each word joining the last). */
function occurrences(words: readonly number[], joins: readonly boolean[], key: readonly number[]) {
  const starts: number[] = [];
  for (let i = 0; i + key.length <= words.length; i++) {
    if (key.every((word, k) => words[i + k] === word && (k === 0 || joins[i + k]))) starts.push(i);
  }
  return starts;
}

export function scoreLabels(
  texts: string[],
  hierarchy: ClusterHierarchy,
  labels: ClusterLabel[],
  search: TextSearch,
): LabelScores {
  // One reader numbers the words of the texts and of the label terms alike.
  const reader = new ContentWordReader();
  const read = (text: string) => {
    const words: number[] = [];
    const joins: boolean[] = [];
    reader.read(text, (word, _variant, joinsPrevious) => {
      words.push(word);
      joins.push(joinsPrevious);
    });
    return { words, joins };
  };
  const textWords = texts.map(read);
  const allTerms = [...new Set(labels.flatMap((label) => termsOf(label.label)))];
  const termWords = new Map(allTerms.map((term) => [term, read(term).words]));
  const termKey = (term: string) => termWords.get(term)!.join(' ');

  const tagged = new Map<number, TaggedWords | null>();
  const tag = (paper: number) => {
    if (!tagged.has(paper)) tagged.set(paper, tagContentWords(reader, texts[paper]!));
    return tagged.get(paper)!;
  };
  /** The tagger's majority reading of the term over its first uses; a term no paper uses is read alone. */
  const readsAsNounPhrase = (term: string): boolean => {
    const key = termWords.get(term)!;
    if (key.length === 0) return false;
    let yes = 0;
    let no = 0;
    let users = 0;
    for (let paper = 0; paper < texts.length && users < USERS_LOOKED_AT; paper++) {
      if (yes + no >= TAGGED_USES) break;
      const { words, joins } = textWords[paper]!;
      if (occurrences(words, joins, key).length === 0) continue;
      users++;
      const reading = tag(paper);
      if (!reading) continue;
      for (const start of occurrences(reading.words, reading.joinsPrevious, key)) {
        if (isNounPhrase(reading.classes.slice(start, start + key.length))) yes++;
        else no++;
      }
    }
    if (yes + no === 0) {
      const alone = tagContentWords(reader, term);
      return alone !== null && isNounPhrase(alone.classes);
    }
    return yes >= no;
  };
  const nounPhrase = new Map(allTerms.map((term) => [term, readsAsNounPhrase(term)]));
  let termCount = 0;
  const nonNounTerms = new Set<string>();
  let nonNoun = 0;
  for (const label of labels) {
    for (const term of termsOf(label.label)) {
      termCount++;
      if (nounPhrase.get(term)) continue;
      nonNoun++;
      nonNounTerms.add(term);
    }
  }

  const labelOf = new Map(labels.map((label) => [label.id, label.label]));
  const finest = hierarchy.levels.length - 1;
  const members = hierarchy.levels[finest]!;
  let weighted = 0;
  let weight = 0;
  for (const node of hierarchy.nodes) {
    if (node.level !== finest) continue;
    const query = termsOf(labelOf.get(node.id)!).join(' ');
    const hits = query ? search.query(query, node.size) : [];
    const inTopic = hits.filter((hit) => members[hit.index] === node.id).length;
    weighted += node.size * (hits.length > 0 ? inTopic / hits.length : 0);
    weight += node.size;
  }

  // Siblings: the clusters of a level with the same parent (all of the broadest level are siblings).
  const groups = new Map<string, number[]>();
  for (const node of hierarchy.nodes) {
    const group = `${node.level}:${node.parent ?? ''}`;
    groups.set(group, [...(groups.get(group) ?? []), node.id]);
  }
  let overlap = 0;
  for (const group of groups.values()) {
    const termSets = group.map((id) => new Set(termsOf(labelOf.get(id)!).map(termKey)));
    for (let a = 0; a < termSets.length; a++) {
      for (let b = a + 1; b < termSets.length; b++) {
        if ([...termSets[a]!].some((term) => termSets[b]!.has(term))) overlap++;
      }
    }
  }
  return {
    nonNounShare: termCount ? nonNoun / termCount : 0,
    retrievalPrecision: weight ? weighted / weight : 0,
    siblingOverlap: overlap,
    nonNounTerms: [...nonNounTerms],
  };
}
