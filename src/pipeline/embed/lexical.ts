/**
 * The lexical embedder: TF-IDF (sublinear term frequency, unigrams and bigrams, English and academic
 * boilerplate stop words) → randomized truncated SVD (seeded) → L2 normalisation. It needs no model
 * download, so it is what the app falls back to offline, and it is deterministic for a given seed.
 *
 * The fitted vocabulary, idf and projection are kept, so a search query lands in the same space.
 */
import { throwIfCancelled } from '../../lib/errors.ts';
import { createRandom } from '../../lib/random.ts';
import { rateAndEta } from '../../lib/scheduling.ts';
import type { RunOptions } from '../types.ts';
import type { ComputeHelpers } from '../project/parallel.ts';
import {
  foldPlural,
  forEachWord,
  grown,
  PairTable,
  SpellingTable,
  StringIds,
  TextCounts,
} from '../words.ts';
import {
  runProductsHere,
  runProductsOnThreads,
  SparseProducts,
  type ProductStep,
  type SparseRows,
} from './sparse-products.ts';

export interface LexicalOptions extends RunOptions {
  /** Output dimensions (fewer when the corpus is too small to support them). Default 128. */
  dims?: number;
  seed?: number;
  /** Largest vocabulary kept, by document frequency. Default 12,000. */
  maxFeatures?: number;
  /** Power iterations of the randomized SVD; more is more accurate and slower. Default 1. */
  powerIterations?: number;
}

export interface LexicalModel {
  vocabulary: Map<string, number>;
  idf: Float32Array;
  /** Row-major `vocabulary.size × dim`: maps an L2-normalised tf-idf row to the embedding space. */
  projection: Float32Array;
  dim: number;
}

export interface LexicalEmbedding {
  vectors: Float32Array;
  dim: number;
  model: LexicalModel;
}

export const LEXICAL_MODEL_ID = 'tfidf-svd';
export const DEFAULT_LEXICAL_DIMS = 128;
const OVERSAMPLING = 10;

const ENGLISH_STOP_WORDS =
  'a about above after again against all almost along already also although always am among an and ' +
  'another any are around as at be because been before being below between both but by can cannot ' +
  'could did do does doing done down due during each either else enough especially etc even ever every ' +
  'few for from further had has have having he her here hers herself him himself his how however i if ' +
  'in into is it its itself just least less let like made make makes making many may me might more most ' +
  'much must my myself neither no nor not now of off often on once one only onto or other others ' +
  'otherwise our ours ourselves out over own per perhaps quite rather same several she should since so ' +
  'some such than that the their theirs them themselves then there thereby therefore these they this ' +
  'those though through thus to too toward towards under until up upon us very via was we well were ' +
  'what when where whereas whether which while who whom whose why will with within without would yet ' +
  'you your yours yourself yourselves';

/** Words that appear in nearly every abstract and say nothing about its topic. */
const ACADEMIC_STOP_WORDS =
  'abstract achieve achieved achieves achieving address addresses addressing approach approaches ' +
  'article based best better challenge challenges challenging compared comparable comprehensive ' +
  'conduct conducted consider considered current demonstrate demonstrated demonstrates ' +
  'demonstrating describe described different effective effectively effectiveness efficient ' +
  'efficiently enable enables evaluate evaluated existing experiment experimental experiments ' +
  'extensive extensively finally find findings first further furthermore given good high highly ' +
  'important improve improved improvement improvements improves improving including introduce ' +
  'introduced introduces key large largely lead leads leverage leveraging method methods moreover ' +
  'new novel obtain obtained offer offers outperform outperforming outperforms paper particular ' +
  'particularly performance performs present presented presents previous promising propose proposed ' +
  'proposes provide provided provides question recent recently remain remains report reported ' +
  'research result results reveal second several show showed showing shown shows significant ' +
  'significantly simple state study studies substantially superior technique techniques ' +
  'three two use used uses using various way well work works art';

export const STOP_WORDS: ReadonlySet<string> = new Set(
  `${ENGLISH_STOP_WORDS} ${ACADEMIC_STOP_WORDS}`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}]+/gu;
const DIGITS_ONLY = /^\p{N}+$/u;

/** The term a lower-case word stands for (its plural folded), or null for a stop word, number or letter. */
function lexicalTerm(word: string): string | null {
  if (word.length < 2 || DIGITS_ONLY.test(word) || STOP_WORDS.has(word)) return null;
  const term = foldPlural(word);
  return STOP_WORDS.has(term) ? null : term;
}

/**
 * The terms of a text: content words (stop words, numbers and single letters dropped, plurals folded)
 * and the bigrams of content words that stand next to each other in the text.
 */
export function lexicalTerms(text: string): string[] {
  const terms: string[] = [];
  let previous: string | null = null;
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const term = lexicalTerm(match[0]);
    if (term === null) {
      previous = null;
      continue;
    }
    terms.push(term);
    if (previous !== null) terms.push(`${previous} ${term}`);
    previous = term;
  }
  return terms;
}

/**
 * The corpus's terms as numbers, for fitting: each word is read and folded once per distinct spelling,
 * each text is kept as a run of word ids (-1 where a stop word, number or letter breaks it), and a
 * bigram is a pair of word ids. `lexicalTerms` gives the same terms as strings, one text at a time.
 */
class CorpusTerms {
  private readonly spellings = new SpellingTable();
  /** Word id of each spelling (-1: never a term), by spelling id, for the first `classified` spellings. */
  private spellingWord = new Int32Array(1024);
  private classified = 0;
  private readonly wordIds = new StringIds();
  /** Each word's term, by word id. */
  readonly words = this.wordIds.values;
  readonly texts: Int32Array[] = [];
  readonly pairs = new PairTable();
  private readonly wordTexts = new TextCounts();
  private readonly pairTexts = new TextCounts();
  private readonly ids: number[] = [];
  private previous = -1;

  /** Reads one more text and counts the documents each of its terms appears in. */
  add(text: string): void {
    const lower = text.toLowerCase();
    this.ids.length = 0;
    this.previous = -1;
    forEachWord(lower, false, (start, end, hash) =>
      this.addWord(this.wordId(lower, start, end, hash)),
    );
    this.texts.push(Int32Array.from(this.ids));
  }

  private addWord(id: number): void {
    const index = this.texts.length;
    this.ids.push(id);
    if (id >= 0) {
      this.wordTexts.add(id, index);
      if (this.previous >= 0) this.pairTexts.add(this.pairs.idOf(this.previous, id), index);
    }
    this.previous = id;
  }

  /** Documents that use word `id`. */
  wordFrequency(id: number): number {
    return this.wordTexts.of(id);
  }

  /** Documents that use bigram `pair`. */
  pairFrequency(pair: number): number {
    return this.pairTexts.of(pair);
  }

  pairText(pair: number): string {
    return `${this.words[this.pairs.first(pair)]} ${this.words[this.pairs.second(pair)]}`;
  }

  private wordId(text: string, start: number, end: number, hash: number): number {
    const spellingId = this.spellings.idOf(text, start, end, hash);
    if (spellingId < this.classified) return this.spellingWord[spellingId]!;
    const term = lexicalTerm(this.spellings.spelling(spellingId));
    const id = term === null ? -1 : this.wordIds.idOf(term);
    if (spellingId >= this.spellingWord.length) this.spellingWord = grown(this.spellingWord, 0);
    this.spellingWord[spellingId] = id;
    this.classified = spellingId + 1;
    return id;
  }
}

/**
 * A fitted vocabulary: the term of each column, each word's column (-1: none) and the kept bigrams'
 * columns. The kept bigrams have a table of their own: a few thousand pairs, where the corpus's table
 * holds millions, so reading a text's bigrams back finds them in cache rather than in main memory.
 */
interface FittedVocabulary {
  vocabulary: Map<string, number>;
  wordColumn: Int32Array;
  keptPairs: PairTable;
  /** Column of each kept pair, by its id in `keptPairs`. */
  keptPairColumn: Int32Array;
  documentFrequency: Float64Array;
}

function buildVocabulary(corpus: CorpusTerms, maxFeatures: number): FittedVocabulary {
  const n = corpus.texts.length;
  // A term in one document cannot relate documents; a term in most of them cannot tell them apart.
  const minDocuments = n >= 20 ? 2 : 1;
  const maxDocuments = n >= 20 ? Math.floor(n * 0.5) : n;
  const words = corpus.words.length;
  const pairs = corpus.pairs.size;
  /** Document frequency of term `t`: words first, then bigrams. */
  const frequency = (term: number) =>
    term < words ? corpus.wordFrequency(term) : corpus.pairFrequency(term - words);
  // Sort only the candidates that can make the cut: the df threshold comes from a df histogram.
  const histogram = new Int32Array(maxDocuments + 2);
  for (let term = 0; term < words + pairs; term++) {
    const df = frequency(term);
    if (df >= minDocuments && df <= maxDocuments) histogram[df]!++;
  }
  let threshold = maxDocuments + 1;
  for (let count = 0; threshold > minDocuments && count < maxFeatures;)
    count += histogram[--threshold]!;
  const candidates: { term: number; text: string; df: number }[] = [];
  for (let term = 0; term < words + pairs; term++) {
    const df = frequency(term);
    if (df < threshold || df > maxDocuments) continue;
    const text = term < words ? corpus.words[term]! : corpus.pairText(term - words);
    candidates.push({ term, text, df });
  }
  const kept = candidates
    .sort((a, b) => b.df - a.df || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .slice(0, maxFeatures)
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  const wordColumn = new Int32Array(words).fill(-1);
  const keptPairs = new PairTable();
  const keptPairColumn = new Int32Array(kept.length);
  const documentFrequency = new Float64Array(kept.length);
  kept.forEach(({ term, df }, column) => {
    if (term < words) wordColumn[term] = column;
    else {
      const pair = term - words;
      keptPairColumn[keptPairs.idOf(corpus.pairs.first(pair), corpus.pairs.second(pair))] = column;
    }
    documentFrequency[column] = df;
  });
  return {
    vocabulary: new Map(kept.map(({ text }, column) => [text, column])),
    wordColumn,
    keptPairs,
    keptPairColumn,
    documentFrequency,
  };
}

function computeIdf(documentFrequency: Float64Array, documents: number): Float32Array {
  return Float32Array.from(
    documentFrequency,
    (frequency) => Math.log((1 + documents) / (1 + frequency)) + 1,
  );
}

/**
 * Builds compressed sparse rows of tf-idf weights, a row at a time: `count` each occurrence of a
 * column in the row's text, then `endRow`. Weights are sublinear tf (1 + ln count) × idf,
 * L2-normalised, columns ascending; the norm sums the terms in the order the text first uses them,
 * which fixes its rounding.
 */
class TfIdfRows {
  /** Per column, its count in the current row (0 for the columns the row has not used). */
  private readonly counts: Int32Array;
  /** The current row's columns, in the order of first use. */
  private readonly used: Int32Array;
  private usedCount = 0;
  private columns = new Int32Array(1 << 16);
  private values = new Float32Array(1 << 16);
  private size = 0;
  private readonly rowStart: Int32Array;
  private row = 0;

  constructor(
    private readonly idf: Float32Array,
    private readonly rows: number,
  ) {
    this.counts = new Int32Array(idf.length);
    this.used = new Int32Array(idf.length);
    this.rowStart = new Int32Array(rows + 1);
  }

  /** One more occurrence of `column` in the current row; -1 (a term not in the vocabulary) is none. */
  count(column: number): void {
    if (column < 0) return;
    if (this.counts[column]!++ === 0) this.used[this.usedCount++] = column;
  }

  endRow(): void {
    const { counts, idf } = this;
    const used = this.used.subarray(0, this.usedCount);
    let norm = 0;
    for (const column of used) {
      const weight = (1 + Math.log(counts[column]!)) * idf[column]!;
      norm += weight * weight;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    this.reserve(this.size + used.length);
    for (const column of used.sort()) {
      this.columns[this.size] = column;
      this.values[this.size++] = (1 + Math.log(counts[column]!)) * idf[column]! * scale;
      counts[column] = 0;
    }
    this.usedCount = 0;
    this.rowStart[++this.row] = this.size;
  }

  finish(): SparseRows {
    return {
      rows: this.rows,
      cols: this.idf.length,
      rowStart: this.rowStart,
      columns: this.columns.slice(0, this.size),
      values: this.values.slice(0, this.size),
    };
  }

  private reserve(size: number): void {
    if (size <= this.columns.length) return;
    const capacity = Math.max(size, 2 * this.columns.length);
    const columns = new Int32Array(capacity);
    columns.set(this.columns);
    this.columns = columns;
    const values = new Float32Array(capacity);
    values.set(this.values);
    this.values = values;
  }
}

/** Tf-idf rows of the fitted corpus, from its word ids. */
function corpusRows(corpus: CorpusTerms, fitted: FittedVocabulary, idf: Float32Array): SparseRows {
  const { wordColumn, keptPairs, keptPairColumn } = fitted;
  const rows = new TfIdfRows(idf, corpus.texts.length);
  for (const ids of corpus.texts) {
    let previous = -1;
    for (const id of ids) {
      if (id >= 0) {
        rows.count(wordColumn[id]!);
        if (previous >= 0) {
          const pair = keptPairs.find(previous, id);
          if (pair >= 0) rows.count(keptPairColumn[pair]!);
        }
      }
      previous = id;
    }
    rows.endRow();
  }
  return rows.finish();
}

/** Tf-idf rows of new texts (search queries) in a fitted vocabulary. */
function textRows(texts: string[], vocabulary: Map<string, number>, idf: Float32Array): SparseRows {
  const rows = new TfIdfRows(idf, texts.length);
  for (const text of texts) {
    for (const term of lexicalTerms(text)) rows.count(vocabulary.get(term) ?? -1);
    rows.endRow();
  }
  return rows.finish();
}

/** Eigen-directions of YᵀY weaker than this share of the strongest are numerically Y's null space. */
const RANGE_TOLERANCE = 1e-10;

/**
 * A `width × width` matrix M with Y M orthonormal and spanning Y's range, from Y's column Gram matrix
 * YᵀY = V Λ Vᵀ: M = V Λ^-½, with the columns of directions Y does not span (rank-deficient Y,
 * tiny corpora) left zero, as the SVD's zero singular values. Y M is never formed: the SVD only needs
 * Xᵀ(Y M) = (XᵀY) M, which saves orthonormalising a `rows × width` matrix (Gram–Schmidt took a sixth
 * of the fit's time at 100,000 papers). Squaring Y's condition number in YᵀY costs little accuracy in
 * float64: the kept directions are accurate to about 1e-6 at the tolerance's edge, and on 100,000
 * arXiv abstracts the vectors differ from Gram–Schmidt's by at most 6e-8 (float32 rounding).
 */
function rangeTransform(yGram: Float64Array, width: number): Float64Array {
  const { values, vectors } = symmetricEigen(yGram, width);
  const strongest = Math.max(0, ...values);
  const transform = new Float64Array(width * width);
  for (let c = 0; c < width; c++) {
    if (!(values[c]! > strongest * RANGE_TOLERANCE)) continue;
    const scale = 1 / Math.sqrt(values[c]!);
    for (let k = 0; k < width; k++) transform[k * width + c] = vectors[k * width + c]! * scale;
  }
  return transform;
}

/** A · B for row-major `rows × inner` A and `inner × cols` B, row-major `rows × cols`. */
function multiplyDense(
  a: Float64Array,
  b: Float64Array,
  rows: number,
  inner: number,
  cols: number,
): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < inner; k++) {
      const value = a[r * inner + k]!;
      if (value === 0) continue;
      const source = k * cols;
      const target = r * cols;
      for (let c = 0; c < cols; c++) out[target + c]! += value * b[source + c]!;
    }
  }
  return out;
}

/** Aᵀ for a row-major `rows × cols` A. */
function transposed(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]!;
  return out;
}

/** Eigen-decomposition of a symmetric `size × size` matrix by cyclic Jacobi rotations. */
export function symmetricEigen(
  matrix: Float64Array,
  size: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(size * size);
  for (let i = 0; i < size; i++) v[i * size + i] = 1;
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 50; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < size; p++)
      for (let q = p + 1; q < size; q++) offDiagonal += a[p * size + q]! ** 2;
    if (offDiagonal <= 1e-22 * total || offDiagonal === 0) break;
    for (let p = 0; p < size; p++) {
      for (let q = p + 1; q < size; q++) {
        const apq = a[p * size + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * size + q]! - a[p * size + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < size; k++) {
          const akp = a[k * size + p]!;
          const akq = a[k * size + q]!;
          a[k * size + p] = c * akp - s * akq;
          a[k * size + q] = s * akp + c * akq;
        }
        for (let k = 0; k < size; k++) {
          const apk = a[p * size + k]!;
          const aqk = a[q * size + k]!;
          a[p * size + k] = c * apk - s * aqk;
          a[q * size + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < size; k++) {
          const vkp = v[k * size + p]!;
          const vkq = v[k * size + q]!;
          v[k * size + p] = c * vkp - s * vkq;
          v[k * size + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(size);
  for (let i = 0; i < size; i++) values[i] = a[i * size + i]!;
  return { values, vectors: v };
}

function gaussianMatrix(rows: number, cols: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/**
 * The top right singular vectors of X (Halko, Martinsson & Tropp 2011, randomized range finder with
 * power iterations), returned as the projection `cols × dim` that takes a tf-idf row to the latent space.
 */
function* truncatedSvdProjection(
  x: SparseRows,
  products: SparseProducts,
  width: number,
  dim: number,
  seed: number,
  powerIterations: number,
  signal: AbortSignal | undefined,
): Generator<ProductStep, Float32Array> {
  // Power iterations with column scaling only: in float64 the spectrum's decay over a few iterations
  // stays far above rounding, so one range basis at the end suffices and halves the cost.
  let y = yield* products.multiply(gaussianMatrix(x.cols, width, seed), width);
  for (let i = 0; i < powerIterations; i++) {
    throwIfCancelled(signal);
    const z = yield* products.multiplyTransposed(normaliseColumns(y, x.rows, width), width);
    throwIfCancelled(signal);
    y = yield* products.multiply(normaliseColumns(z, x.cols, width), width);
  }
  throwIfCancelled(signal);
  // Q = Y M is an orthonormal basis of Y's range; B = QᵀX, kept transposed (cols × width) as
  // Bᵀ = Z M with Z = XᵀY. B Bᵀ = Mᵀ (ZᵀZ) M = W Σ² Wᵀ gives B's right singular vectors Bᵀ W Σ⁻¹,
  // that is Z (M W Σ⁻¹): Bᵀ itself is never formed either.
  const transform = rangeTransform(yield* products.productGram(x.rows, width), width);
  const z = yield* products.multiplyTransposed(y, width);
  const zGram = yield* products.productGram(x.cols, width);
  const gram = multiplyDense(
    transposed(transform, width, width),
    multiplyDense(zGram, transform, width, width, width),
    width,
    width,
    width,
  );
  const { values, vectors } = symmetricEigen(gram, width);
  const order = Array.from(values.keys()).sort((a, b) => values[b]! - values[a]! || a - b);
  // W_k Σ_k⁻¹ as a row-major width × dim matrix; components with no variance stay zero.
  const rotation = new Float64Array(width * dim);
  for (let component = 0; component < dim && component < width; component++) {
    const source = order[component]!;
    const sigma = Math.sqrt(Math.max(values[source]!, 0));
    if (sigma < 1e-9) continue;
    for (let k = 0; k < width; k++)
      rotation[k * dim + component] = vectors[k * width + source]! / sigma;
  }
  const toLatent = multiplyDense(transform, rotation, width, width, dim);
  const projection = new Float32Array(x.cols * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < x.cols; r++) {
    row.fill(0);
    for (let k = 0; k < width; k++) {
      const value = z[r * width + k]!;
      if (value === 0) continue;
      const source = k * dim;
      for (let c = 0; c < dim; c++) row[c]! += value * toLatent[source + c]!;
    }
    projection.set(row, r * dim);
  }
  // Singular vectors have no sign of their own; fix one so the output never flips between runs.
  for (let c = 0; c < dim; c++) {
    let largest = 0;
    for (let r = 0; r < x.cols; r++) {
      const value = projection[r * dim + c]!;
      if (Math.abs(value) > Math.abs(largest)) largest = value;
    }
    if (largest < 0)
      for (let r = 0; r < x.cols; r++) projection[r * dim + c] = -projection[r * dim + c]!;
  }
  return projection;
}

/** Scales each column of a row-major `rows × width` matrix to unit length, in place. */
function normaliseColumns(m: Float64Array, rows: number, width: number): Float64Array {
  const norms = new Float64Array(width);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < width; c++) norms[c]! += m[r * width + c]! ** 2;
  for (let c = 0; c < width; c++) norms[c] = norms[c]! > 0 ? 1 / Math.sqrt(norms[c]!) : 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) m[r * width + c]! *= norms[c]!;
  return m;
}

/** The rows of X projected to the latent space and L2-normalised: row-major `rows × dim`. */
function* projectRows(
  products: SparseProducts,
  projection: Float32Array,
  dim: number,
): Generator<ProductStep, Float32Array> {
  const projected = yield* products.multiply(projection, dim);
  const out = new Float32Array(projected.length);
  for (let row = 0; row * dim < projected.length; row++) {
    let norm = 0;
    for (let c = 0; c < dim; c++) norm += projected[row * dim + c]! ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < dim; c++) out[row * dim + c] = projected[row * dim + c]! * scale;
  }
  return out;
}

/**
 * Fits TF-IDF → truncated SVD on the texts and returns their L2-normalised vectors (row-major
 * `texts.length × dim`) and the fitted model for later queries. A text with no known terms gets a zero
 * vector. Runs on this thread; `fitLexicalEmbeddingOnThreads` gives the same, bit for bit, on several.
 */
export function fitLexicalEmbedding(
  texts: string[],
  options: LexicalOptions = {},
): LexicalEmbedding {
  return runProductsHere(fitSteps(texts, options, false));
}

/**
 * `fitLexicalEmbedding` with the SVD's matrix products shared with `helpers` (shared memory): the
 * same vectors and model, bit for bit; on this thread alone without helpers.
 */
export async function fitLexicalEmbeddingOnThreads(
  texts: string[],
  options: LexicalOptions & { helpers?: ComputeHelpers | undefined } = {},
): Promise<LexicalEmbedding> {
  const { helpers, ...rest } = options;
  if (!helpers || helpers.size === 0) return fitLexicalEmbedding(texts, rest);
  return runProductsOnThreads(fitSteps(texts, rest, true), helpers, rest.signal);
}

/** The fit, yielding each matrix product for a driver to run (`sharedMemory`: for helper threads). */
function* fitSteps(
  texts: string[],
  options: LexicalOptions,
  sharedMemory: boolean,
): Generator<ProductStep, LexicalEmbedding> {
  const {
    dims = DEFAULT_LEXICAL_DIMS,
    seed = 42,
    maxFeatures = 12_000,
    powerIterations = 1,
    signal,
    onProgress,
  } = options;
  const started = performance.now();
  const report = (done: number, message: string) => {
    const { rate } = rateAndEta(done, texts.length, started);
    onProgress?.({ stage: 'embedding', done, total: texts.length, rate, message });
  };
  const corpus = new CorpusTerms();
  for (let i = 0; i < texts.length; i++) {
    if (i % 500 === 0) {
      throwIfCancelled(signal);
      report(0, `Reading terms: ${i} of ${texts.length} texts`);
    }
    corpus.add(texts[i]!);
  }
  throwIfCancelled(signal);
  const fitted = buildVocabulary(corpus, maxFeatures);
  const { vocabulary } = fitted;
  const idf = computeIdf(fitted.documentFrequency, texts.length);
  const rows = corpusRows(corpus, fitted, idf);
  const dim = Math.max(1, Math.min(dims, rows.rows, rows.cols));
  report(0, `Finding ${dim} latent dimensions over ${vocabulary.size} terms`);
  const width = Math.min(dim + OVERSAMPLING, rows.rows, rows.cols);
  const products = new SparseProducts(rows, Math.max(width, dim), sharedMemory);
  const projection =
    rows.cols === 0
      ? new Float32Array(0)
      : yield* truncatedSvdProjection(rows, products, width, dim, seed, powerIterations, signal);
  throwIfCancelled(signal);
  const vectors = yield* projectRows(products, projection, dim);
  report(texts.length, 'Lexical vectors ready');
  return { vectors, dim, model: { vocabulary, idf, projection, dim } };
}

/** Embeds new texts (e.g. a search query) into a fitted lexical space. */
export function embedLexical(model: LexicalModel, texts: string[]): Float32Array {
  const rows = textRows(texts, model.vocabulary, model.idf);
  return runProductsHere(
    projectRows(new SparseProducts(rows, model.dim), model.projection, model.dim),
  );
}
