import { join } from "node:path";
import { type AppConfig, MlopsError } from "@mlops/core";
import type { LakehouseOptions } from "@mlops/lakehouse";
import {
  type CreateEndpointRegistryOptions,
  type EndpointsSection,
  endpointsSectionSchema,
  type LlmCredentials,
} from "@mlops/llm";

/** Where the embedded DuckDB lakehouse lives: its `main` catalog file; other catalogs sit beside it. */
export function duckdbPath(config: AppConfig): string {
  return join(config.home, "lakehouse", "main.duckdb");
}

/** The lakehouse engine the configuration asks for. */
export function lakehouseOptions(config: AppConfig): LakehouseOptions {
  if (config.lakehouseEngine === "duckdb") return { engine: "duckdb", path: duckdbPath(config) };
  const missing = [
    ["DATABRICKS_HOST", config.databricksHost],
    ["DATABRICKS_TOKEN", config.databricksToken],
    ["DATABRICKS_HTTP_PATH", config.databricksHttpPath],
  ].filter(([, value]) => !value);
  if (missing.length > 0) {
    throw new MlopsError("CONFIG_INVALID", `MLOPS_LAKEHOUSE=databricks needs ${missing.map(([n]) => n).join(", ")}.`, {
      hint: "Set them, or unset MLOPS_LAKEHOUSE to use the embedded DuckDB lakehouse.",
    });
  }
  return {
    engine: "databricks",
    host: config.databricksHost!,
    token: config.databricksToken!,
    httpPath: config.databricksHttpPath!,
  };
}

/** Credentials for LLM endpoints, from the configuration. */
export function llmCredentials(config: AppConfig): LlmCredentials {
  return {
    ...(config.databricksHost ? { databricksHost: config.databricksHost } : {}),
    ...(config.databricksToken ? { databricksToken: config.databricksToken } : {}),
    ...(config.openaiApiKey ? { openaiApiKey: config.openaiApiKey } : {}),
    ...(config.anthropicApiKey ? { anthropicApiKey: config.anthropicApiKey } : {}),
  };
}

/** The `endpoints:` section of mlops.config.yaml, validated. */
export function endpointsSection(config: AppConfig): EndpointsSection | undefined {
  const raw = config.sections.endpoints;
  if (raw === undefined) return undefined;
  // A plain list is the common case: `endpoints: [{ name, baseUrl, model, … }]`.
  const result = endpointsSectionSchema.safeParse(Array.isArray(raw) ? { entries: raw } : raw);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `endpoints.${i.path.join(".")}: ${i.message}`).join("; ");
    throw new MlopsError("CONFIG_INVALID", `Invalid endpoints section in ${config.configFile}: ${fields}`, {
      hint: "See the README's LLM endpoints section for the shape of an entry.",
    });
  }
  return result.data;
}

/** Options for `createEndpointRegistry`: the built-in endpoints plus the project's own. */
export function endpointRegistryOptions(config: AppConfig): CreateEndpointRegistryOptions {
  const section = endpointsSection(config);
  return {
    credentials: llmCredentials(config),
    ...(section?.entries ? { endpoints: section.entries } : {}),
    ...(section?.aliases ? { aliases: section.aliases } : {}),
  };
}
