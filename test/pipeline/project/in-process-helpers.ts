import {
  computeApi,
  type ComputeApi,
  type ComputeHelpers,
} from '../../../src/pipeline/project/parallel.ts';

/** Helpers that run their shares in this thread, one after another: the protocol without threads. */
export function inProcessHelpers(size: number): ComputeHelpers & { calls: string[] } {
  const calls: string[] = [];
  const callEach = <M extends keyof ComputeApi>(
    method: M,
    args: (helper: number) => Parameters<ComputeApi[M]>[0],
  ): Promise<ReturnType<ComputeApi[M]>[]> => {
    calls.push(method);
    const call = computeApi[method] as (value: unknown) => ReturnType<ComputeApi[M]>;
    return Promise.resolve(Array.from({ length: size }, (_, helper) => call(args(helper))));
  };
  return { size, calls, callEach };
}
