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
  .strict();
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
