export { ConfigError, type SettingProblem } from "./config-error";
export { type ErrorContext, formatError, isMlopsError, MlopsError, type MlopsErrorOptions } from "./mlops-error";
