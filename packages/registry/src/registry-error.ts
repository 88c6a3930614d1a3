import { MlopsError, type MlopsErrorOptions } from "@mlops/core";

export const REGISTRY_ERROR_CODES = [
  "REGISTRY_MODEL_NOT_FOUND",
  "REGISTRY_VERSION_NOT_FOUND",
  "REGISTRY_ALIAS_NOT_FOUND",
  "REGISTRY_NO_CHALLENGER",
  "REGISTRY_NO_CHAMPION",
  "REGISTRY_NO_PREVIOUS_CHAMPION",
  "REGISTRY_DUPLICATE",
  "REGISTRY_APPROVAL_REQUIRED",
  "REGISTRY_VERSION_IS_CHAMPION",
  "REGISTRY_TRACKING_UNREACHABLE",
  "REGISTRY_INVALID_URI",
  "REGISTRY_INVALID_SPEC",
  "REGISTRY_INVALID_CRITERIA",
  "REGISTRY_INVALID_INPUT",
  "REGISTRY_RUN_NOT_FOUND",
  "REGISTRY_EXPERIMENT_NOT_FOUND",
  "REGISTRY_PENDING_NOT_FOUND",
  "REGISTRY_PENDING_RESOLVED",
] as const;
export type RegistryErrorCode = (typeof REGISTRY_ERROR_CODES)[number];

/** The one error of `@mlops/registry`: a stable `code`, a message saying what is wrong and a hint saying what to do. */
export class RegistryError extends MlopsError {
  override readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options: MlopsErrorOptions = {}) {
    super(code, message, options);
    this.code = code;
  }
}

export function isRegistryError(value: unknown, code?: RegistryErrorCode): value is RegistryError {
  return value instanceof RegistryError && (code === undefined || value.code === code);
}
