/** Where in the app an error arose; shown to readers and kept for automation. */
export type ErrorStage =
  | 'load'
  | 'parse'
  | 'embed'
  | 'project'
  | 'cluster'
  | 'label'
  | 'cache'
  | 'render'
  | 'share'
  | 'worker';

/**
 * An error a reader can act on: it names the stage, says what went wrong in plain words, and,
 * where it helps, what to do about it (`hint`). The original error is kept as `cause`.
 */
export class AtlasError extends Error {
  override name = 'AtlasError';
  readonly stage: ErrorStage;
  readonly code: string;
  readonly hint: string | undefined;

  constructor(
    stage: ErrorStage,
    code: string,
    message: string,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.stage = stage;
    this.code = code;
    this.hint = options.hint;
  }

  /**
   * The message and the hint, as one line for a reader. A message that ends in its cause's own words
   * ("…: Failed to fetch") gets a full stop, so the hint reads as a sentence of its own.
   */
  get readerMessage(): string {
    if (!this.hint) return this.message;
    const message = this.message.trimEnd();
    return `${/[.!?…]$/u.test(message) ? message : `${message}.`} ${this.hint}`;
  }
}

/** The error raised when work is cancelled through an AbortSignal. */
export class CancelledError extends Error {
  override name = 'AbortError';
  constructor(message = 'Cancelled.') {
    super(message);
  }
}

export function isCancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error instanceof CancelledError);
}

/** Throws a CancelledError if the signal has fired; call between batches of work. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/** Wraps anything thrown into an AtlasError of the given stage, keeping AtlasErrors and cancellations as they are. */
export function toAtlasError(error: unknown, stage: ErrorStage, code = 'failed'): Error {
  if (error instanceof AtlasError || isCancelled(error)) return error as Error;
  const message = error instanceof Error ? error.message : String(error);
  return new AtlasError(stage, code, `The ${stage} stage failed: ${message}`, { cause: error });
}

/** Plain data form of an error, so it can cross a worker boundary. */
export interface SerializedError {
  name: string;
  message: string;
  stage?: ErrorStage;
  code?: string;
  hint?: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof AtlasError) {
    return {
      name: error.name,
      message: error.message,
      stage: error.stage,
      code: error.code,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}

export function deserializeError(data: SerializedError): Error {
  if (data.name === 'AbortError') return new CancelledError(data.message);
  if (data.stage && data.code) {
    const error = new AtlasError(
      data.stage,
      data.code,
      data.message,
      data.hint ? { hint: data.hint } : {},
    );
    if (data.stack) error.stack = data.stack;
    return error;
  }
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}
