import { type EndpointRegistry, isLlmError, resolveEndpoint } from "@mlops/llm";
import { z } from "zod";
import { type ReadTool, safely } from "./architect-tool";

const schema = z.object({
  models: z
    .array(z.string().min(1))
    .min(2)
    .max(10)
    .describe("Models to compare: endpoint names or aliases (llama, gpt-oss) or local models (local/tfidf-logreg)"),
  dataset: z.string().min(1).optional().describe("Dataset to evaluate on; default: the sample dataset"),
});

const LOCAL_MODELS = ["local/tfidf-logreg", "local/naive-bayes", "local/lexicon"];

/**
 * Checks that every model of a comparison can be called (credentials, URLs) and says exactly what is missing. The
 * comparison itself runs as an experiment job once `@mlops/experiments` is wired (`experimentRunner`).
 */
export function createCompareModelsTool(services: {
  endpoints: EndpointRegistry;
  /** Set once the experiments package provides a runner; without it the tool reports what is pending. */
  experimentsAvailable?: boolean;
}): ReadTool<typeof schema> {
  return {
    name: "compare_models",
    effect: "read",
    description:
      "Compare models on a dataset (accuracy, F1, latency, cost). Checks each model is usable and says what is missing.",
    schema,
    describe: (input) => `compare ${input.models.join(" and ")} on ${input.dataset ?? "the sample dataset"}`,
    run: (input) =>
      safely(async () => {
        const checks = input.models.map((model) => {
          if (LOCAL_MODELS.includes(model.toLowerCase()))
            return { model, usable: true, detail: "local model, no download" };
          try {
            const endpoint = resolveEndpoint(model, services.endpoints);
            return { model, usable: true, detail: `${endpoint.name} is ready` };
          } catch (error) {
            if (isLlmError(error)) return { model, usable: false, detail: error.message };
            throw error;
          }
        });
        const missing = checks.filter((c) => !c.usable);
        const lines = checks.map((c) => `  - ${c.model}: ${c.detail}`);
        if (missing.length > 0) {
          return {
            ok: false,
            summary: `Cannot compare yet:\n${lines.join("\n")}\nSet what is missing, then ask again (\`mlops doctor\` lists every endpoint).`,
            data: { checks },
          };
        }
        if (!services.experimentsAvailable) {
          return {
            ok: false,
            summary: `Every model is usable:\n${lines.join("\n")}\nThe experiment runner (@mlops/experiments) is not installed in this build yet, so the comparison cannot run.`,
            data: { checks, pending: "experiments" },
          };
        }
        return { ok: true, summary: lines.join("\n"), data: { checks } };
      }),
  };
}
