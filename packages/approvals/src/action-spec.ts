import { z } from "zod";
import { ApprovalError } from "./approval-error";
import { sha256Digest } from "./canonical-json";

/** Kinds of action that need a human decision before they run. */
export const ACTION_KINDS = [
  "lakehouse.sql",
  "pipeline.overwrite",
  "pipeline.backfill",
  "registry.promote",
  "registry.rollback",
  "registry.delete_version",
  "registry.register",
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** A model registry change: what moves where. */
export const modelChangeSchema = z.object({
  model: z.string().min(1).describe("Registered model, e.g. main.ml.news_classifier"),
  version: z.string().min(1).describe("The version the change applies to"),
  alias: z.string().min(1).optional().describe("Alias moved to that version, e.g. champion"),
  fromVersion: z.string().min(1).optional().describe("The version that holds the alias now"),
});

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * The parameters of a `registry.register` action: a run's results to become a new version of `model` through the
 * registry's lifecycle (gates, aliases, duplicates). Exactly what `@mlops/registry`'s `registerAction` builds: the
 * metrics as numbers, the model spec by its digest (SHA-256 of its canonical JSON), the version's tags.
 */
export const registerParametersSchema = z
  .object({
    model: z.string().min(1).describe("Registered model the run becomes a version of"),
    runId: z.string().min(1).describe("The run whose results are registered"),
    metrics: z.record(z.string(), z.number()).describe("Every metric, as logged (accuracy, f1, precision, recall…)"),
    specDigest: z.string().regex(SHA256_HEX).optional().describe("SHA-256 of the model spec's canonical JSON"),
    tags: z.record(z.string(), z.string()).optional().describe("Version tags (track, provider, experiment…)"),
    description: z.string().optional(),
  })
  .strict();
export type RegisterParameters = z.infer<typeof registerParametersSchema>;

/**
 * An action as it will execute: everything that affects the outcome is in here, because the SHA-256 of its
 * canonical JSON is what a person approves. Change one character of the SQL and it is another action.
 */
export const actionSpecSchema = z
  .object({
    kind: z.enum(ACTION_KINDS).describe("What sort of action"),
    target: z.string().min(1).describe("What it acts on: a catalog.schema.table, a pipeline, a registered model"),
    sql: z.string().min(1).optional().describe("The exact SQL that will run (lakehouse and pipeline actions)"),
    change: modelChangeSchema.optional().describe("The registry change (registry actions)"),
    parameters: z.record(z.string(), jsonValue).optional().describe("Any other input that changes the outcome"),
  })
  .strict()
  .superRefine((action, ctx) => {
    if (action.kind !== "registry.register") return;
    // a registration is approved for exactly these inputs: no SQL, no alias move, the parameters in full
    if (action.sql !== undefined)
      ctx.addIssue({ code: "custom", path: ["sql"], message: "not used by registry.register" });
    if (action.change !== undefined) {
      ctx.addIssue({ code: "custom", path: ["change"], message: "not used by registry.register (no version yet)" });
    }
    const parameters = registerParametersSchema.safeParse(action.parameters);
    if (!parameters.success) {
      for (const issue of parameters.error.issues) {
        ctx.addIssue({ code: "custom", path: ["parameters", ...issue.path.map(String)], message: issue.message });
      }
    } else if (parameters.data.model !== action.target) {
      ctx.addIssue({ code: "custom", path: ["parameters", "model"], message: "must equal target" });
    }
  });
export type ActionSpec = z.infer<typeof actionSpecSchema>;

/** Validates an action; a bad one is an {@link ApprovalError} naming each bad field. */
export function parseActionSpec(value: unknown): ActionSpec {
  const result = actionSpecSchema.safeParse(value);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join(".") || "(action)"}: ${i.message}`).join("; ");
    throw new ApprovalError("APPROVAL_ACTION_INVALID", `Invalid action spec: ${fields}`, {
      context: { issues: result.error.issues },
    });
  }
  return result.data;
}

/** The digest people approve: SHA-256 (hex) of the action's canonical JSON. */
export function actionDigest(action: ActionSpec): string {
  return sha256Digest(parseActionSpec(action));
}
