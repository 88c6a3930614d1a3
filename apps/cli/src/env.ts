import { type AppConfig, loadConfig } from "@mlops/core";

/** The only place the CLI reads the environment. */
export function loadCliConfig(configFile?: string): AppConfig {
  return loadConfig({ env: process.env, ...(configFile ? { file: configFile } : {}) });
}

/** The environment handed to the api and worker processes that `mlops up` starts. */
export function childEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

export function cliEnvironment(): Record<string, string | undefined> {
  return process.env;
}
