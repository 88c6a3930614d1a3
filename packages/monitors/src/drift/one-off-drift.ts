import { type Lakehouse, parseTableName } from "@mlops/lakehouse";
import { z } from "zod";
import { thresholdsSchemaDefaults } from "../monitor/monitor-spec";
import { type JudgedValue, judge } from "../monitor/thresholds";
import { type DriftReport, runDriftCheck } from "./compute-drift";
import type { DriftWindow } from "./drift-window";
import { samplingSchema } from "./sampling";

/** A one-off drift check, as `mlops drift` and `POST /v1/drift` take it. */
export const oneOffDriftSchema = z.object({
  table: z.string().min(1).describe("catalog.schema.table"),
  baseline: z.string().min(1).describe("Baseline window: a where-clause over `table`, or another table's name"),
  current: z.string().min(1).describe("Current window: a where-clause over `table`, or another table's name"),
  columns: z.array(z.string().min(1)).optional().describe("Columns to compare (default: all)"),
  categorical: z.array(z.string().min(1)).optional().describe("Numeric columns to compare by frequencies"),
  timeColumn: z.string().min(1).optional().describe("Time column, left out of the default columns"),
  sampling: samplingSchema
    .optional()
    .describe("auto (default): a 50,000-row sample of windows over 1,000,000 rows; exact; or { rowsPerWindow }"),
});
export type OneOffDrift = z.infer<typeof oneOffDriftSchema>;

/** An existing table's name, otherwise a where-clause over the checked table. */
async function toWindow(lakehouse: Lakehouse, text: string): Promise<DriftWindow> {
  if (/^[`"\w.]+$/.test(text.trim())) {
    try {
      const name = parseTableName(text.trim(), lakehouse.defaults);
      if (await lakehouse.tableExists(name)) return { table: text.trim() };
    } catch {
      // not a table name: a where-clause
    }
  }
  return { where: text };
}

/** Runs the statistics in the lakehouse and judges them against the default thresholds. */
export async function runOneOffDrift(
  lakehouse: Lakehouse,
  request: OneOffDrift,
): Promise<Omit<DriftReport, "values"> & { values: JudgedValue[] }> {
  const report = await runDriftCheck({
    lakehouse,
    table: request.table,
    baseline: await toWindow(lakehouse, request.baseline),
    current: await toWindow(lakehouse, request.current),
    ...(request.columns ? { columns: request.columns } : {}),
    ...(request.categorical ? { categoricalColumns: request.categorical } : {}),
    ...(request.timeColumn ? { timeColumn: request.timeColumn } : {}),
    ...(request.sampling ? { sampling: request.sampling } : {}),
  });
  return { ...report, values: judge(report.values, thresholdsSchemaDefaults()) };
}
