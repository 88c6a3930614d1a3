import { type AppConfig, loadConfig } from "@mlops/core";

/** The only place the worker reads the environment. */
export function loadWorkerConfig(): AppConfig {
  return loadConfig({ env: process.env });
}
