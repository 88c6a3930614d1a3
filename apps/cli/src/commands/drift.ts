import { type AppConfig, MlopsError } from "@mlops/core";
import { createLakehouse } from "@mlops/lakehouse";
import { formatNumber, type OneOffDrift, runOneOffDrift, type Sampling } from "@mlops/monitors";
import { lakehouseOptions } from "@mlops/stack";
import type { Command } from "commander";
import pc from "picocolors";
import { apiClientFor } from "../backend/connect";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";

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
    .option(
      "--exact",
      "every statistic over every row, however large the windows (default: sample windows over 1M rows)",
    )
    .option("--sample-rows <n>", "sample any window larger than this many rows (default: 50,000 above 1M rows)")
    .option("--json", "print the report as JSON")
    .action(
      async (options: {
        table: string;
        baseline: string;
        current: string;
        columns?: string;
        categorical?: string;
        timeColumn?: string;
        exact?: boolean;
        sampleRows?: string;
        json?: boolean;
      }) => {
        const split = (v?: string) =>
          v
            ?.split(",")
            .map((c) => c.trim())
            .filter(Boolean);
        const sampling = parseSampling(options);
        const columns = split(options.columns);
        const categorical = split(options.categorical);
        const request: OneOffDrift = {
          table: options.table,
          baseline: options.baseline,
          current: options.current,
          ...(columns ? { columns } : {}),
          ...(categorical ? { categorical } : {}),
          ...(options.timeColumn ? { timeColumn: options.timeColumn } : {}),
          ...(sampling ? { sampling } : {}),
        };
        const config = loadConfig();
        const api = apiClientFor(config);
        // A running stack holds the DuckDB file, so the check runs there; otherwise in this process.
        let report: Awaited<ReturnType<typeof runOneOffDrift>>;
        if (await api.isUp()) report = await api.request("POST", "/v1/drift", request);
        else {
          const lakehouse = await createLakehouse(lakehouseOptions(config));
          try {
            report = await runOneOffDrift(lakehouse, request);
          } finally {
            await lakehouse.close();
          }
        }
        const judged = report.values;
        if (options.json) {
          printJson(report);
          return;
        }
        say(
          `${report.table} on ${report.engine}: baseline ${report.baselineRows} rows, current ${report.currentRows} rows (${report.queries} queries, ${report.elapsedMs} ms)`,
        );
        if (report.sample) say(describeSample(report.sample));
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
      },
    );
}

/** `--exact` / `--sample-rows N` as a sampling setting; neither: the default (auto). */
function parseSampling(options: { exact?: boolean; sampleRows?: string }): Sampling | undefined {
  if (options.exact && options.sampleRows !== undefined) {
    throw new MlopsError("CLI_USAGE", "Give --exact or --sample-rows, not both.", {
      hint: "--exact reads every row; --sample-rows N samples windows over N rows.",
    });
  }
  if (options.exact) return "exact";
  if (options.sampleRows === undefined) return undefined;
  const rows = Number(options.sampleRows.replaceAll(/[_,]/g, ""));
  if (!Number.isInteger(rows) || rows <= 0) {
    throw new MlopsError(
      "CLI_USAGE",
      `--sample-rows takes a positive whole number of rows, not ${options.sampleRows}.`,
      {
        hint: "For example --sample-rows 100000.",
      },
    );
  }
  return { rowsPerWindow: rows };
}

/** One line on what the distribution statistics read when a window was sampled. */
export function describeSample(sample: { baselineFraction: number; currentFraction: number }): string {
  const pct = (f: number) => (f >= 1 ? "all" : `${Number((f * 100).toPrecision(2))}%`);
  return `psi, js_distance, ks, wasserstein, chi_square and distinct_count on a uniform row sample (baseline ${pct(
    sample.baselineFraction,
  )}, current ${pct(sample.currentFraction)}); row counts, null rates and means over every row. --exact reads all.`;
}
