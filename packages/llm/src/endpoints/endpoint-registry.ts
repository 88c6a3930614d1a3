import { SETTINGS } from "@mlops/core";
import { LlmError } from "../errors/llm-error";
import { BUILT_IN_ALIASES, BUILT_IN_ENDPOINTS } from "./built-in-endpoints";
import { databricksServingUrl, type LlmCredentials, resolveApiKey } from "./credentials";
import { type EndpointConfig, type EndpointConfigInput, endpointConfigSchema } from "./endpoint-config";

/** An endpoint ready to call: its config, the base URL and key resolved from the credentials. */
export interface ResolvedEndpoint extends EndpointConfig {
  baseUrl: string;
  /** Undefined for `apiKey: none`. */
  apiKeyValue: string | undefined;
}

/** Whether an endpoint can be called now, and if not, exactly which settings are missing. */
export interface EndpointStatus {
  name: string;
  model: string;
  track: EndpointConfig["track"];
  source: "built-in" | "config";
  usable: boolean;
  /** Environment variables / settings to set, e.g. `["DATABRICKS_HOST", "DATABRICKS_TOKEN"]`. */
  missing: string[];
  /** One sentence for people: "databricks-gpt-oss-20b needs DATABRICKS_HOST and DATABRICKS_TOKEN". */
  message: string;
  /** Aliases pointing at this endpoint. */
  aliases: string[];
}

/** Every known endpoint (built-ins overridden by config) with the credentials to resolve them. */
export interface EndpointRegistry {
  /** Known names, sorted. */
  names(): string[];
  aliases(): Readonly<Record<string, string>>;
  get(name: string): EndpointConfig | undefined;
  /** Usable or not, for every endpoint: what `mlops doctor` prints. */
  status(): EndpointStatus[];
  readonly credentials: LlmCredentials;
}

export interface CreateEndpointRegistryOptions {
  /** Entries of the `endpoints:` section; validated here. */
  endpoints?: EndpointConfigInput[];
  /** Extra aliases from config, name → endpoint name. */
  aliases?: Record<string, string>;
  credentials?: LlmCredentials;
  /** @defaultValue true */
  includeBuiltIns?: boolean;
}

/** Builds the registry: built-ins, then config entries (a same-named entry replaces the built-in). */
export function createEndpointRegistry(options: CreateEndpointRegistryOptions = {}): EndpointRegistry {
  const credentials = options.credentials ?? {};
  const entries = new Map<string, { config: EndpointConfig; source: EndpointStatus["source"] }>();
  if (options.includeBuiltIns !== false) {
    for (const config of BUILT_IN_ENDPOINTS) entries.set(config.name, { config, source: "built-in" });
  }
  for (const [index, input] of (options.endpoints ?? []).entries()) {
    const parsed = endpointConfigSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `endpoints[${index}].${i.path.join(".")}: ${i.message}`);
      throw new LlmError("LLM_INVALID_ENDPOINT", `Invalid endpoint configuration:\n  ${issues.join("\n  ")}`, {
        hint: "Fix the entry in the `endpoints:` section of mlops.config.yaml.",
        context: { index, issues },
      });
    }
    entries.set(parsed.data.name, { config: parsed.data, source: "config" });
  }
  const aliases: Record<string, string> = {};
  const candidateAliases = { ...(options.includeBuiltIns === false ? {} : BUILT_IN_ALIASES), ...options.aliases };
  for (const [alias, target] of Object.entries(candidateAliases)) {
    if (entries.has(target) && !entries.has(alias)) aliases[alias] = target;
  }

  return {
    credentials,
    names: () => [...entries.keys()].sort(),
    aliases: () => aliases,
    get: (name) => entries.get(name)?.config,
    status: () =>
      [...entries.values()]
        .map(({ config, source }) => {
          const missing = missingSettings(config, credentials);
          return {
            name: config.name,
            model: config.model,
            track: config.track,
            source,
            usable: missing.length === 0,
            missing,
            message: missing.length === 0 ? `${config.name} is ready` : `${config.name} needs ${joinWords(missing)}`,
            aliases: Object.keys(aliases).filter((alias) => aliases[alias] === config.name),
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/**
 * The endpoint called `name` (or an alias, case-insensitive), with URL and key resolved.
 * @throws LlmError `LLM_UNKNOWN_ENDPOINT` listing the known names, `LLM_MISSING_CREDENTIALS` naming the settings.
 */
export function resolveEndpoint(name: string, registry: EndpointRegistry): ResolvedEndpoint {
  const config = lookup(name, registry);
  if (!config) {
    const aliases = registry.aliases();
    const known = [...registry.names(), ...Object.keys(aliases).map((a) => `${a} (→ ${aliases[a]})`)];
    throw new LlmError("LLM_UNKNOWN_ENDPOINT", `Unknown LLM endpoint "${name}". Known: ${known.join(", ")}`, {
      hint: "Use one of the known names, or add an entry to the `endpoints:` section of mlops.config.yaml.",
      context: { name, known: registry.names(), aliases },
    });
  }
  return resolveEndpointConfig(config, registry.credentials);
}

/**
 * One endpoint config made callable with the given credentials.
 * @throws LlmError `LLM_MISSING_CREDENTIALS` naming the settings to set.
 */
export function resolveEndpointConfig(config: EndpointConfig, credentials: LlmCredentials): ResolvedEndpoint {
  const missing = missingSettings(config, credentials);
  if (missing.length > 0) {
    throw new LlmError("LLM_MISSING_CREDENTIALS", `${config.name} needs ${joinWords(missing)}`, {
      hint: `Set ${joinWords(missing)} in the environment (or mlops.config.yaml), then retry; \`mlops doctor\` lists what each endpoint needs.`,
      context: { endpoint: config.name, missing },
    });
  }
  const key = resolveApiKey(config.apiKey, credentials);
  const baseUrl = config.baseUrl ?? databricksServingUrl(credentials.databricksHost ?? "");
  return { ...config, baseUrl: baseUrl.replace(/\/+$/, ""), apiKeyValue: key.ok ? key.apiKey : undefined };
}

function lookup(name: string, registry: EndpointRegistry): EndpointConfig | undefined {
  const direct = registry.get(name);
  if (direct) return direct;
  const lower = name.toLowerCase();
  const aliases = registry.aliases();
  const alias = Object.keys(aliases).find((a) => a.toLowerCase() === lower);
  if (alias) return registry.get(aliases[alias]!);
  const caseless = registry.names().find((n) => n.toLowerCase() === lower);
  return caseless ? registry.get(caseless) : undefined;
}

function missingSettings(config: EndpointConfig, credentials: LlmCredentials): string[] {
  const missing: string[] = [];
  if (!config.baseUrl) {
    if (config.apiKey === "databricks" && !credentials.databricksHost) missing.push(SETTINGS.databricksHost.env);
    if (config.apiKey !== "databricks") missing.push(`endpoints.${config.name}.baseUrl`);
  }
  const key = resolveApiKey(config.apiKey, credentials);
  if (!key.ok) missing.push(...key.missing);
  return missing;
}

function joinWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
