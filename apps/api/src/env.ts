import { fileURLToPath } from "node:url";
import { type AppConfig, loadConfig } from "@mlops/core";

/** The only place the API reads the environment. */
export function loadApiConfig(): AppConfig {
  return loadConfig({ env: process.env });
}

/** Where the web console's static files are: MLOPS_WEB_ROOT, or apps/web/public in this checkout. */
export function webRoot(): string {
  return process.env.MLOPS_WEB_ROOT ?? fileURLToPath(new URL("../../web/public", import.meta.url));
}
