/**
 * One typed RPC layer for every worker: a call is a request that ends in exactly one reply or error,
 * with any number of progress messages before it. Cancellation travels as an AbortSignal; a worker
 * that crashes rejects every call in flight, so no caller waits forever.
 */
import {
  AtlasError,
  CancelledError,
  deserializeError,
  serializeError,
  type SerializedError,
} from '../lib/errors.ts';
import type { StageProgress } from '../pipeline/types.ts';

export type ToWorkerMessage =
  | { kind: 'call'; id: number; method: string; args: unknown }
  | { kind: 'cancel'; id: number }
  | { kind: 'answer'; id: number; ask: number; answer: unknown }
  | { kind: 'answer-error'; id: number; ask: number; error: SerializedError };

export type FromWorkerMessage =
  | { kind: 'reply'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: SerializedError }
  | { kind: 'progress'; id: number; progress: StageProgress }
  | { kind: 'ask'; id: number; ask: number; question: unknown };

/** What a worker method receives besides its arguments. */
export interface CallContext {
  signal: AbortSignal;
  progress(progress: StageProgress): void;
  /**
   * Asks the caller something mid-call (`CallOptions.answer` answers): how a worker gets work done
   * that another worker holds the means for, with the page, which owns both, in between. Rejects with
   * the answerer's error, or when the call is cancelled.
   */
  ask(question: unknown, transfer?: Transferable[]): Promise<unknown>;
}

/** A method result with the buffers to transfer (not copy) back to the caller. */
export class Transferring<T> {
  constructor(
    readonly value: T,
    readonly transfer: Transferable[],
  ) {}
}

export function transfer<T>(value: T, buffers: Transferable[]): Transferring<T> {
  return new Transferring(value, buffers);
}

/** A worker API: named async methods taking one structured-cloneable argument. */
export type WorkerApi = Record<string, (args: never, context: CallContext) => unknown>;

export type ArgsOf<F> = F extends (args: infer A, context: CallContext) => unknown ? A : never;
/** A method's reply as the caller sees it: `Transferring` wrappers (in any branch of a union) removed. */
type Unwrapped<T> = T extends Transferring<infer V> ? V : T;
export type ResultOf<F> = F extends (args: never, context: CallContext) => infer R
  ? Unwrapped<Awaited<R>>
  : never;

/** The part of a Worker or MessagePort the RPC layer uses, so Node tests can use a MessageChannel. */
export interface Endpoint {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'messageerror' | 'error', listener: (event: Event) => void): void;
}

export interface WorkerEndpoint extends Endpoint {
  terminate?(): void;
}

interface PendingAsk {
  resolve(answer: unknown): void;
  reject(error: unknown): void;
}

/** Serves `api` on the endpoint (in a worker: `self`). */
export function exposeApi(api: WorkerApi, endpoint: Endpoint): void {
  /** Calls in flight, with the questions each has asked and not yet had answered. */
  const running = new Map<number, { controller: AbortController; asks: Map<number, PendingAsk> }>();
  let nextAsk = 1;
  endpoint.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as ToWorkerMessage;
    if (message.kind === 'cancel') {
      running.get(message.id)?.controller.abort();
      return;
    }
    if (message.kind === 'answer' || message.kind === 'answer-error') {
      const asks = running.get(message.id)?.asks;
      const pending = asks?.get(message.ask);
      if (!pending) return;
      asks!.delete(message.ask);
      if (message.kind === 'answer') pending.resolve(message.answer);
      else pending.reject(deserializeError(message.error));
      return;
    }
    const { id, method, args } = message;
    const controller = new AbortController();
    const asks = new Map<number, PendingAsk>();
    running.set(id, { controller, asks });
    const post = (reply: FromWorkerMessage, transferList: Transferable[] = []) =>
      endpoint.postMessage(reply, transferList);
    controller.signal.addEventListener('abort', () => {
      for (const pending of asks.values()) pending.reject(new CancelledError());
      asks.clear();
    });
    const context: CallContext = {
      signal: controller.signal,
      progress: (progress) => {
        const transferList = progress.snapshot ? [progress.snapshot.buffer] : [];
        post({ kind: 'progress', id, progress }, transferList);
      },
      ask: (question, transferList = []) => {
        if (controller.signal.aborted) return Promise.reject(new CancelledError());
        const ask = nextAsk++;
        return new Promise((resolve, reject) => {
          asks.set(ask, { resolve, reject });
          post({ kind: 'ask', id, ask, question }, transferList);
        });
      },
    };
    const handler = api[method];
    const run = async () => {
      if (!handler) {
        throw new AtlasError('worker', 'unknown-method', `The worker has no method "${method}".`, {
          hint: `Valid methods: ${Object.keys(api).join(', ')}.`,
        });
      }
      return handler(args as never, context);
    };
    run()
      .then((result) => {
        if (result instanceof Transferring)
          post({ kind: 'reply', id, result: result.value }, result.transfer);
        else post({ kind: 'reply', id, result });
      })
      .catch((error: unknown) => {
        post({ kind: 'error', id, error: serializeError(error) });
      })
      .finally(() => running.delete(id));
  });
}

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: StageProgress) => void;
  transfer?: Transferable[];
  /**
   * Takes the call as stuck when its worker sends nothing for it (no progress, no reply) for
   * `afterMs`: the worker is stopped, the call rejects with `error(lastProgress)`, and any other call
   * in flight on that worker with a 'worker' error. For work no AbortSignal can interrupt: a library
   * that loops forever, synchronously, on a damaged file.
   */
  stall?: StallWatch;
  /**
   * Answers the worker's questions during the call (`CallContext.ask`); a `Transferring` answer moves
   * its buffers. A call that asks and has no answerer fails with a 'worker' error.
   */
  answer?: (question: unknown, signal: AbortSignal | undefined) => Promise<unknown>;
}

export interface StallWatch {
  afterMs: number;
  error: (lastProgress: StageProgress | undefined) => Error;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onProgress(progress: StageProgress): void;
  onAsk(ask: number, question: unknown): void;
}

/**
 * The calling side of a worker. It makes the worker on first use and again after a crash, so a
 * failed call can simply be retried.
 */
export class WorkerClient<Api extends WorkerApi> {
  private endpoint: WorkerEndpoint | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();

  constructor(
    private readonly createEndpoint: () => WorkerEndpoint,
    private readonly name: string,
  ) {}

  call<M extends keyof Api & string>(
    method: M,
    args: ArgsOf<Api[M]>,
    options: CallOptions = {},
  ): Promise<ResultOf<Api[M]>> {
    const { signal, onProgress, stall, answer, transfer: transferList = [] } = options;
    if (signal?.aborted) return Promise.reject(new CancelledError());
    let endpoint: WorkerEndpoint;
    try {
      endpoint = this.connect();
    } catch (cause) {
      return Promise.reject(
        new AtlasError('worker', 'start-failed', `The ${this.name} worker could not start.`, {
          cause,
        }),
      );
    }
    const id = this.nextId++;
    return new Promise<ResultOf<Api[M]>>((resolve, reject) => {
      const onAbort = () => {
        if (!this.pending.delete(id)) return;
        endpoint.postMessage({ kind: 'cancel', id } satisfies ToWorkerMessage, []);
        reject(new CancelledError());
      };
      let watchdog: ReturnType<typeof setTimeout> | undefined;
      let heardAt = performance.now();
      let lastProgress: StageProgress | undefined;
      const checkStall = (watch: StallWatch) => {
        const quiet = performance.now() - heardAt;
        if (quiet < watch.afterMs) {
          watchdog = setTimeout(() => checkStall(watch), watch.afterMs - quiet);
        } else {
          this.stopStuck(id, watch.error(lastProgress));
        }
      };
      const settle = (finish: () => void) => {
        clearTimeout(watchdog);
        signal?.removeEventListener('abort', onAbort);
        finish();
      };
      this.pending.set(id, {
        resolve: (value) => settle(() => resolve(value as ResultOf<Api[M]>)),
        reject: (error) => settle(() => reject(error)),
        onProgress: (progress) => {
          heardAt = performance.now();
          lastProgress = progress;
          onProgress?.(progress);
        },
        onAsk: (ask, question) => {
          heardAt = performance.now();
          const answering = answer
            ? answer(question, signal)
            : Promise.reject(
                new AtlasError(
                  'worker',
                  'unanswered',
                  `The ${this.name} worker asked a question during "${method}" that nothing answers.`,
                ),
              );
          answering
            .then((value) => {
              const [reply, list] =
                value instanceof Transferring ? [value.value, value.transfer] : [value, []];
              endpoint.postMessage(
                { kind: 'answer', id, ask, answer: reply } satisfies ToWorkerMessage,
                list,
              );
            })
            .catch((error: unknown) => {
              endpoint.postMessage(
                {
                  kind: 'answer-error',
                  id,
                  ask,
                  error: serializeError(error),
                } satisfies ToWorkerMessage,
                [],
              );
            });
        },
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      if (stall) watchdog = setTimeout(() => checkStall(stall), stall.afterMs);
      try {
        endpoint.postMessage(
          { kind: 'call', id, method, args } satisfies ToWorkerMessage,
          transferList,
        );
      } catch (cause) {
        this.pending.delete(id);
        settle(() =>
          reject(
            new AtlasError(
              'worker',
              'post-failed',
              `Could not send "${method}" to the ${this.name} worker.`,
              {
                cause,
              },
            ),
          ),
        );
      }
    });
  }

  /** Ends the worker; calls in flight are rejected. */
  terminate(): void {
    this.failAll(new AtlasError('worker', 'terminated', `The ${this.name} worker was stopped.`));
  }

  private connect(): WorkerEndpoint {
    if (this.endpoint) return this.endpoint;
    const endpoint = this.createEndpoint();
    endpoint.addEventListener('message', (event: MessageEvent) => {
      this.receive(event.data as FromWorkerMessage);
    });
    endpoint.addEventListener('error', (event: Event) => {
      const detail = (event as ErrorEvent).message;
      event.preventDefault?.();
      this.failAll(
        new AtlasError(
          'worker',
          'crashed',
          `The ${this.name} worker stopped unexpectedly${detail ? `: ${detail}` : '.'}`,
          {
            hint: 'Try again; if it keeps failing, reload the page.',
          },
        ),
      );
    });
    endpoint.addEventListener('messageerror', () => {
      this.failAll(
        new AtlasError(
          'worker',
          'message-error',
          `A message from the ${this.name} worker could not be read.`,
        ),
      );
    });
    this.endpoint = endpoint;
    return endpoint;
  }

  private receive(message: FromWorkerMessage): void {
    const call = this.pending.get(message.id);
    if (!call) return;
    switch (message.kind) {
      case 'progress':
        call.onProgress(message.progress);
        return;
      case 'ask':
        call.onAsk(message.ask, message.question);
        return;
      case 'reply':
        this.pending.delete(message.id);
        call.resolve(message.result);
        return;
      case 'error':
        this.pending.delete(message.id);
        call.reject(deserializeError(message.error));
        return;
    }
  }

  /** Stops a worker stuck on call `id`: that call fails with `error`, any other in flight with a worker error. */
  private stopStuck(id: number, error: Error): void {
    const stuck = this.pending.get(id);
    this.pending.delete(id);
    this.failAll(
      new AtlasError(
        'worker',
        'stopped-stuck',
        `The ${this.name} worker was stopped because another task on it made no progress.`,
        { hint: 'Try again.' },
      ),
    );
    stuck?.reject(error);
  }

  private failAll(error: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    this.endpoint?.terminate?.();
    this.endpoint = undefined;
    for (const call of calls) call.reject(error);
  }
}
