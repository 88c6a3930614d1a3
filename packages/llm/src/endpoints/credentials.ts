import { SETTINGS } from "@mlops/core";
import type { ApiKeyRef } from "./endpoint-config";

/**
 * Secrets and hosts the app read from its environment (`apps/*\/src/env.ts`) and passes in; this package never reads
 * the environment itself.
 */
export interface LlmCredentials {
  /** Workspace host, with or without `https://` (DATABRICKS_HOST). */
  databricksHost?: string;
  /** DATABRICKS_TOKEN */
  databricksToken?: string;
  /** OPENAI_API_KEY */
  openaiApiKey?: string;
  /** ANTHROPIC_API_KEY */
  anthropicApiKey?: string;
  /** Named secrets for `apiKey: { env: NAME }` entries (vLLM, a gateway…), keyed by NAME. */
  secrets?: Record<string, string | undefined>;
}

/** What an API key reference resolves to: the key, or the settings a user must set to get one. */
export type ApiKeyResolution = { ok: true; apiKey: string | undefined } | { ok: false; missing: string[] };

/** Looks up the key an endpoint needs; `missing` names the environment variables to set. */
export function resolveApiKey(ref: ApiKeyRef, credentials: LlmCredentials): ApiKeyResolution {
  if (ref === "none") return { ok: true, apiKey: undefined };
  if (ref === "databricks") return present(credentials.databricksToken, SETTINGS.databricksToken.env);
  if (ref === "openai") return present(credentials.openaiApiKey, SETTINGS.openaiApiKey.env);
  if (ref === "anthropic") return present(credentials.anthropicApiKey, SETTINGS.anthropicApiKey.env);
  if ("literal" in ref) return { ok: true, apiKey: ref.literal };
  return present(credentials.secrets?.[ref.env], ref.env);
}

/** `https://<host>/serving-endpoints`, the OpenAI-compatible base of Databricks model serving. */
export function databricksServingUrl(host: string): string {
  const withScheme = /^https?:\/\//.test(host) ? host : `https://${host}`;
  return `${withScheme.replace(/\/+$/, "")}/serving-endpoints`;
}

function present(value: string | undefined, setting: string): ApiKeyResolution {
  return value ? { ok: true, apiKey: value } : { ok: false, missing: [setting] };
}
