/**
 * Batches for a transformer encoder. A batch is padded to its longest text, so texts of similar length
 * are batched together (sorted by token count) to spend little compute on padding.
 */
export interface BatchPlanOptions {
  /** Group texts of similar length (the default); false keeps corpus order, for comparison. */
  sortByLength?: boolean;
  maxBatchSize?: number;
  /** Upper bound on padded tokens per batch (batch size × longest text), which bounds memory. */
  maxBatchTokens?: number;
}

export interface BatchPlan {
  /** Text indices per batch, in the order to run them. */
  batches: Int32Array[];
  /** Share of computed token positions that are padding (0..1). */
  paddingShare: number;
}

export const DEFAULT_MAX_BATCH_SIZE = 32;
export const DEFAULT_MAX_BATCH_TOKENS = 32 * 128;

/** Plans batches for texts of the given token lengths (already capped at the model's maximum). */
export function planBatches(lengths: Int32Array, options: BatchPlanOptions = {}): BatchPlan {
  const {
    sortByLength = true,
    maxBatchSize = DEFAULT_MAX_BATCH_SIZE,
    maxBatchTokens = DEFAULT_MAX_BATCH_TOKENS,
  } = options;
  const order = Int32Array.from(lengths.keys());
  // Longest first: the most memory-hungry batch runs first, so a failure shows at once and the ETA
  // only improves. Ties keep corpus order, so the plan is deterministic.
  if (sortByLength) order.sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const batches: Int32Array[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start;
    let longest = 0;
    while (end < order.length && end - start < maxBatchSize) {
      const candidateLongest = Math.max(longest, lengths[order[end]!]!);
      if (end > start && candidateLongest * (end - start + 1) > maxBatchTokens) break;
      longest = candidateLongest;
      end++;
    }
    batches.push(order.slice(start, end));
    start = end;
  }
  return { batches, paddingShare: paddingShare(lengths, batches) };
}

/** Share of token positions in the padded batches that are padding. */
export function paddingShare(lengths: Int32Array, batches: readonly Int32Array[]): number {
  let padded = 0;
  let real = 0;
  for (const batch of batches) {
    let longest = 0;
    for (const index of batch) {
      longest = Math.max(longest, lengths[index]!);
      real += lengths[index]!;
    }
    padded += longest * batch.length;
  }
  return padded === 0 ? 0 : (padded - real) / padded;
}
