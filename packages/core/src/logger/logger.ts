import { type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

export interface CreateLoggerOptions {
  /** @defaultValue "info" */
  level?: string;
  name?: string;
  /** Where log lines go. @defaultValue standard error, so that stdout stays clean for `--json` output. */
  destination?: NodeJS.WritableStream;
}

/** A pino logger writing JSON lines to stderr (or the given stream). */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? "info",
    base: options.name ? { name: options.name } : {},
  };
  return pino(pinoOptions, options.destination ?? pino.destination(2));
}

/** A logger that writes nothing: the default in tests and library calls that pass none. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
