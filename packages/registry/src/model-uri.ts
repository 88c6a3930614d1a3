import { RegistryError } from "./registry-error";

/** A parsed `models:/name@alias` or `models:/name/3`. */
export type ModelUri =
  | { name: string; alias: string; version?: undefined }
  | { name: string; version: string; alias?: undefined };

/** Parses MLflow's registry URIs: `models:/<name>@<alias>` and `models:/<name>/<version>`. */
export function parseModelUri(uri: string): ModelUri {
  const match = /^models:\/+([^@/]+)(?:@([A-Za-z0-9_-]+)|\/(\d+))$/.exec(uri.trim());
  if (!match) {
    throw new RegistryError("REGISTRY_INVALID_URI", `'${uri}' is not a model URI.`, {
      hint: "Use models:/<name>@<alias> (e.g. models:/news-classifier@champion) or models:/<name>/<version>.",
    });
  }
  const name = match[1] as string;
  return match[2] ? { name, alias: match[2] } : { name, version: match[3] as string };
}

export function formatModelUri(uri: ModelUri): string {
  return uri.alias ? `models:/${uri.name}@${uri.alias}` : `models:/${uri.name}/${uri.version}`;
}
