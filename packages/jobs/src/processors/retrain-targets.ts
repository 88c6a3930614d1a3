import { z } from "zod";

/** Where a retraining reads its labelled data: a CSV/JSONL file, or a lakehouse table (optionally filtered). */
export const retrainDataSchema = z.union([
  z.object({ path: z.string().min(1).describe("CSV (with a header) or JSONL file") }).strict(),
  z
    .object({
      table: z
        .string()
        .regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*){0,2}$/, "catalog.schema.table")
        .describe("Lakehouse table, catalog.schema.table"),
      where: z.string().min(1).optional().describe("SQL condition selecting the training rows"),
      limit: z.number().int().positive().optional().describe("At most this many rows (newest are not preferred)"),
    })
    .strict(),
]);

/**
 * How a monitored model is retrained: its training data and the experiment run on it. Configured under
 * `monitors.retrain` in mlops.config.yaml, one entry per registered model (or per monitor).
 *
 * @example
 * monitors:
 *   retrain:
 *     - model: main.ml.churn_model
 *       data: { table: main.silver.churn, where: "event_time >= now() - INTERVAL 90 DAY" }
 *       labelCol: churn
 *       textCols: [contract, notes]
 */
export const retrainTargetSchema = z
  .object({
    model: z.string().min(1).describe("Registered model the breach names (the monitor's `model:`)"),
    monitor: z.string().min(1).optional().describe("Only for breaches of this monitor"),
    data: retrainDataSchema,
    models: z
      .array(z.string().min(1))
      .min(1)
      .default(["local/tfidf-logreg", "local/naive-bayes"])
      .describe("Models to train and compare (local ones need no endpoint)"),
    labelCol: z.string().min(1).default("label"),
    textCols: z.array(z.string().min(1)).min(1).default(["text"]),
    sentimentCol: z.string().min(1).optional(),
    testFraction: z.number().gt(0).lt(1).optional(),
    seed: z.number().int().min(0).optional(),
    limit: z.number().int().positive().optional().describe("Score at most this many test items"),
    mlflowExperiment: z.string().min(1).optional().describe("MLflow experiment (default mlops/retrain-<model>)"),
  })
  .strict();

export type RetrainTarget = z.output<typeof retrainTargetSchema>;
export type RetrainTargetInput = z.input<typeof retrainTargetSchema>;

/** Reads `monitors.retrain` (a list) from the `monitors:` config section; other keys of the section are ignored. */
export function parseRetrainTargets(section: unknown): RetrainTarget[] {
  if (!section || typeof section !== "object") return [];
  const list = (section as { retrain?: unknown }).retrain;
  if (list === undefined) return [];
  return z.array(retrainTargetSchema).parse(list);
}

/** The target for a breach: one naming its monitor first, then one for its model. */
export function findRetrainTarget(
  targets: readonly RetrainTarget[],
  request: { model: string; monitor: string },
): RetrainTarget | undefined {
  return (
    targets.find((t) => t.model === request.model && t.monitor === request.monitor) ??
    targets.find((t) => t.model === request.model && t.monitor === undefined)
  );
}
