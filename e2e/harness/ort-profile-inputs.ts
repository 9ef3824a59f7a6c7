/** One batch for operator profiling: 16 texts × 256 tokens, the shape most bundled abstracts take. */
export const PROFILE_BATCH = 16;
export const PROFILE_TOKENS = 256;

/** Token ids spread over the vocabulary; every position attended, as in a batch of long abstracts. */
export function profileInputs(): Record<
  'input_ids' | 'attention_mask' | 'token_type_ids',
  BigInt64Array
> {
  const count = PROFILE_BATCH * PROFILE_TOKENS;
  return {
    input_ids: BigInt64Array.from({ length: count }, (_, i) =>
      BigInt(1000 + ((i * 7919) % 28_000)),
    ),
    attention_mask: new BigInt64Array(count).fill(1n),
    token_type_ids: new BigInt64Array(count),
  };
}
