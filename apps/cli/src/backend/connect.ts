import { type AppConfig, apiBaseUrl } from "@mlops/core";
import { say } from "../output/print";
import { ApiClient } from "./api-client";
import type { Backend } from "./backend";
import { createLocalBackend } from "./local-backend";
import { createRemoteBackend } from "./remote-backend";

/** The running stack when one answers, otherwise this process; says which on stderr. */
export async function connectBackend(
  config: AppConfig,
  options: { worker: boolean; quiet?: boolean },
): Promise<Backend> {
  const api = new ApiClient(apiBaseUrl(config));
  const backend = (await api.isUp()) ? createRemoteBackend(api) : await createLocalBackend(config, options);
  if (!options.quiet) say(`(${backend.description})`);
  return backend;
}
