import type { AppConfig } from "@mlops/core";
import { createLakehouse, type Lakehouse, parseTableName } from "@mlops/lakehouse";
import { type DriftWindow, formatNumber, judge, runDriftCheck, thresholdsSchemaDefaults } from "@mlops/monitors";
import { lakehouseOptions } from "@mlops/stack";
import type { Command } from "commander";
import pc from "picocolors";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";

/** `--baseline` / `--current`: an existing table's name, otherwise a where-clause over `--table`. */
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

export const statusColour = (status: string) =>
  status === "alert" ? pc.red(status) : status === "warn" ? pc.yellow(status) : pc.green(status);

export function registerDrift(program: Command, loadConfig: () => AppConfig): void {
  program
    .command("drift")
    .description("One-off drift check between two windows of a table (statistics computed in the lakehouse)")
    .requiredOption("--table <name>", "catalog.schema.table")
    .requiredOption("--baseline <where|table>", "baseline window: a where-clause over --table, or a table")
    .requiredOption("--current <where|table>", "current window: a where-clause over --table, or a table")
    .option("--columns <a,b>", "columns to compare (default: all)")
    .option("--categorical <a,b>", "numeric columns to compare by frequencies")
    .option("--time-column <name>", "time column (excluded from the default columns)")
    .option("--json", "print the report as JSON")
    .action(
      async (options: {
        table: string;
        baseline: string;
        current: string;
        columns?: string;
        categorical?: string;
        timeColumn?: string;
        json?: boolean;
      }) => {
        const lakehouse = await createLakehouse(lakehouseOptions(loadConfig()));
        try {
          const split = (v?: string) =>
            v
              ?.split(",")
              .map((c) => c.trim())
              .filter(Boolean);
          const columns = split(options.columns);
          const categorical = split(options.categorical);
          const report = await runDriftCheck({
            lakehouse,
            table: options.table,
            baseline: await toWindow(lakehouse, options.baseline),
            current: await toWindow(lakehouse, options.current),
            ...(columns ? { columns } : {}),
            ...(categorical ? { categoricalColumns: categorical } : {}),
            ...(options.timeColumn ? { timeColumn: options.timeColumn } : {}),
          });
          const judged = judge(report.values, thresholdsSchemaDefaults());
          if (options.json) {
            printJson({ ...report, values: judged });
            return;
          }
          say(
            `${report.table} on ${report.engine}: baseline ${report.baselineRows} rows, current ${report.currentRows} rows (${report.queries} queries, ${report.elapsedMs} ms)`,
          );
          printLine(
            renderTable(
              ["column", "statistic", "value", "p-value", "baseline", "current", "status"],
              judged.map((v) => [
                v.column,
                v.statistic,
                formatNumber(v.value),
                v.pValue === undefined ? "" : formatNumber(v.pValue),
                v.baselineValue === undefined ? "" : formatNumber(v.baselineValue),
                v.currentValue === undefined ? "" : formatNumber(v.currentValue),
                statusColour(v.status),
              ]),
            ),
          );
        } finally {
          await lakehouse.close();
        }
      },
    );
}
