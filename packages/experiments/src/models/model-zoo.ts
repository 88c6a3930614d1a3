import { type EndpointRegistry, isLlmError, type ResolvedEndpoint, resolveEndpoint } from "@mlops/llm";
import { ExperimentError } from "../experiment-error";

export type Task = "category" | "sentiment";

/** Local models that need no download; they train on the experiment's training split. */
export const LOCAL_MODELS: Readonly<Record<string, { tasks: Task[]; description: string }>> = {
  "local/tfidf-logreg": { tasks: ["category", "sentiment"], description: "TF-IDF + logistic regression" },
  "local/naive-bayes": { tasks: ["category", "sentiment"], description: "complement naive Bayes over TF-IDF" },
  "local/lexicon-sentiment": { tasks: ["sentiment"], description: "lexicon sentiment (sentiment only)" },
};

/** One model of an experiment, resolved: what it is, which tasks it answers, and whether it can run. */
export interface ModelPlan {
  model: string;
  kind: "local" | "llm";
  /** The registry name of an LLM endpoint. */
  endpoint: string | undefined;
  track: "internal" | "external";
  tasks: Task[];
  info: Record<string, unknown>;
  /** Why it cannot run (missing credentials, a task the data lacks); undefined when it can. */
  failure: string | undefined;
}

/** Every model name an experiment accepts. */
export function knownModels(registry: EndpointRegistry): string[] {
  return [...Object.keys(LOCAL_MODELS), ...registry.names(), ...Object.keys(registry.aliases())];
}

/**
 * Resolves model names against the local models and the endpoint registry.
 * @throws ExperimentError `EXPERIMENT_UNKNOWN_MODEL` listing the known models.
 */
export function planModels(
  names: readonly string[],
  registry: EndpointRegistry,
  dataTasks: readonly Task[],
): ModelPlan[] {
  const plans: ModelPlan[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const local = LOCAL_MODELS[name];
    let plan: ModelPlan;
    if (local) {
      const tasks = local.tasks.filter((t) => dataTasks.includes(t));
      plan = {
        model: name,
        kind: "local",
        endpoint: undefined,
        track: "internal",
        tasks,
        info: { description: local.description },
        failure:
          tasks.length === 0 ? `${name} classifies ${local.tasks.join(" and ")} only; give --sentiment-col` : undefined,
      };
    } else {
      let resolved: ResolvedEndpoint | undefined;
      let failure: string | undefined;
      try {
        resolved = resolveEndpoint(name, registry);
      } catch (error) {
        if (isLlmError(error, "LLM_MISSING_CREDENTIALS")) failure = error.message;
        else if (isLlmError(error, "LLM_UNKNOWN_ENDPOINT")) throw unknownModel(name, registry);
        else throw error;
      }
      const config = resolved ?? registry.get(endpointNameOf(name, registry) ?? name);
      plan = {
        model: name,
        kind: "llm",
        endpoint: config?.name ?? name,
        track: config?.track ?? "external",
        tasks: [...dataTasks],
        info: config
          ? {
              model: config.model,
              pricePerMillion: config.pricePerMillion,
              baseUrl: resolved?.baseUrl ?? config.baseUrl,
            }
          : {},
        failure,
      };
    }
    const key = plan.endpoint ?? plan.model;
    if (seen.has(key)) continue;
    seen.add(key);
    plans.push(plan);
  }
  return plans;
}

function endpointNameOf(name: string, registry: EndpointRegistry): string | undefined {
  const lower = name.toLowerCase();
  const aliases = registry.aliases();
  const alias = Object.keys(aliases).find((a) => a.toLowerCase() === lower);
  if (alias) return aliases[alias];
  return registry.names().find((n) => n.toLowerCase() === lower);
}

function unknownModel(name: string, registry: EndpointRegistry): ExperimentError {
  const known = knownModels(registry);
  return new ExperimentError(
    "EXPERIMENT_UNKNOWN_MODEL",
    `Unknown model "${name}". Known models: ${known.join(", ")}.`,
    {
      hint: "Use a local model, a built-in endpoint or alias, or add an entry to the `endpoints:` section of mlops.config.yaml.",
      context: { model: name, known },
    },
  );
}
