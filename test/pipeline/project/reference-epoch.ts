/**
 * The JavaScript reference of the WebAssembly layout epoch (`src/pipeline/project/kernels/layout-epoch.wat`):
 * umap-js's `optimizeLayoutStep` for 2-D layouts over typed arrays. Tests check the kernel against it.
 */
import type { EdgeSchedule } from '../../../src/pipeline/project/layout-optimizer.ts';
import { REPULSION_STRENGTH } from '../../../src/pipeline/project/layout-optimizer.ts';

const GRADIENT_CLIP = 4;

function clip(value: number): number {
  return value > GRADIENT_CLIP ? GRADIENT_CLIP : value < -GRADIENT_CLIP ? -GRADIENT_CLIP : value;
}

/** A function running one epoch over every edge on `positions` in place, negatives drawn from `random`. */
export function referenceEpoch(
  positions: Float32Array,
  schedule: EdgeSchedule,
  n: number,
  a: number,
  b: number,
  random: () => number,
): (epoch: number, alpha: number) => void {
  const {
    heads,
    tails,
    epochsPerSample,
    epochOfNextSample,
    epochsPerNegativeSample,
    epochOfNextNegativeSample,
  } = schedule;
  const edgeCount = heads.length;
  const attractionScale = -2 * a * b;
  const repulsionScale = 2 * REPULSION_STRENGTH * b;
  return (epoch, alpha) => {
    for (let edge = 0; edge < edgeCount; edge++) {
      const next = epochOfNextSample[edge]!;
      if (next > epoch) continue;
      const j = heads[edge]!;
      const k = tails[edge]!;
      let currentX = positions[2 * j]!;
      let currentY = positions[2 * j + 1]!;
      const otherX = positions[2 * k]!;
      const otherY = positions[2 * k + 1]!;
      const dx = currentX - otherX;
      const dy = currentY - otherY;
      const distSquared = dx * dx + dy * dy;
      if (distSquared > 0) {
        // d^(2(b − 1)) once; d^(2b) is that times d².
        const power = Math.exp((b - 1) * Math.log(distSquared));
        const coefficient = (attractionScale * power) / (a * power * distSquared + 1);
        const gradX = clip(coefficient * dx) * alpha;
        const gradY = clip(coefficient * dy) * alpha;
        currentX += gradX;
        currentY += gradY;
        positions[2 * k] = otherX - gradX;
        positions[2 * k + 1] = otherY - gradY;
      }
      epochOfNextSample[edge] = next + epochsPerSample[edge]!;

      const negativeSamples = Math.floor(
        (epoch - epochOfNextNegativeSample[edge]!) / epochsPerNegativeSample[edge]!,
      );
      for (let p = 0; p < negativeSamples; p++) {
        const other = Math.floor(random() * n);
        // umap-js's current and other are then the same array: distance 0, skipped.
        if (other === j) continue;
        const ox = currentX - positions[2 * other]!;
        const oy = currentY - positions[2 * other + 1]!;
        const otherDistSquared = ox * ox + oy * oy;
        if (otherDistSquared > 0) {
          const coefficient =
            repulsionScale /
            ((0.001 + otherDistSquared) * (a * Math.exp(b * Math.log(otherDistSquared)) + 1));
          currentX += clip(coefficient * ox) * alpha;
          currentY += clip(coefficient * oy) * alpha;
        } else {
          // umap-js pushes coincident points apart by the full clip value.
          currentX += GRADIENT_CLIP * alpha;
          currentY += GRADIENT_CLIP * alpha;
        }
      }
      positions[2 * j] = currentX;
      positions[2 * j + 1] = currentY;
      epochOfNextNegativeSample[edge] =
        epochOfNextNegativeSample[edge]! + negativeSamples * epochsPerNegativeSample[edge]!;
    }
  };
}
