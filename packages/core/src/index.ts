export * from "./config";
export * from "./errors";
export { type Clock, fixedClock, systemClock } from "./ids/clock";
export { newId } from "./ids/ids";
export { type CreateLoggerOptions, createLogger, type Logger, silentLogger } from "./logger/logger";
export type { SqlExecutor } from "./sql/sql-executor";
