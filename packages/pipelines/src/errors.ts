import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of {@link PipelineError}. */
export type PipelineErrorCode =
  | "PIPELINE_SPEC_INVALID"
  | "PIPELINE_NOT_FOUND"
  | "PIPELINE_CYCLE"
  | "PIPELINE_UNKNOWN_STEP"
  | "PIPELINE_SOURCE_MISSING"
  | "PIPELINE_SCHEMA_MISMATCH"
  | "PIPELINE_SCHEMA_DRIFT"
  | "PIPELINE_DUPLICATE_KEYS"
  | "PIPELINE_EXPECTATION_FAILED"
  | "PIPELINE_APPROVAL_REQUIRED"
  | "PIPELINE_STEP_FAILED"
  | "PIPELINE_NOTHING_TO_RESUME"
  | "PIPELINE_RUN_NOT_FOUND"
  | "PIPELINE_INVALID_ARGUMENT";

/** The one error type of `@mlops/pipelines`; `code` is safe to match on. */
export class PipelineError extends MlopsError {
  declare readonly code: PipelineErrorCode;

  constructor(code: PipelineErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}

export function isPipelineError(value: unknown, code?: PipelineErrorCode): value is PipelineError {
  return value instanceof PipelineError && (code === undefined || value.code === code);
}
