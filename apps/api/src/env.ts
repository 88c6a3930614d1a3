import { type AppConfig, loadConfig } from "@mlops/core";

/** The only place the API reads the environment. */
export function loadApiConfig(): AppConfig {
  return loadConfig({ env: process.env });
}
