import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of every failure the LLM package reports. */
export type LlmErrorCode =
  | "LLM_UNKNOWN_ENDPOINT"
  | "LLM_INVALID_ENDPOINT"
  | "LLM_MISSING_CREDENTIALS"
  | "LLM_ENDPOINT_UNAVAILABLE"
  | "LLM_RATE_LIMITED"
  | "LLM_REQUEST_REJECTED"
  | "LLM_BAD_RESPONSE"
  | "LLM_TIMEOUT";

/** The one error class of `@mlops/llm`; `code` says what happened, `hint` what to do, `context` the details. */
export class LlmError extends MlopsError {
  declare readonly code: LlmErrorCode;

  constructor(code: LlmErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** True for an `LlmError`, optionally of one code. */
export function isLlmError(value: unknown, code?: LlmErrorCode): value is LlmError {
  return value instanceof LlmError && (code === undefined || value.code === code);
}
