/**
 * Label terms ranked by meaning, after KeyBERT (Grootendorst 2020) and BERTopic's KeyBERT-inspired
 * representation: each candidate term is embedded with the map's own model and compared with its
 * cluster's centroid in the same space. A term nearer to a sibling's centroid than to its own names
 * the sibling's topic better, however often the cluster writes it; and two terms whose vectors nearly
 * agree ("LLMs", "large language models") are near-synonyms, however differently spelt.
 */
import { AtlasError } from '../../lib/errors.ts';
import type { ClusterHierarchy } from '../cluster/index.ts';

/** What ranking by meaning needs: the papers' vectors and the embedder that made them. */
export interface LabelMeaning {
  /** Each paper's vector (`dim` values, in paper order), as the map was made from. */
  vectors: Float32Array;
  dim: number;
  /** The same embedder on short phrases: `dim` values per phrase, in order. */
  embedPhrases(phrases: string[]): Promise<Float32Array>;
}

/** Cosines of candidate terms with the clusters' centroids, and with each other. */
export class TermMeaning {
  private constructor(
    private readonly dim: number,
    /** Unit centroid of each cluster, by id. */
    private readonly centroids: Map<number, Float32Array>,
    /** The centroids each cluster's terms are told apart from: its siblings', else the corpus's. */
    private readonly rivals: Map<number, Float32Array[]>,
    /** Row of each embedded term in `phraseVectors` (-1: not embedded). */
    private readonly rowOf: Int32Array,
    private readonly phraseVectors: Float32Array,
  ) {}

  /**
   * Embeds `terms` (written as `surfaces`) and works out every cluster's centroid and rivals.
   * @param termCount the vocabulary's size (term ids are below it)
   */
  static async build(
    meaning: LabelMeaning,
    hierarchy: ClusterHierarchy,
    terms: readonly number[],
    surfaces: readonly string[],
    termCount: number,
  ): Promise<TermMeaning> {
    const { vectors, dim } = meaning;
    const papers = hierarchy.levels[0]?.length ?? 0;
    if (vectors.length !== papers * dim) {
      throw new AtlasError(
        'label',
        'length-mismatch',
        `Ranking labels by meaning needs one ${dim}-value vector per paper (${papers}), but ${vectors.length / dim} were given.`,
        { hint: 'Pass the vectors the map was made from, in paper order.' },
      );
    }
    const phraseVectors = await meaning.embedPhrases(terms.map((term) => surfaces[term]!));
    if (phraseVectors.length !== terms.length * dim) {
      throw new AtlasError(
        'label',
        'phrase-vectors',
        `The embedder returned ${phraseVectors.length} values for ${terms.length} phrases of ${dim} dimensions.`,
        { hint: 'Embed the phrases with the model that made the map.' },
      );
    }
    for (let row = 0; row < terms.length; row++) normalise(phraseVectors, row * dim, dim);
    const rowOf = new Int32Array(termCount).fill(-1);
    terms.forEach((term, row) => (rowOf[term] = row));

    const centroids = new Map<number, Float32Array>();
    const corpus = new Float32Array(dim);
    const unit = new Float32Array(dim);
    // Each paper's unit vector, made once, joins its cluster on every level.
    for (let paper = 0; paper < papers; paper++) {
      unit.set(vectors.subarray(paper * dim, (paper + 1) * dim));
      normalise(unit, 0, dim);
      add(corpus, unit);
      for (const labels of hierarchy.levels) {
        const cluster = labels[paper]!;
        if (cluster < 0) continue;
        let sum = centroids.get(cluster);
        if (!sum) centroids.set(cluster, (sum = new Float32Array(dim)));
        add(sum, unit);
      }
    }
    for (const centroid of [...centroids.values(), corpus]) normalise(centroid, 0, dim);
    const rivals = new Map<number, Float32Array[]>();
    for (const node of hierarchy.nodes) {
      const siblings = hierarchy.nodes.filter(
        (other) =>
          other.id !== node.id &&
          other.level === node.level &&
          other.parent === node.parent &&
          centroids.has(other.id),
      );
      rivals.set(
        node.id,
        siblings.length ? siblings.map((sibling) => centroids.get(sibling.id)!) : [corpus],
      );
    }
    return new TermMeaning(dim, centroids, rivals, rowOf, phraseVectors);
  }

  /** Whether the term was embedded. */
  has(term: number): boolean {
    return this.rowOf[term]! >= 0;
  }

  /**
   * How much nearer the term lies to the cluster's centroid than to the nearest rival's (a sibling's,
   * or the corpus's where the cluster has no siblings), in cosine: positive where the term is the
   * cluster's own, negative where it names a sibling better.
   */
  contrast(cluster: number, term: number): number {
    const centroid = this.centroids.get(cluster);
    if (!centroid || !this.has(term)) return 0;
    const own = this.cosine(term, centroid);
    let nearestRival = -1;
    for (const rival of this.rivals.get(cluster) ?? [])
      nearestRival = Math.max(nearestRival, this.cosine(term, rival));
    return own - nearestRival;
  }

  /** Cosine of two embedded terms (0 where either is not embedded). */
  similarity(a: number, b: number): number {
    if (!this.has(a) || !this.has(b)) return 0;
    return this.cosine(a, this.vectorOf(b));
  }

  private vectorOf(term: number): Float32Array {
    const offset = this.rowOf[term]! * this.dim;
    return this.phraseVectors.subarray(offset, offset + this.dim);
  }

  /** Cosine of an embedded term with a unit vector. */
  private cosine(term: number, unit: Float32Array): number {
    const vector = this.vectorOf(term);
    let dot = 0;
    for (let i = 0; i < this.dim; i++) dot += vector[i]! * unit[i]!;
    return dot;
  }
}

function add(sum: Float32Array, vector: Float32Array): void {
  for (let i = 0; i < sum.length; i++) sum[i]! += vector[i]!;
}

/** Scales `values[offset, offset + dim)` to unit length (a zero vector stays zero). */
function normalise(values: Float32Array, offset: number, dim: number): void {
  let norm = 0;
  for (let i = offset; i < offset + dim; i++) norm += values[i]! ** 2;
  if (norm === 0) return;
  const scale = 1 / Math.sqrt(norm);
  for (let i = offset; i < offset + dim; i++) values[i]! *= scale;
}
