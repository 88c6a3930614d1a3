import { type AppConfig, createLogger, MlopsError } from "@mlops/core";
import {
  cancelExperiment,
  describeExperiment,
  type ExperimentReport,
  type ExperimentSpecInput,
  ExperimentStore,
  type ExperimentView,
  endpointRegistryFromConfig,
  isExperimentFinished,
  listExperiments,
} from "@mlops/experiments";
import { type ExperimentReportWithOutcome, submitExperiment } from "@mlops/jobs";
import type { ExperimentRegistration } from "@mlops/queue";
import { openStack } from "@mlops/stack";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { Command } from "commander";
import pc from "picocolors";
import { apiClientFor } from "../backend/connect";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";

type ExperimentSummary = Awaited<ReturnType<typeof listExperiments>>[number];

/** Experiments through the running stack (HTTP) or this process (stack opened here, with a worker for `run`). */
interface ExperimentBackend {
  description: string;
  submit(spec: ExperimentSpecInput, registration?: Partial<ExperimentRegistration>): Promise<string>;
  get(id: string): Promise<ExperimentView>;
  list(limit: number): Promise<ExperimentSummary[]>;
  cancel(id: string): Promise<ExperimentView>;
  close(): Promise<void>;
}

async function connectExperiments(config: AppConfig, options: { worker: boolean }): Promise<ExperimentBackend> {
  const api = apiClientFor(config);
  if (await api.isUp()) {
    const path = (id: string, suffix = "") => `/v1/experiments/${encodeURIComponent(id)}${suffix}`;
    return {
      description: `using the running stack at ${api.baseUrl}`,
      // `registration` rides along in the body; an API that predates it applies the default (sample → news-classifier)
      submit: async (spec, registration) =>
        (
          await api.request<ExperimentView>("POST", "/v1/experiments", {
            ...spec,
            ...(registration ? { registration } : {}),
          })
        ).id,
      get: (id) => api.request<ExperimentView>("GET", path(id)),
      list: async (limit) =>
        (await api.request<{ experiments: ExperimentSummary[] }>("GET", `/v1/experiments?limit=${limit}`)).experiments,
      cancel: (id) => api.request<ExperimentView>("POST", path(id, "/cancel")),
      close: async () => {},
    };
  }
  const logger = createLogger({ level: config.logLevel === "info" ? "warn" : config.logLevel, name: "cli" });
  const stack = await openStack(config, logger);
  const worker = options.worker ? stack.startWorker() : undefined;
  const store = new ExperimentStore(stack.database.db);
  return {
    description: worker
      ? `no running stack; using an in-process worker (${worker.workerId}) for this command`
      : "no running stack; reading the local database",
    submit: async (spec, registration) =>
      (
        await submitExperiment({
          db: stack.database.db,
          jobs: stack.jobs,
          registry: endpointRegistryFromConfig(config),
          spec,
          requestedBy: "cli",
          ...(registration ? { registration } : {}),
        })
      ).experimentId,
    get: (id) => describeExperiment(store, id),
    list: (limit) => listExperiments(store, limit),
    cancel: (id) => cancelExperiment(store, id),
    close: () => stack.close(),
  };
}

const list = (raw: string) =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const number = (flag: string) => (raw: string) => {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new MlopsError("REQUEST_INVALID", `${flag} must be a positive number, got ${raw}`);
  return value;
};
const pct = (x: number | undefined) => (x === undefined ? "—" : `${(x * 100).toFixed(1)}%`);
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const usd = (x: number) => (x === 0 ? "$0" : x < 0.01 ? `$${x.toFixed(5)}` : `$${x.toFixed(3)}`);

/** The comparison table, significance and recommendation, as a person reads them. */
export function renderReport(report: ExperimentReport): string {
  const lines: string[] = [];
  const title = `Experiment ${report.experimentId} — ${report.status}${report.simulated ? pc.yellow(" (includes SIMULATED endpoints)") : ""}`;
  lines.push(pc.bold(title));
  if (report.dataset) {
    const d = report.dataset;
    lines.push(
      `dataset ${d.source}: ${d.scoredItems} test items scored (${d.testItems} held out), ${d.trainItems} for training; ` +
        `prompt ${report.promptVersion}`,
    );
    if (d.skipped.count > 0) {
      const rows = d.skipped.rows.slice(0, 10).map((r) => `${r.file} row ${r.row} (${r.reason})`);
      lines.push(pc.yellow(`${d.skipped.count} rows left out: ${rows.join("; ")}${d.skipped.count > 10 ? "; …" : ""}`));
    }
  }
  lines.push("");
  lines.push(
    renderTable(
      [
        "model",
        "track",
        "status",
        "items",
        "cat acc",
        "cat F1",
        "sent acc",
        "sent F1",
        "invalid",
        "p50 ms",
        "p95 ms",
        "max ms",
        "tokens",
        "cost",
        "$/1k",
      ],
      report.models.map((m) => [
        m.simulated ? `${m.model} ${pc.yellow("[simulated]")}` : m.model,
        m.track,
        m.status === "failed" ? pc.red("failed") : m.status === "completed" ? pc.green(m.status) : pc.yellow(m.status),
        String(m.evaluated),
        pct(m.category?.accuracy),
        pct(m.category?.macro.f1),
        pct(m.sentiment?.accuracy),
        pct(m.sentiment?.macro.f1),
        pct(m.category?.invalidRate ?? m.sentiment?.invalidRate),
        ms(m.latencyMs.p50),
        ms(m.latencyMs.p95),
        ms(m.latencyMs.max),
        String(m.tokens.total),
        usd(m.cost.totalUsd),
        usd(m.cost.per1kItemsUsd),
      ]),
    ),
  );
  const c = report.comparison;
  if (c) {
    lines.push("");
    lines.push(pc.bold(`Significance (${c.task}, ${c.items} shared items)`));
    const ci = (x: { estimate: number; low: number; high: number }) =>
      `${pct(x.estimate)} [${pct(x.low)}, ${pct(x.high)}]`;
    lines.push(
      `  ${c.a}: ${ci(c.accuracyA)}   ${c.b}: ${ci(c.accuracyB)}   difference: ${ci(c.difference)} (95% bootstrap)`,
    );
    lines.push(
      `  McNemar (${c.mcnemar.method}): ${c.mcnemar.aOnly} vs ${c.mcnemar.bOnly} discordant, p = ${c.mcnemar.pValue.toPrecision(3)}`,
    );
    lines.push(`  ${c.verdict}`);
  }
  lines.push("");
  lines.push(pc.bold(`Recommendation: ${report.decision.model ?? "none"}`) + pc.dim(` (${report.decision.rule})`));
  for (const reason of report.decision.reasons) lines.push(`  ${reason}`);
  if (report.spend.maxCostUsd !== null) {
    lines.push(
      `Spend: ${usd(report.spend.spentUsd)} of the $${report.spend.maxCostUsd} cap${report.spend.stoppedAtCap ? pc.yellow(" — stopped at the cap") : ""}`,
    );
  }
  for (const note of report.notes) lines.push(pc.dim(`note: ${note}`));
  lines.push(...renderOutcome(report as Partial<ExperimentReportWithOutcome>));
  return lines.join("\n");
}

/** Where the results were logged and what was registered with which alias (stored with the report by the worker). */
export function renderOutcome(report: Partial<ExperimentReportWithOutcome>): string[] {
  const lines: string[] = [];
  const tracking = report.tracking;
  if (tracking) {
    lines.push("");
    lines.push(pc.bold("MLflow"));
    if (tracking.status === "logged") {
      lines.push(
        `  experiment ${tracking.experimentName} (id ${tracking.mlflowExperimentId}), parent run ${tracking.parentRunId}`,
      );
      for (const r of tracking.runs) lines.push(`  ${r.model}: run ${r.runId}`);
    } else lines.push(`  ${tracking.status === "kept_locally" ? pc.yellow(tracking.message) : tracking.message}`);
  }
  const registrations = report.registrations ?? [];
  if (registrations.length > 0) {
    lines.push("");
    lines.push(pc.bold(`Registry (${registrations[0]!.registeredModel})`));
    lines.push(
      renderTable(
        ["model", "status", "version", "alias", "production ready", "approval", "note"],
        registrations.map((r) => [
          r.model,
          r.status === "registered" ? pc.green(r.status) : r.status,
          r.version ?? r.existingVersion ?? "",
          r.alias ?? "",
          r.productionReady === undefined ? "" : String(r.productionReady),
          r.approvalId ?? "",
          r.status === "registered" ? (r.validationReason ?? "") : r.message,
        ]),
      ),
    );
  }
  return lines;
}

async function follow(backend: ExperimentBackend, id: string, showBars: boolean): Promise<ExperimentView> {
  const bars = showBars
    ? new MultiBar(
        {
          stream: process.stderr,
          format: " {model} |{bar}| {value}/{total} {status}",
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      )
    : undefined;
  const byModel = new Map<string, SingleBar>();
  let cancelling = false;
  let finishedAt: number | undefined;
  const onSigint = () => {
    if (cancelling) process.exit(130);
    cancelling = true;
    say(`\ncancelling ${id} (Ctrl-C again to leave it running in the background)…`);
    void backend.cancel(id).catch(() => {});
  };
  process.on("SIGINT", onSigint);
  try {
    for (;;) {
      const view = await backend.get(id);
      if (bars) {
        const width = Math.max(...view.models.map((m) => m.model.length), 5);
        for (const m of view.models) {
          let bar = byModel.get(m.model);
          const payload = {
            model: m.model.padEnd(width),
            status: m.status === "failed" ? `failed: ${m.error ?? ""}`.slice(0, 80) : m.status,
          };
          if (!bar) {
            bar = bars.create(Math.max(1, m.total), m.done, payload);
            byModel.set(m.model, bar);
          }
          bar.setTotal(Math.max(1, m.total));
          bar.update(m.done, payload);
        }
      }
      if (isExperimentFinished(view.status)) {
        // the worker logs to MLflow and registers right after storing the report: wait a little for that outcome
        finishedAt ??= Date.now();
        if (view.report && !("tracking" in view.report) && Date.now() - finishedAt < 30_000) {
          await new Promise((r) => setTimeout(r, 300));
          continue;
        }
        return view;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    bars?.stop();
    process.off("SIGINT", onSigint);
  }
}

export function registerExperiment(program: Command, loadConfig: () => AppConfig): void {
  const experiment = program.command("experiment").description("Compare models on the same data, prompt and metrics");

  experiment
    .command("run")
    .description("Run an experiment: quality, latency and cost side by side, with a recommendation")
    .requiredOption("--dataset <name|path>", "bundled dataset (`sample`) or a CSV/JSONL file")
    .option("--train <path>", "separate training file (default: a seeded, stratified split of the dataset)")
    .requiredOption(
      "--models <a,b,...>",
      "local/tfidf-logreg, local/naive-bayes, local/lexicon-sentiment, endpoint names or aliases",
      list,
    )
    .option("--limit <n>", "score at most N test items", number("--limit"))
    .option("--max-cost <usd>", "spend cap in USD: the run stops before passing it", number("--max-cost"))
    .option("--label-col <column>", "category label column", "category")
    .option("--text-cols <a,b>", "text columns", list, ["title", "content"])
    .option("--sentiment-col <column>", "sentiment label column (adds the sentiment task)")
    .option("--seed <n>", "seed of the split, training and bootstrap", (v) => Number.parseInt(v, 10))
    .option(
      "--register-as <model-name>",
      "register the models as versions of this registered model (default: news-classifier for the sample)",
    )
    .option("--no-register", "log to MLflow and evaluate against the criteria, but register nothing")
    .option("--require-approval", "ask before registering: registrations come back pending")
    .option("--mlflow-experiment <name>", "MLflow experiment to log into (default mlops/<dataset>)")
    .option("--json", "print the whole result as JSON")
    .action(
      async (options: {
        dataset: string;
        train?: string;
        models: string[];
        limit?: number;
        maxCost?: number;
        labelCol: string;
        textCols: string[];
        sentimentCol?: string;
        seed?: number;
        registerAs?: string;
        register: boolean;
        requireApproval?: boolean;
        mlflowExperiment?: string;
        json?: boolean;
      }) => {
        const { resolve } = await import("node:path");
        const isPath = (p: string) => p.includes("/") || p.includes(".");
        const spec: ExperimentSpecInput = {
          dataset: isPath(options.dataset) ? resolve(options.dataset) : options.dataset,
          ...(options.train ? { train: resolve(options.train) } : {}),
          models: options.models,
          ...(options.limit ? { limit: Math.floor(options.limit) } : {}),
          ...(options.maxCost ? { maxCostUsd: options.maxCost } : {}),
          labelCol: options.labelCol,
          textCols: options.textCols,
          ...(options.sentimentCol ? { sentimentCol: options.sentimentCol } : {}),
          ...(options.seed !== undefined ? { seed: options.seed } : {}),
        };
        const registration: Partial<ExperimentRegistration> = {
          ...(options.registerAs ? { model: options.registerAs } : {}),
          ...(options.register === false ? { register: false } : {}),
          ...(options.requireApproval ? { requireApproval: true } : {}),
          ...(options.mlflowExperiment ? { mlflowExperiment: options.mlflowExperiment } : {}),
        };
        const backend = await connectExperiments(loadConfig(), { worker: true });
        try {
          say(`(${backend.description})`);
          const id = await backend.submit(spec, Object.keys(registration).length > 0 ? registration : undefined);
          say(`experiment ${id} queued`);
          const view = await follow(backend, id, process.stderr.isTTY || !options.json);
          if (options.json) printJson(view);
          else if (view.report) printLine(renderReport(view.report));
          else printLine(pc.red(`Experiment ${id} ${view.status}: ${view.error ?? "no report"}`));
          if (view.status === "failed") process.exitCode = 1;
        } finally {
          await backend.close();
        }
      },
    );

  experiment
    .command("list")
    .description("Recent experiments")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 20)
    .option("--json", "print as JSON")
    .action(async (options: { limit: number; json?: boolean }) => {
      const backend = await connectExperiments(loadConfig(), { worker: false });
      try {
        const rows = await backend.list(options.limit);
        if (options.json) return printJson({ experiments: rows });
        if (rows.length === 0)
          return printLine(
            "No experiments yet. Try `mlops experiment run --dataset sample --models local/tfidf-logreg,local/naive-bayes`.",
          );
        printLine(
          renderTable(
            ["id", "status", "dataset", "models", "items", "recommended", "created"],
            rows.map((r) => [
              r.id,
              r.status,
              r.dataset ?? "",
              r.models.join(","),
              String(r.itemCount),
              r.recommended ?? "",
              r.createdAt,
            ]),
          ),
        );
      } finally {
        await backend.close();
      }
    });

  for (const name of ["show", "compare"] as const) {
    experiment
      .command(name)
      .description(
        name === "show"
          ? "One experiment: status, progress per model and its report"
          : "The comparison table, significance and recommendation",
      )
      .argument("<id>")
      .option("--json", "print as JSON")
      .action(async (id: string, options: { json?: boolean }) => {
        const backend = await connectExperiments(loadConfig(), { worker: false });
        try {
          const view = await backend.get(id);
          if (options.json) return printJson(name === "compare" ? (view.report ?? view) : view);
          if (name === "show" || !view.report) {
            printLine(
              `${pc.bold(view.id)}  ${view.status}  items: ${view.itemCount}  requested by ${view.requestedBy} at ${view.createdAt}`,
            );
            for (const m of view.models)
              printLine(`  ${m.model}: ${m.status} ${m.done}/${m.total}${m.error ? pc.red(` — ${m.error}`) : ""}`);
          }
          if (view.report) printLine(renderReport(view.report));
        } finally {
          await backend.close();
        }
      });
  }

  experiment
    .command("cancel")
    .description("Stop a running experiment; its report covers what was answered")
    .argument("<id>")
    .option("--json", "print as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const backend = await connectExperiments(loadConfig(), { worker: false });
      try {
        const view = await backend.cancel(id);
        if (options.json) printJson(view);
        else printLine(`cancel requested for ${id}`);
      } finally {
        await backend.close();
      }
    });
}
