import type { EndpointConfig } from "./endpoint-config";

/*
 * Prices are list prices in USD per million tokens, approximately as published on
 * https://www.databricks.com/product/pricing/foundation-model-serving (pay-per-token, DBUs converted at $0.07/DBU),
 * https://openai.com/api/pricing and https://www.anthropic.com/pricing, checked in 2025. They change and contracts
 * differ: override them in the `endpoints:` section of mlops.config.yaml. Rate limits are conservative placeholders;
 * set the limits of your workspace or account there too.
 */
const databricks = { track: "internal", apiKey: "databricks", maxConcurrency: 8, timeoutMs: 60_000 } as const;

/** Endpoints known without any configuration; a config entry with the same name replaces one. */
export const BUILT_IN_ENDPOINTS: readonly EndpointConfig[] = [
  {
    ...databricks,
    name: "databricks-meta-llama-3-3-70b-instruct",
    model: "databricks-meta-llama-3-3-70b-instruct",
    pricePerMillion: { input: 0.5, output: 1.5 },
    rateLimit: { requestsPerSecond: 5 },
    description: "Meta Llama 3.3 70B Instruct on Databricks Foundation Model APIs (pay-per-token)",
  },
  {
    ...databricks,
    name: "databricks-llama-4-maverick",
    model: "databricks-llama-4-maverick",
    pricePerMillion: { input: 0.5, output: 1.5 },
    rateLimit: { requestsPerSecond: 5 },
    description: "Meta Llama 4 Maverick on Databricks Foundation Model APIs (pay-per-token)",
  },
  {
    ...databricks,
    name: "databricks-gpt-oss-20b",
    model: "databricks-gpt-oss-20b",
    pricePerMillion: { input: 0.07, output: 0.3 },
    rateLimit: { requestsPerSecond: 5 },
    description: "OpenAI gpt-oss-20b on Databricks Foundation Model APIs (pay-per-token)",
  },
  {
    ...databricks,
    name: "databricks-gpt-oss-120b",
    model: "databricks-gpt-oss-120b",
    pricePerMillion: { input: 0.15, output: 0.6 },
    rateLimit: { requestsPerSecond: 5 },
    description: "OpenAI gpt-oss-120b on Databricks Foundation Model APIs (pay-per-token)",
  },
  {
    name: "openai-gpt-4o-mini",
    baseUrl: "https://api.openai.com/v1",
    model: "gpt-4o-mini",
    track: "external",
    apiKey: "openai",
    pricePerMillion: { input: 0.15, output: 0.6 },
    rateLimit: { requestsPerSecond: 10 },
    maxConcurrency: 16,
    timeoutMs: 60_000,
    description: "OpenAI gpt-4o-mini",
  },
  {
    name: "anthropic-claude-haiku-4-5",
    baseUrl: "https://api.anthropic.com/v1",
    model: "claude-haiku-4-5",
    track: "external",
    apiKey: "anthropic",
    pricePerMillion: { input: 1, output: 5 },
    rateLimit: { requestsPerSecond: 5 },
    maxConcurrency: 8,
    timeoutMs: 60_000,
    description: "Anthropic Claude Haiku 4.5 through Anthropic's OpenAI-compatible API",
  },
];

/** Friendly names; `mlops experiment compare llama gpt-oss` uses these. */
export const BUILT_IN_ALIASES: Readonly<Record<string, string>> = {
  llama: "databricks-meta-llama-3-3-70b-instruct",
  "llama-3.3-70b": "databricks-meta-llama-3-3-70b-instruct",
  "llama-4-maverick": "databricks-llama-4-maverick",
  "gpt-oss": "databricks-gpt-oss-120b",
  "gpt-oss-120b": "databricks-gpt-oss-120b",
  "gpt-oss-20b": "databricks-gpt-oss-20b",
  "gpt-4o-mini": "openai-gpt-4o-mini",
  "claude-haiku": "anthropic-claude-haiku-4-5",
};
