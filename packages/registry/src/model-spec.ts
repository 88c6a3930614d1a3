import { z } from "zod";
import { RegistryError } from "./registry-error";

const common = {
  /** What it predicts, e.g. `category` or `sentiment`. */
  task: z.string().min(1).default("category"),
  labels: z.array(z.string().min(1)).min(1),
  /** Everything else that changes predictions: temperature, max tokens, thresholds… */
  parameters: z.record(z.string(), z.unknown()).default({}),
};

/** A classifier served by an LLM endpoint: which endpoint and model, which prompt template version, which labels. */
export const endpointModelSpecSchema = z.object({
  kind: z.literal("endpoint"),
  endpoint: z.string().min(1).describe("Endpoint name, e.g. databricks-gpt-oss-20b"),
  model: z.string().min(1).describe("The model sent in requests"),
  promptTemplateVersion: z.string().min(1),
  promptTemplate: z.string().optional().describe("The template text itself, when it is not versioned elsewhere"),
  ...common,
});

/** A local model trained in process: its serialized form (`TextClassifier.toJSON()`). */
export const localModelSpecSchema = z.object({
  kind: z.literal("local"),
  model: z.string().min(1).describe("Local model name, e.g. local/tfidf-logreg"),
  trained: z.record(z.string(), z.unknown()).describe("The saved classifier JSON"),
  ...common,
});

/** What a classifier model version is: logged as `model/spec.json` in its run, registered as the version. */
export const modelSpecSchema = z.discriminatedUnion("kind", [endpointModelSpecSchema, localModelSpecSchema]);
export type ModelSpec = z.output<typeof modelSpecSchema>;
export type ModelSpecInput = z.input<typeof modelSpecSchema>;
export type EndpointModelSpec = z.output<typeof endpointModelSpecSchema>;
export type LocalModelSpec = z.output<typeof localModelSpecSchema>;

/** Where the spec lives inside a run's artifacts. */
export const MODEL_ARTIFACT_PATH = "model";
export const MODEL_SPEC_FILE = "spec.json";

export function parseModelSpec(value: unknown, where = "model spec"): ModelSpec {
  const result = modelSpecSchema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join(".") || "(spec)"}: ${i.message}`).join("; ");
    throw new RegistryError("REGISTRY_INVALID_SPEC", `Invalid ${where}: ${fields}`, {
      hint: "A spec is { kind: 'endpoint', endpoint, model, promptTemplateVersion, labels } or { kind: 'local', model, trained, labels }.",
      context: { issues: result.error.issues },
    });
  }
  return result.data;
}

/** Tags a version gets from its spec, so the registry UI shows what it is without opening the artifact. */
export function specTags(spec: ModelSpec): Record<string, string> {
  return {
    "spec.kind": spec.kind,
    "spec.model": spec.model,
    "spec.task": spec.task,
    ...(spec.kind === "endpoint"
      ? { "spec.endpoint": spec.endpoint, "spec.prompt_template_version": spec.promptTemplateVersion }
      : {}),
  };
}

/** A minimal `MLmodel` file, so MLflow's UI recognises the directory as a model. */
export function mlmodelFile(spec: ModelSpec, runId: string): string {
  return [
    `artifact_path: ${MODEL_ARTIFACT_PATH}`,
    "flavors:",
    "  mlops_classifier:",
    `    kind: ${spec.kind}`,
    `    spec: ${MODEL_SPEC_FILE}`,
    `run_id: ${runId}`,
    "",
  ].join("\n");
}
