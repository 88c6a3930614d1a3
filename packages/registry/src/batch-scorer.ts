import { textClassifierFromJSON } from "@mlops/llm";
import type { ModelSpec } from "./model-spec";
import { RegistryError } from "./registry-error";

/** Scores texts with a model spec: predicted label and confidence per text, in order. */
export type BatchScorer = (texts: readonly string[]) => Promise<{ label: string; confidence: number }[]>;

/**
 * A scorer for a loaded spec. Local models are rebuilt from their saved JSON and score in process; endpoint
 * models need `scoreWithEndpoint` (the experiments package's endpoint classifier), since calling an LLM endpoint
 * is not this package's job.
 */
export function createBatchScorer(
  spec: ModelSpec,
  options: { scoreWithEndpoint?: (spec: ModelSpec, texts: readonly string[]) => ReturnType<BatchScorer> } = {},
): BatchScorer {
  if (spec.kind === "local") {
    const classifier = textClassifierFromJSON(spec.trained);
    return async (texts) => classifier.predictBatch(texts).map((p) => ({ label: p.label, confidence: p.confidence }));
  }
  const score = options.scoreWithEndpoint;
  if (!score) {
    throw new RegistryError("REGISTRY_INVALID_INPUT", `Model ${spec.model} runs on endpoint ${spec.endpoint}.`, {
      hint: "Pass scoreWithEndpoint (an endpoint classifier) to score with an endpoint model.",
    });
  }
  return (texts) => score(spec, texts);
}
