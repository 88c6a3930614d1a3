import { readFileSync } from "node:fs";
import { join } from "node:path";
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

/** The API token: MLOPS_API_TOKEN, else the local user's token that the API keeps under MLOPS_HOME. */
export function apiToken(config: AppConfig): string | undefined {
  if (process.env.MLOPS_API_TOKEN) return process.env.MLOPS_API_TOKEN;
  try {
    return readFileSync(join(config.home, "api-token"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}
