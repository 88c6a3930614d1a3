import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

/** Stable codes of every failure the experiments package reports. */
export type ExperimentErrorCode =
  | "EXPERIMENT_DATASET_NOT_FOUND"
  | "EXPERIMENT_DATASET_INVALID"
  | "EXPERIMENT_DATASET_EMPTY"
  | "EXPERIMENT_UNKNOWN_MODEL"
  | "EXPERIMENT_SPEC_INVALID"
  | "EXPERIMENT_NOT_FOUND"
  | "EXPERIMENT_NOT_CANCELLABLE";

/** The one error class of `@mlops/experiments`. */
export class ExperimentError extends MlopsError {
  declare readonly code: ExperimentErrorCode;

  constructor(code: ExperimentErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
  }
}

/** True for an `ExperimentError`, optionally of one code. */
export function isExperimentError(value: unknown, code?: ExperimentErrorCode): value is ExperimentError {
  return value instanceof ExperimentError && (code === undefined || value.code === code);
}
