import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { STATISTICS } from "../drift/compute-drift";
import { samplingSchema } from "../drift/sampling";
import { MonitorError } from "../monitor-error";

const duration = z
  .string()
  .regex(/^\d+(m|h|d|w)$/, "a duration such as 30m, 12h, 7d or 2w")
  .describe("Duration: a number and m, h, d or w");

const windowSpec = z
  .object({
    table: z.string().min(1).optional().describe("Read this window from another table (default: the monitor's table)"),
    where: z.string().min(1).optional().describe("SQL condition selecting the window's rows"),
    from: z.string().optional().describe("Inclusive start (ISO timestamp) on the time column"),
    to: z.string().optional().describe("Exclusive end (ISO timestamp) on the time column"),
    last: duration.optional().describe("Relative window: this long, ending `offset` before the run"),
    offset: duration.optional().describe("How long before the run a relative window ends (default 0)"),
  })
  .strict();

const level = z.object({ warn: z.number().nonnegative(), alert: z.number().nonnegative() }).strict();
const test = z
  .object({
    pValue: z.number().gt(0).lt(1).default(0.05).describe("Alert when the p-value is below this"),
    minSamples: z.number().int().min(1).default(100).describe("Both windows need this many values to judge"),
  })
  .strict();

export const thresholdsSchema = z
  .object({
    psi: level.default({ warn: 0.1, alert: 0.25 }),
    ks: test.default({ pValue: 0.05, minSamples: 100 }),
    chiSquare: test.default({ pValue: 0.05, minSamples: 100 }),
    jsDistance: level.optional().describe("No default: JS distance is reported, judged only when set"),
    wasserstein: level.optional(),
    nullRate: level.default({ warn: 0.05, alert: 0.2 }).describe("Increase of the null rate, current − baseline"),
    accuracyDrop: level.default({ warn: 0.02, alert: 0.05 }).describe("Accuracy drop, baseline − current"),
    derived: z
      .object({
        slices: z.number().int().min(2).max(24).default(4),
        warnSigmas: z.number().positive().default(2),
        alertSigmas: z.number().positive().default(3),
      })
      .strict()
      .optional()
      .describe("Derive PSI thresholds per column from the spread between slices of the baseline window"),
  })
  .strict();

export const monitorSpecSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,62}$/, "lower-case letters, digits, _ or -, starting with a letter")
      .describe("Monitor name"),
    table: z.string().min(1).describe("Monitored table, catalog.schema.table"),
    timeColumn: z.string().min(1).optional(),
    columns: z.array(z.string().min(1)).min(1).optional().describe("Default: every column but the time column"),
    categoricalColumns: z.array(z.string().min(1)).default([]),
    windows: z.object({ baseline: windowSpec, current: windowSpec }).strict(),
    statistics: z.array(z.enum(STATISTICS)).min(1).optional(),
    psiBins: z.number().int().min(2).max(100).default(10),
    sampling: samplingSchema
      .default("auto")
      .describe(
        "auto: exact up to 1,000,000 rows per window, a uniform 50,000-row sample of a larger one; exact; or { rowsPerWindow }",
      ),
    thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
    prediction: z
      .object({
        predictionColumn: z.string().min(1).describe("Predicted label: drift by frequencies"),
        confidenceColumn: z.string().min(1).optional().describe("Predicted probability: drift by distribution"),
        labelColumn: z.string().min(1).optional().describe("Ground truth, where it has arrived: accuracy per window"),
      })
      .strict()
      .optional(),
    schedule: z
      .object({
        cron: z.string().min(1).optional().describe("Cron pattern, e.g. `0 6 * * *`"),
        every: duration.optional(),
        tz: z.string().optional(),
      })
      .strict()
      .refine((s) => Boolean(s.cron) !== Boolean(s.every), "give exactly one of cron or every")
      .optional(),
    onBreach: z.enum(["retrain", "reevaluate", "none"]).default("none"),
    /** Registered model the retrain / re-evaluation is for. */
    model: z.string().min(1).optional(),
    resultsTable: z.string().min(1).default("main.gold.monitor_results"),
  })
  .strict();

export type MonitorSpec = z.output<typeof monitorSpecSchema>;
export type MonitorSpecInput = z.input<typeof monitorSpecSchema>;
export type MonitorWindowSpec = z.output<typeof windowSpec>;
export type MonitorThresholds = z.output<typeof thresholdsSchema>;

/** Validates a monitor definition, with an error naming each bad field. */
export function parseMonitorSpec(input: unknown): MonitorSpec {
  const result = monitorSpecSchema.safeParse(input);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join(".") || "(monitor)"}: ${i.message}`).join("; ");
    throw new MonitorError("MONITOR_INVALID_SPEC", `Invalid monitor definition: ${fields}`, {
      hint: "See the monitor YAML example in packages/monitors/README.md.",
      context: { issues: result.error.issues },
    });
  }
  const spec = result.data;
  if (spec.onBreach !== "none" && !spec.model) {
    throw new MonitorError("MONITOR_INVALID_SPEC", `Monitor ${spec.name} has onBreach ${spec.onBreach} but no model.`, {
      hint: "Name the registered model the breach should retrain or re-evaluate (`model:`).",
    });
  }
  return spec;
}

/** Reads one monitor (a mapping) or several (a list, or `monitors:` holding a list) from YAML text. */
export function parseMonitorYaml(text: string): MonitorSpec[] {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (cause) {
    throw new MonitorError("MONITOR_INVALID_SPEC", `Monitor YAML does not parse: ${(cause as Error).message}`, {
      cause,
    });
  }
  const list =
    parsed && typeof parsed === "object" && !Array.isArray(parsed) && "monitors" in parsed
      ? (parsed as { monitors: unknown }).monitors
      : parsed;
  return (Array.isArray(list) ? list : [list]).map(parseMonitorSpec);
}

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Milliseconds of a duration like `7d`. */
export function durationMs(text: string): number {
  const match = /^(\d+)(m|h|d|w)$/.exec(text);
  if (!match)
    throw new MonitorError("MONITOR_INVALID_ARGUMENT", `Not a duration: ${text}`, { hint: "Use 30m, 12h, 7d or 2w." });
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** The default thresholds (PSI 0.1 / 0.25, KS and chi-square p < 0.05 with ≥ 100 values, null rate, accuracy). */
export function thresholdsSchemaDefaults(): MonitorThresholds {
  return thresholdsSchema.parse({});
}
