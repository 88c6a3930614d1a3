import { type AppConfig, apiBaseUrl } from "@mlops/core";
import { apiToken } from "../env";
import { say } from "../output/print";
import { ApiClient } from "./api-client";
import type { Backend } from "./backend";
import { createLocalBackend } from "./local-backend";
import { createRemoteBackend } from "./remote-backend";

/** A client of the configured API, authenticated as the CLI's user. */
export function apiClientFor(config: AppConfig): ApiClient {
  return new ApiClient(apiBaseUrl(config), apiToken(config));
}

/** The running stack when one answers, otherwise this process; says which on stderr. */
export async function connectBackend(
  config: AppConfig,
  options: { worker: boolean; quiet?: boolean },
): Promise<Backend> {
  const api = apiClientFor(config);
  const backend = (await api.isUp()) ? createRemoteBackend(api) : await createLocalBackend(config, options);
  if (!options.quiet) say(`(${backend.description})`);
  return backend;
}
