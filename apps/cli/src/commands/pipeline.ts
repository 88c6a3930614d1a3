import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { AppConfig } from "@mlops/core";
import { createLakehouse } from "@mlops/lakehouse";
import {
  type BackfillRange,
  type PipelinePlan,
  parseBackfillRange,
  parsePipeline,
  planPipeline,
  readSpecFile,
} from "@mlops/pipelines";
import type { JobRecord } from "@mlops/queue";
import { lakehouseOptions } from "@mlops/stack";
import type { Command } from "commander";
import pc from "picocolors";
import { apiClientFor, connectBackend } from "../backend/connect";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";

interface SpecOptions {
  from?: string;
  backfill?: string;
  source?: string;
}

/** The spec as the job and the API take it: text plus where its relative paths point. */
function specPayload(spec: string, options: SpecOptions) {
  const { text, path } = readSpecFile(spec);
  const sources: Record<string, string> = options.source ? { source: resolve(options.source) } : {};
  const pipeline = parsePipeline(text, { baseDir: dirname(path), sources, origin: path });
  return {
    pipeline,
    payload: {
      pipeline: pipeline.name,
      specYaml: text,
      baseDir: dirname(path),
      sources,
      ...(options.from ? { from: options.from } : {}),
      ...(options.backfill ? { backfill: parseBackfillRange(options.backfill) } : {}),
    },
  };
}

function writeDag(config: AppConfig, plan: PipelinePlan): { svg: string; mermaid: string } {
  const dir = join(config.home, "pipelines", plan.pipeline);
  mkdirSync(dir, { recursive: true });
  const svg = join(dir, "dag.svg");
  const mermaid = join(dir, "dag.mmd");
  writeFileSync(svg, plan.dag.svg);
  writeFileSync(mermaid, plan.dag.mermaid);
  return { svg, mermaid };
}

function printPlan(plan: PipelinePlan, files: { svg: string; mermaid: string }): void {
  printLine(`${pc.bold(`pipeline ${plan.pipeline}`)} on ${plan.engine}${plan.from ? ` from ${plan.from}` : ""}`);
  printLine(plan.dag.text);
  printLine();
  printLine(
    renderTable(
      ["step", "layer", "mode", "table", "rows now", "estimate", "approval"],
      plan.steps.map((s) => [
        s.runs ? s.step : pc.dim(`${s.step} (skipped)`),
        s.layer,
        s.mode,
        s.table,
        s.targetRows === undefined ? "-" : String(s.targetRows),
        s.estimatedRows === undefined ? "?" : String(s.estimatedRows),
        s.destructive ? pc.red("needed") : "-",
      ]),
    ),
  );
  for (const s of plan.steps.filter((x) => x.runs)) printLine(`  ${s.step}: ${s.action}`);
  if (plan.approvalsNeeded.length > 0) {
    printLine(pc.red(`\n${plan.approvalsNeeded.length} destructive action(s) need an approval before the run:`));
    for (const a of plan.approvalsNeeded) printLine(`  ${a.kind} ${a.target}`);
    printLine(pc.dim("  `mlops pipeline plan --json` prints the exact actions to request approval for."));
  }
  printLine(`\nDAG: ${files.svg}  (Mermaid: ${files.mermaid})`);
}

interface StepJobProgress {
  step: string;
  /** Absent when the worker ran every step in the `pipeline.run` job. */
  jobId?: string;
  status: string;
  attempts: number;
  rowsWritten?: number;
  error?: string;
}

/**
 * Prints each step as it changes, from `pipeline.run`'s progress: the flow's step jobs (running, retried,
 * completed with its rows, not run), or, from a worker without flows, the step it is on.
 */
function stepPrinter(): (record: JobRecord) => void {
  const printed = new Map<string, string>();
  return (record) => {
    const progress = record.progress as { step?: string; status?: string; steps?: StepJobProgress[] } | null;
    if (!progress) return;
    if (!progress.steps) {
      if (progress.step && progress.status) say(`  ${progress.step}: ${progress.status}`);
      return;
    }
    for (const s of progress.steps) {
      const retrying = s.status === "queued" && s.attempts > 0;
      const key = `${s.status}:${s.attempts}`;
      if (printed.get(s.step) === key || (s.status === "queued" && !retrying)) continue;
      printed.set(s.step, key);
      const what =
        s.status === "completed"
          ? `completed (${s.rowsWritten ?? 0} rows written)`
          : retrying
            ? `try ${s.attempts} failed, retrying: ${s.error ?? ""}`
            : s.status === "running"
              ? `running (try ${s.attempts})`
              : s.status === "cancelled"
                ? "not run"
                : `${s.status}${s.error ? `: ${s.error}` : ""}`;
      say(`  ${s.step}: ${what}${s.jobId ? `  ${pc.dim(`[job ${s.jobId}]`)}` : ""}`);
    }
  };
}

function printRun(record: JobRecord): void {
  const result = record.result as {
    runId: string;
    resumedFrom: string | null;
    steps: {
      step: string;
      table: string;
      mode: string;
      rowsIn: number;
      rowsWritten: number;
      rowsDropped: number;
      notes: string[];
      expectations: { name: string; outcome: string; failedRows: number }[];
    }[];
    flow?: { finishJobId: string; steps: { step: string; jobId: string }[] };
  } | null;
  if (record.status !== "completed" || !result) {
    printLine(`${pc.red(record.status)} ${record.id}: ${record.error ?? ""}`);
    return;
  }
  printLine(
    `${pc.green("completed")} run ${result.runId}${result.resumedFrom ? ` (resumed ${result.resumedFrom})` : ""}`,
  );
  printLine(
    renderTable(
      ["step", "table", "mode", "rows in", "written", "dropped", "expectations"],
      result.steps.map((s) => [
        s.step,
        s.table,
        s.mode,
        String(s.rowsIn),
        String(s.rowsWritten),
        String(s.rowsDropped),
        s.expectations.map((e) => `${e.name}:${e.outcome}${e.failedRows ? `(${e.failedRows})` : ""}`).join(" "),
      ]),
    ),
  );
  for (const s of result.steps) for (const note of s.notes) printLine(pc.yellow(`  ${s.step}: ${note}`));
  if (result.flow) {
    printLine(
      pc.dim(
        `jobs: ${result.flow.steps.map((s) => s.jobId).join(", ")} → ${result.flow.finishJobId} (mlops jobs list)`,
      ),
    );
  }
}

/** `mlops pipeline plan|run`: declarative bronze/silver/gold pipelines on the lakehouse. */
export function registerPipeline(program: Command, loadConfig: () => AppConfig): void {
  const pipeline = program.command("pipeline").description("Plan and run bronze/silver/gold pipelines");

  pipeline
    .command("plan")
    .description("The DAG (text and a picture), what each step will do, what needs approval, row estimates")
    .argument("<spec>", "a spec file, or a built-in pipeline: news, churn")
    .option("--from <step>", "plan a run from this step")
    .option("--backfill <range>", "plan a backfill FROM..TO (dates)")
    .option("--source <csv>", "use this CSV instead of the spec's source file")
    .option("--json", "print the plan as JSON")
    .action(async (spec: string, options: SpecOptions & { json?: boolean }) => {
      const config = loadConfig();
      const { pipeline: resolved, payload } = specPayload(spec, options);
      const api = apiClientFor(config);
      let plan: PipelinePlan;
      if (await api.isUp()) {
        plan = await api.request<PipelinePlan>("POST", "/v1/pipelines/plan", payload);
      } else {
        // No stack running: this process may open the lakehouse itself.
        const lakehouse = await createLakehouse(lakehouseOptions(config));
        try {
          const backfill: BackfillRange | undefined = payload.backfill;
          plan = await planPipeline(resolved, { lakehouse, from: options.from, backfill });
        } finally {
          await lakehouse.close();
        }
      }
      const files = writeDag(config, plan);
      if (options.json) return printJson({ ...plan, dagFiles: files });
      printPlan(plan, files);
    });

  pipeline
    .command("run")
    .description(
      "Run the pipeline as a flow of step jobs in DAG order, each retried on its own (in-process worker when no stack is up)",
    )
    .argument("<spec>", "a spec file, or a built-in pipeline: news, churn")
    .option("--from <step>", "run this step and everything downstream of it")
    .option("--resume [runId]", "run only the steps a failed run left undone (default: the latest run)")
    .option("--backfill <range>", "recompute FROM..TO (dates); needs an approval")
    .option("--approval <id>", "the approval for the run's destructive action")
    .option("--source <csv>", "use this CSV instead of the spec's source file")
    .option("--json", "print the job record as JSON")
    .action(
      async (spec: string, options: SpecOptions & { resume?: string | true; approval?: string; json?: boolean }) => {
        const { payload } = specPayload(spec, options);
        const backend = await connectBackend(loadConfig(), { worker: true, quiet: options.json });
        try {
          let record = await backend.enqueue("pipeline.run", {
            ...payload,
            ...(options.resume ? { resume: options.resume === true ? "latest" : options.resume } : {}),
            ...(options.approval ? { approvalId: options.approval } : {}),
          });
          say(`queued pipeline.run ${record.id}`);
          const printSteps = stepPrinter();
          record = await backend.waitForJob(record.id, {
            timeoutMs: 60 * 60_000,
            onProgress: (r) => {
              if (!options.json) printSteps(r);
            },
          });
          if (options.json) printJson(record);
          else printRun(record);
          if (record.status !== "completed") process.exitCode = 1;
        } finally {
          await backend.close();
        }
      },
    );
}
