/** Vitest global set-up: generates the random-weight test model once (idempotent, about a second). */
import { makeTestModel } from '../../../scripts/make-test-model.ts';

export default function setup(): void {
  makeTestModel();
}
