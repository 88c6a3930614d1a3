import type { AppConfig } from "@mlops/core";
import { createEndpointRegistry, type EndpointRegistry, endpointsSectionSchema, LlmError } from "@mlops/llm";
import { type Governance, governanceSchema } from "./decision/recommend-model";

/**
 * The endpoint registry of a configuration: built-ins plus the `endpoints:` section of mlops.config.yaml
 * (validated with `endpointsSectionSchema`), with the credentials the configuration holds.
 * @param secrets named secrets for `apiKey: { env: NAME }` entries, read by the app's env.ts.
 */
export function endpointRegistryFromConfig(
  config: AppConfig,
  secrets: Record<string, string | undefined> = {},
): EndpointRegistry {
  const raw = config.sections.endpoints;
  const parsed = endpointsSectionSchema.safeParse(Array.isArray(raw) ? { entries: raw } : (raw ?? {}));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `endpoints.${i.path.join(".")}: ${i.message}`);
    throw new LlmError("LLM_INVALID_ENDPOINT", `Invalid endpoints section:\n  ${issues.join("\n  ")}`, {
      hint: "Fix the `endpoints:` section of mlops.config.yaml (entries: [...], aliases: {...}).",
      context: { issues },
    });
  }
  const credentials = {
    ...(config.databricksHost ? { databricksHost: config.databricksHost } : {}),
    ...(config.databricksToken ? { databricksToken: config.databricksToken } : {}),
    ...(config.openaiApiKey ? { openaiApiKey: config.openaiApiKey } : {}),
    ...(config.anthropicApiKey ? { anthropicApiKey: config.anthropicApiKey } : {}),
    secrets,
  };
  return createEndpointRegistry({ endpoints: parsed.data.entries, aliases: parsed.data.aliases, credentials });
}

/** The `governance:` section of mlops.config.yaml. */
export function governanceFromConfig(config: AppConfig): Governance {
  return governanceSchema.parse(config.sections.governance ?? {});
}
