import { z } from "zod";
import { defineJob } from "./define-job";

/** Queue of monitor work: scheduled and manual runs, breach actions, expectation results. */
export const MONITORS_QUEUE = "monitors";

/** Runs one stored monitor (statistics pushed down to the lakehouse; results to the gold table). */
export const monitorRunJob = defineJob({
  name: "monitor.run",
  queue: MONITORS_QUEUE,
  description: "Runs a stored monitor: drift statistics between its windows, thresholds, results, breach actions.",
  payload: z.object({
    monitor: z.string().min(1).describe("Monitor name (`mlops monitor list`)"),
    trigger: z.enum(["schedule", "manual", "api", "agent"]).default("schedule").describe("What started the run"),
  }),
  result: z.object({
    runId: z.string(),
    status: z.enum(["ok", "warn", "alert"]),
    breaches: z.number().int(),
    action: z.object({ kind: z.string(), jobId: z.string().optional(), error: z.string().optional() }).nullable(),
  }),
  attempts: 2,
  backoffMs: 5_000,
  timeoutMs: 30 * 60_000,
});

const breach = z.object({
  column: z.string(),
  statistic: z.string(),
  value: z.number(),
  pValue: z.number().optional(),
  status: z.string(),
  warnThreshold: z.number().nullable(),
  alertThreshold: z.number().nullable(),
});

/** What a monitor breach asks for: retrain the model (ends in a challenger awaiting approval) or re-evaluate it. */
export const monitorBreachActionJob = defineJob({
  name: "monitor.breach-action",
  queue: MONITORS_QUEUE,
  description: "Retrains or re-evaluates a model after a monitor breach, through the injected retrain service.",
  payload: z.object({
    monitor: z.string().min(1),
    runId: z.string().min(1).describe("The monitor run that breached"),
    kind: z.enum(["retrain", "reevaluate"]),
    model: z.string().min(1).describe("Registered model, catalog.schema.model"),
    table: z.string().min(1).describe("The monitored table"),
    reason: z.string().min(1),
    breaches: z.array(breach),
  }),
  result: z.object({ kind: z.enum(["retrain", "reevaluate"]), outcome: z.record(z.string(), z.unknown()) }),
  attempts: 1,
  backoffMs: 10_000,
  timeoutMs: 2 * 60 * 60_000,
});

/** Data-quality expectation results from a pipeline, into the monitoring results table. */
export const monitorExpectationsJob = defineJob({
  name: "monitor.expectations",
  queue: MONITORS_QUEUE,
  description: "Records a pipeline's data-quality expectation results in the gold monitoring table.",
  payload: z.object({
    pipeline: z.string().min(1),
    table: z.string().min(1),
    runId: z.string().min(1).optional(),
    results: z
      .array(
        z.object({
          name: z.string().min(1),
          column: z.string().min(1).optional(),
          action: z.enum(["warn", "drop", "fail"]),
          passed: z.boolean(),
          rows: z.number().int().min(0),
          failedRows: z.number().int().min(0),
          details: z.record(z.string(), z.unknown()).optional(),
        }),
      )
      .min(1),
  }),
  result: z.object({ runId: z.string(), rows: z.number().int(), status: z.enum(["ok", "warn", "alert"]) }),
  attempts: 3,
  backoffMs: 2_000,
  timeoutMs: 10 * 60_000,
});
