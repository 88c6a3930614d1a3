import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type AppConfig, createLogger, formatError } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import { syncMonitorSchedules } from "@mlops/jobs";
import { createLakehouse } from "@mlops/lakehouse";
import {
  createMemoryAlertSink,
  createMonitorStore,
  formatNumber,
  MonitorError,
  parseMonitorYaml,
  type ResultHistoryPoint,
  readResultHistory,
  renderDriftSvg,
  runMonitor,
  type StoredMonitor,
  seriesByColumn,
  sparkline,
} from "@mlops/monitors";
import { connectRedis, isFinished, type JobRecord } from "@mlops/queue";
import { lakehouseOptions } from "@mlops/stack";
import type { Command } from "commander";
import pc from "picocolors";
import type { ApiClient } from "../backend/api-client";
import { apiClientFor } from "../backend/connect";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";
import { statusColour } from "./drift";

const HISTORY_STATISTICS = [
  "psi",
  "ks",
  "chi_square",
  "js_distance",
  "wasserstein",
  "null_rate",
  "mean",
  "distinct_count",
  "accuracy",
];

/** The running stack, when one answers: it holds the embedded database and the lakehouse, so monitors go through it. */
async function runningApi(config: AppConfig): Promise<ApiClient | undefined> {
  const api = apiClientFor(config);
  return (await api.isUp()) ? api : undefined;
}

async function withStore<T>(config: AppConfig, work: (store: ReturnType<typeof createMonitorStore>) => Promise<T>) {
  const database = await openDatabase({ url: config.databaseUrl, home: config.home });
  try {
    return await work(createMonitorStore(database.db));
  } finally {
    await database.close();
  }
}

/** Registers stored monitors' schedules as BullMQ job schedulers; says so when Redis is not there. */
async function syncSchedules(config: AppConfig, store: ReturnType<typeof createMonitorStore>): Promise<void> {
  const connection = connectRedis(config.redisUrl);
  connection.on("error", () => {});
  try {
    const sync = await syncMonitorSchedules({ connection, prefix: config.queuePrefix, monitors: await store.list() });
    say(
      `schedules: ${sync.upserted.length} registered${sync.removed.length ? `, ${sync.removed.length} removed` : ""}`,
    );
  } catch (error) {
    say(pc.yellow(`schedules not registered (${formatError(error)}); they are registered when a worker starts`));
  } finally {
    connection.disconnect();
  }
}

export function registerMonitor(program: Command, loadConfig: () => AppConfig): void {
  const monitor = program.command("monitor").description("Drift, prediction-drift and model-quality monitors");

  monitor
    .command("create")
    .description("Create monitors from a YAML file (one monitor, a list, or `monitors:`)")
    .requiredOption("--file <path>", "monitor definition YAML")
    .option("--replace", "update monitors that already exist")
    .option("--json", "print the stored monitors as JSON")
    .action(async (options: { file: string; replace?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const specs = parseMonitorYaml(readFileSync(resolve(options.file), "utf8"));
      const api = await runningApi(config);
      if (api) {
        const saved: StoredMonitor[] = [];
        for (const spec of specs)
          saved.push(await api.request("POST", "/v1/monitors", { spec, replace: options.replace ?? false }));
        if (options.json) return printJson(saved);
        for (const m of saved)
          printLine(
            `created monitor ${pc.bold(m.spec.name)} on ${m.spec.table}${m.schedule ? ` (${m.schedule})` : ""}`,
          );
        return;
      }
      await withStore(config, async (store) => {
        const saved = [];
        for (const spec of specs)
          saved.push(await store.save(spec, { createdBy: "cli", replace: options.replace ?? false }));
        if (saved.some((m) => m.schedule)) await syncSchedules(config, store);
        if (options.json) printJson(saved);
        else
          for (const m of saved)
            printLine(
              `created monitor ${pc.bold(m.spec.name)} on ${m.spec.table}${m.schedule ? ` (${m.schedule})` : ""}`,
            );
      });
    });

  monitor
    .command("list")
    .description("List monitors with their schedule and last status")
    .option("--json", "print as JSON")
    .action(async (options: { json?: boolean }) => {
      const config = loadConfig();
      const api = await runningApi(config);
      const monitors = api
        ? (await api.request<{ monitors: StoredMonitor[] }>("GET", "/v1/monitors")).monitors
        : await withStore(config, (store) => store.list());
      if (options.json) return printJson(monitors);
      if (monitors.length === 0) return say("no monitors yet: `mlops monitor create --file monitor.yaml`");
      printLine(
        renderTable(
          ["name", "table", "schedule", "on breach", "last status", "last run"],
          monitors.map((m) => [
            m.spec.name,
            m.spec.table,
            m.schedule ?? "-",
            m.spec.onBreach,
            m.lastStatus ? statusColour(m.lastStatus) : "-",
            m.lastRunAt ? new Date(m.lastRunAt).toISOString() : "-",
          ]),
        ),
      );
    });

  monitor
    .command("run")
    .description("Run a monitor now, in this process; results go to the gold monitoring table")
    .argument("<name>")
    .option("--json", "print the run as JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const config = loadConfig();
      const api = await runningApi(config);
      if (api) {
        // The running stack runs it as a `monitor.run` job, where breaches can start retraining.
        say(`(using the running stack at ${api.baseUrl}: a monitor.run job)`);
        let job = await api.request<JobRecord>("POST", `/v1/monitors/${encodeURIComponent(name)}/run`);
        while (!isFinished(job.status)) {
          await new Promise((r) => setTimeout(r, 250));
          job = await api.request<JobRecord>("GET", `/v1/jobs/${encodeURIComponent(job.id)}`);
        }
        if (options.json) return printJson(job);
        if (job.status !== "completed") {
          process.exitCode = 1;
          return printLine(`${pc.bold(name)}: ${pc.red(job.status)} — ${job.error ?? ""}`);
        }
        const result = job.result as {
          runId: string;
          status: string;
          breaches: number;
          action: { kind: string } | null;
        };
        printLine(
          `${pc.bold(name)}: ${statusColour(result.status)} (${result.breaches} breaches, run ${result.runId})`,
        );
        if (result.action && result.action.kind !== "none") printLine(`  on breach: ${result.action.kind} job queued`);
        printLine(pc.dim(`details: mlops monitor show ${name}`));
        return;
      }
      await withStore(config, async (store) => {
        const { spec } = await store.get(name);
        const lakehouse = await createLakehouse(lakehouseOptions(config));
        try {
          const alerts = createMemoryAlertSink();
          const logger = createLogger({ level: "warn", name: "cli" });
          const result = await runMonitor(spec, { lakehouse, store, alerts, logger }, { trigger: "manual" });
          if (options.json) return printJson(result);
          say(`run ${result.runId}: ${result.values.length} statistics → ${result.resultsTable}`);
          printLine(`${pc.bold(spec.name)}: ${statusColour(result.status)}`);
          for (const b of result.breaches) {
            printLine(
              `  ${statusColour(b.status)} ${b.column} ${b.statistic} = ${formatNumber(b.value)}${b.pValue !== undefined ? ` (p=${formatNumber(b.pValue)})` : ""}`,
            );
          }
          if (result.alert) printLine(pc.dim(result.alert.text));
        } finally {
          await lakehouse.close();
        }
      });
    });

  monitor
    .command("show")
    .description("A monitor's latest results as a table, drift over time as sparklines and an SVG picture")
    .argument("<name>")
    .option("--statistic <name>", "statistic drawn over time", "psi")
    .option("--runs <n>", "runs to show", (v) => Number.parseInt(v, 10), 30)
    .option("--json", "print as JSON")
    .action(async (name: string, options: { statistic: string; runs: number; json?: boolean }) => {
      const config = loadConfig();
      const api = await runningApi(config);
      const load = async (): Promise<{ stored: StoredMonitor; history: ResultHistoryPoint[] }> => {
        if (api) {
          const path = `/v1/monitors/${encodeURIComponent(name)}`;
          const stored = await api.request<StoredMonitor>("GET", path);
          const query = `statistics=${HISTORY_STATISTICS.join(",")}&runs=${options.runs}`;
          const { history } = await api.request<{ history: ResultHistoryPoint[] }>("GET", `${path}/results?${query}`);
          return { stored, history };
        }
        return withStore(config, async (store) => {
          const stored = await store.get(name);
          const lakehouse = await createLakehouse(lakehouseOptions(config));
          try {
            const history = await readResultHistory(lakehouse, name, {
              table: stored.spec.resultsTable,
              statistics: HISTORY_STATISTICS,
              limitRuns: options.runs,
            });
            return { stored, history };
          } finally {
            await lakehouse.close();
          }
        });
      };
      const { stored, history } = await load();
      if (history.length === 0) {
        throw new MonitorError("MONITOR_NOT_FOUND", `Monitor ${name} has no results yet.`, {
          hint: `Run it: \`mlops monitor run ${name}\`.`,
        });
      }
      const dir = join(config.home, "monitors", name);
      mkdirSync(dir, { recursive: true });
      const svgPath = join(dir, "drift.svg");
      writeFileSync(svgPath, renderDriftSvg(name, history, options.statistic));
      const lastRun = history[history.length - 1]!.runId;
      const latest = history.filter((h) => h.runId === lastRun);
      const series = seriesByColumn(history, options.statistic);
      if (options.json) return printJson({ monitor: stored, latest, svg: svgPath });
      printLine(`${pc.bold(name)} on ${stored.spec.table}: last run ${lastRun} at ${latest[0]!.runAt}`);
      printLine(
        renderTable(
          ["column", "statistic", "value", "warn", "alert", "status"],
          latest.map((h) => [
            h.columnName,
            h.statistic,
            h.value === null ? "" : formatNumber(h.value),
            h.warnThreshold === null ? "" : String(h.warnThreshold),
            h.alertThreshold === null ? "" : String(h.alertThreshold),
            statusColour(h.status),
          ]),
        ),
      );
      printLine();
      printLine(`${options.statistic} over the last ${series.runs.length} runs:`);
      const width = Math.max(...[...series.columns.keys()].map((c) => c.length));
      // one scale for every column (and the alert level), so a quiet column looks quiet
      const scale = Math.max(
        series.alert ?? 0,
        ...[...series.columns.values()].flat().filter((v): v is number => v !== null && Number.isFinite(v)),
      );
      for (const [column, values] of series.columns) {
        const last = values[values.length - 1];
        printLine(
          `  ${column.padEnd(width)}  ${sparkline(values, scale)}  ${last === null || last === undefined ? "" : formatNumber(last)}`,
        );
      }
      printLine();
      printLine(`picture: ${svgPath}`);
    });
}
