import { describe, expect, it } from 'vitest';
import { AtlasError, CancelledError } from '../../src/lib/errors.ts';
import {
  WorkerClient,
  exposeApi,
  transfer,
  type CallContext,
  type WorkerEndpoint,
} from '../../src/worker/rpc.ts';
import type { StageProgress } from '../../src/pipeline/types.ts';

const testApi = {
  async double(args: { values: Float32Array }, context: CallContext) {
    const out = new Float32Array(args.values.length);
    for (let i = 0; i < out.length; i++) {
      out[i] = args.values[i]! * 2;
      context.progress({ stage: 'embedding', done: i + 1, total: out.length });
    }
    return transfer({ out }, [out.buffer]);
  },
  async fail(args: { stage: 'parse' | 'embed' }) {
    throw new AtlasError(args.stage, 'bad-input', 'That input is bad.', {
      hint: 'Use a good one.',
    });
  },
  async waitForCancel(_args: Record<string, never>, context: CallContext) {
    await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve()));
    return 'cancelled-in-worker';
  },
  async crash() {
    return new Promise(() => {});
  },
  /** Reports every 10 ms for `ms`, then replies: slow, but never quiet for long. */
  async slowButAlive(args: { ms: number }, context: CallContext) {
    const started = performance.now();
    while (performance.now() - started < args.ms) {
      context.progress({ stage: 'parsing', done: 0, total: 0, file: 'alive.parquet' });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return 'finished';
  },
  /** Asks the caller to square each value, one question at a time, and sums the answers. */
  async sumOfSquares(args: { values: number[] }, context: CallContext) {
    let sum = 0;
    for (const value of args.values) {
      const answer = await context.ask({ square: new Float32Array([value]) });
      sum += (answer as Float32Array)[0]!;
    }
    return sum;
  },
  /** Asks once and waits for the answer, or for the call's cancellation. */
  async askAndWait(_args: Record<string, never>, context: CallContext) {
    return context.ask({ never: true });
  },
  /** Reports once, then goes quiet for good, as a decoder stuck in a loop would. */
  async stuck(_args: Record<string, never>, context: CallContext) {
    context.progress({ stage: 'parsing', done: 0, total: 0, file: 'damaged.parquet' });
    return new Promise(() => {});
  },
};

function connectedClient(onTerminate?: () => void): {
  client: WorkerClient<typeof testApi>;
  crash(): void;
} {
  const channel = new MessageChannel();
  exposeApi(testApi, channel.port2 as unknown as WorkerEndpoint);
  channel.port2.start();
  const errorListeners: ((event: Event) => void)[] = [];
  const endpoint: WorkerEndpoint = {
    postMessage: (message, list) => channel.port1.postMessage(message, list),
    addEventListener: (type: string, listener: (event: never) => void) => {
      if (type === 'error') errorListeners.push(listener as (event: Event) => void);
      else
        channel.port1.addEventListener(
          type as 'message',
          listener as (event: MessageEvent) => void,
        );
    },
    terminate: () => {
      onTerminate?.();
      channel.port1.close();
    },
  };
  channel.port1.start();
  const client = new WorkerClient<typeof testApi>(() => endpoint, 'test');
  return {
    client,
    crash: () => errorListeners.forEach((listener) => listener(new Event('error'))),
  };
}

describe('worker RPC', () => {
  it('replies with transferred typed arrays and reports progress', async () => {
    const { client } = connectedClient();
    const seen: number[] = [];
    const values = new Float32Array([1, 2, 3]);
    const { out } = await client.call(
      'double',
      { values },
      { onProgress: (p) => seen.push(p.done) },
    );
    expect(Array.from(out)).toEqual([2, 4, 6]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('rejects with the worker error, keeping its stage, code and hint', async () => {
    const { client } = connectedClient();
    const error = await client.call('fail', { stage: 'parse' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtlasError);
    expect(error).toMatchObject({ stage: 'parse', code: 'bad-input', hint: 'Use a good one.' });
  });

  it('names the valid methods when asked for an unknown one', async () => {
    const { client } = connectedClient();
    const call = (client as unknown as WorkerClient<Record<string, () => unknown>>).call(
      'nope',
      undefined as never,
    );
    await expect(call).rejects.toThrow(/no method "nope"/);
    await expect(call).rejects.toMatchObject({ hint: expect.stringContaining('double, fail') });
  });

  it('lets a worker ask its caller mid-call, with transferred answers', async () => {
    const { client } = connectedClient();
    const questions: unknown[] = [];
    const sum = await client.call(
      'sumOfSquares',
      { values: [1, 2, 3] },
      {
        answer: async (question) => {
          questions.push(question);
          const square = (question as { square: Float32Array }).square;
          const answer = square.map((value) => value * value);
          return transfer(answer, [answer.buffer]);
        },
      },
    );
    expect(sum).toBe(14);
    expect(questions).toHaveLength(3);
  });

  it("fails the call with the answerer's error, keeping its stage and cause", async () => {
    const { client } = connectedClient();
    const call = client.call(
      'sumOfSquares',
      { values: [1] },
      {
        answer: async () => {
          throw new AtlasError('embed', 'model-lost', 'The model is gone.', {
            hint: 'Reload the page.',
          });
        },
      },
    );
    await expect(call).rejects.toMatchObject({ stage: 'embed', code: 'model-lost' });
  });

  it('fails a call whose worker asks a question nothing answers', async () => {
    const { client } = connectedClient();
    await expect(client.call('sumOfSquares', { values: [2] })).rejects.toMatchObject({
      stage: 'worker',
      code: 'unanswered',
    });
  });

  it('cancels a question in flight with its call', async () => {
    const { client } = connectedClient();
    const controller = new AbortController();
    let asked = false;
    const call = client.call(
      'askAndWait',
      {},
      {
        signal: controller.signal,
        answer: (_question, signal) =>
          new Promise((_resolve, reject) => {
            asked = true;
            signal?.addEventListener('abort', () => reject(new CancelledError()));
          }),
      },
    );
    await expect.poll(() => asked).toBe(true);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(CancelledError);
  });

  it('rejects at once on abort and aborts the worker-side signal', async () => {
    const { client } = connectedClient();
    const controller = new AbortController();
    const call = client.call('waitForCancel', {}, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(CancelledError);
  });

  it('stops a worker that goes quiet past the stall limit, naming what it last reported', async () => {
    let terminated = 0;
    const { client } = connectedClient(() => terminated++);
    const stall = {
      afterMs: 80,
      error: (last: StageProgress | undefined) => new Error(`stuck reading ${last?.file}`),
    };
    const other = client.call('crash', undefined as never);
    const stuck = client.call('stuck', {}, { stall });
    await expect(stuck).rejects.toThrow('stuck reading damaged.parquet');
    await expect(other).rejects.toMatchObject({ stage: 'worker', code: 'stopped-stuck' });
    expect(terminated).toBe(1);
  });

  it('keeps a slow call that keeps reporting progress past the stall limit', async () => {
    const { client } = connectedClient();
    const stall = { afterMs: 80, error: () => new Error('wrongly taken as stuck') };
    await expect(client.call('slowButAlive', { ms: 300 }, { stall })).resolves.toBe('finished');
  });

  it('rejects every call in flight when the worker crashes', async () => {
    const { client, crash } = connectedClient();
    const hanging = client.call('crash', undefined as never);
    crash();
    await expect(hanging).rejects.toMatchObject({ stage: 'worker', code: 'crashed' });
  });
});

describe('worker RPC after a crash', () => {
  it('starts a fresh worker for the next call, so a failed call can be retried', async () => {
    const crashers: (() => void)[] = [];
    let started = 0;
    const client = new WorkerClient<typeof testApi>(() => {
      started++;
      const channel = new MessageChannel();
      exposeApi(testApi, channel.port2 as unknown as WorkerEndpoint);
      channel.port2.start();
      channel.port1.start();
      return {
        postMessage: (message, list) => channel.port1.postMessage(message, list),
        addEventListener: (type: string, listener: (event: never) => void) => {
          if (type === 'error')
            crashers.push(() => (listener as (event: Event) => void)(new Event('error')));
          else
            channel.port1.addEventListener(
              type as 'message',
              listener as (event: MessageEvent) => void,
            );
        },
        terminate: () => channel.port1.close(),
      };
    }, 'test');
    const hanging = client.call('crash', undefined as never);
    crashers[0]!();
    await expect(hanging).rejects.toMatchObject({
      code: 'crashed',
      hint: expect.stringContaining('Try again'),
    });
    const { out } = await client.call('double', { values: new Float32Array([4]) });
    expect(Array.from(out)).toEqual([8]);
    expect(started).toBe(2);
  });
});
