import type { AppConfig } from "@mlops/core";
import type { RunSummary } from "@mlops/registry";
import type { Command } from "commander";
import pc from "picocolors";
import { printJson, printLine } from "../output/print";
import { renderTable } from "../output/table";
import { withRegistry } from "./registry";

const fmt = (value: number | undefined) =>
  value === undefined ? "" : Number.isInteger(value) ? String(value) : value.toFixed(4);
const HEADLINE = ["accuracy", "f1", "precision", "recall"];

function printRuns(runs: RunSummary[]): void {
  printLine(
    renderTable(
      ["run", "name", "status", "started", ...HEADLINE],
      runs.map((r) => [r.runId, r.runName, r.status, r.startTime ?? "", ...HEADLINE.map((k) => fmt(r.metrics[k]))]),
    ),
  );
}

/** `mlops runs list|show|compare|sync`: tracked runs, and the results kept locally while MLflow was unreachable. */
export function registerRuns(program: Command, loadConfig: () => AppConfig): void {
  const runs = program.command("runs").description("Tracked runs (MLflow) and the local tracking outbox");

  runs
    .command("list")
    .description("The latest runs, newest first")
    .option("--experiment <name>", "one experiment only")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 50)
    .option("--json", "print as JSON")
    .action(async (options: { experiment?: string; limit: number; json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const list = await backend.listRuns({
          ...(options.experiment ? { experiment: options.experiment } : {}),
          limit: options.limit,
        });
        if (options.json) return printJson({ runs: list });
        if (list.length === 0) return printLine("No runs yet.");
        printRuns(list);
      }),
    );

  runs
    .command("show")
    .description("One run: params, metrics, tags and artifacts")
    .argument("<runId>")
    .option("--json", "print as JSON")
    .action(async (runId: string, options: { json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const run = await backend.showRun(runId);
        if (options.json) return printJson(run);
        printLine(`${pc.bold(run.runName)} ${run.runId}  ${run.status}  started ${run.startTime ?? "?"}`);
        for (const [title, values] of [
          ["params", run.params],
          ["metrics", Object.fromEntries(Object.entries(run.metrics).map(([k, v]) => [k, fmt(v)]))],
          ["tags", run.tags],
        ] as const) {
          if (Object.keys(values).length === 0) continue;
          printLine(`  ${title}:`);
          for (const [k, v] of Object.entries(values)) printLine(`    ${k} = ${v}`);
        }
        if (run.artifacts.length)
          printLine(`  artifacts: ${run.artifacts.map((a) => a.path + (a.is_dir ? "/" : "")).join(", ")}`);
      }),
    );

  runs
    .command("compare")
    .description("Runs side by side: the given ids, or the latest runs of an experiment")
    .argument("[runIds...]")
    .option("--experiment <name>", "compare this experiment's latest runs")
    .option("--json", "print as JSON")
    .action(async (runIds: string[], options: { experiment?: string; json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const comparison = await backend.compareRuns({
          ...(runIds.length ? { runIds } : {}),
          ...(options.experiment ? { experiment: options.experiment } : {}),
        });
        if (options.json) return printJson(comparison);
        if (comparison.runs.length === 0) return printLine("No runs to compare.");
        const ids = comparison.runs.map((r) => r.runId);
        printLine(
          renderTable(
            ["metric", ...comparison.runs.map((r) => r.runName || r.runId.slice(0, 8))],
            comparison.metrics.map((m) => [
              m.key,
              ...ids.map((id) => (m.best === id ? pc.green(fmt(m.values[id])) : fmt(m.values[id]))),
            ]),
          ),
        );
        for (const p of comparison.params) {
          printLine(`  ${p.key}: ${ids.map((id) => p.values[id] ?? "–").join(" | ")}`);
        }
      }),
    );

  runs
    .command("sync")
    .description("Log the results kept locally while the tracking server was unreachable")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const pending = await backend.outbox();
        if (pending.length === 0) {
          if (options.json) return printJson({ synced: [], failed: [], pending: 0 });
          return printLine("Nothing to sync: every result is logged.");
        }
        const report = await backend.sync();
        if (options.json) return printJson(report);
        for (const s of report.synced) {
          printLine(pc.green(`✔ ${s.id} → run ${s.runId}${s.registration ? ` (${s.registration.message})` : ""}`));
        }
        for (const f of report.failed) printLine(pc.red(`✘ ${f.id}: ${f.error}`));
        if (report.failed.length) process.exitCode = 1;
        printLine(`${report.synced.length} synced, ${report.failed.length} failed, ${report.pending} pending.`);
      }),
    );
}
