/** Context a user needs to act on an error: what was given, what is expected, what to do. */
export type ErrorContext = Record<string, unknown>;

export interface MlopsErrorOptions {
  /** What the user should do next, in one sentence. */
  hint?: string;
  context?: ErrorContext;
  cause?: unknown;
}

/**
 * Base error of every package. `code` is stable (safe to match on in code and scripts);
 * `message` says what went wrong, `hint` what to do about it.
 */
export class MlopsError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly context: ErrorContext;

  constructor(code: string, message: string, options: MlopsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.context = options.context ?? {};
  }

  /** A plain object for `--json` output and HTTP error bodies. */
  toJSON(): { code: string; message: string; hint?: string; context?: ErrorContext } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.context).length > 0 ? { context: this.context } : {}),
    };
  }
}

export function isMlopsError(value: unknown): value is MlopsError {
  return value instanceof MlopsError;
}

/** Message plus hint, the way a terminal user should read it. */
export function formatError(error: unknown): string {
  if (isMlopsError(error)) return error.hint ? `${error.message}\n  → ${error.hint}` : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
