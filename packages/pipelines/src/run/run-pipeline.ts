import { type Logger, newId, silentLogger } from "@mlops/core";
import {
  type DestructiveGuard,
  formatTableName,
  type Lakehouse,
  parseTableName,
  type Row,
  type TableName,
} from "@mlops/lakehouse";
import { PipelineError } from "../errors";
import { selectSteps } from "../plan/plan-pipeline";
import { type BackfillRange, backfillAction, backfillColumn, overwriteAction, stepSelect } from "../plan/step-actions";
import type { ResolvedScorer, ScorerResolver } from "../scoring/batch-scorer";
import { localNewsScorer } from "../scoring/local-news-scorer";
import { type PipelineStep, type ResolvedPipeline, stepNamed } from "../spec/load-spec";
import { pipelineSql } from "../sql/pipeline-sql";
import type { ColumnShape, ExpectationRecord, PipelineStore } from "../store/pipeline-store";
import type { PipelineAction, PipelineGuard } from "./pipeline-action";
import { checkSourceSchema, describeDrift, type SchemaDrift, schemaDrift } from "./schema-check";

export interface RunPipelineOptions {
  lakehouse: Lakehouse;
  store: PipelineStore;
  /** Run this step and everything downstream of it. */
  from?: string | undefined;
  /** Resume a failed run from its failed step: the run's id, or `latest` (the pipeline's newest run). */
  resume?: string | undefined;
  /** Recompute a date range; needs an approval. */
  backfill?: BackfillRange | undefined;
  /** Approves overwrites of existing data and backfills; without it those are refused. */
  approvalGuard?: PipelineGuard | undefined;
  /** Finds the registry model for score steps; without one (or no such model) the local default scores. */
  scorers?: ScorerResolver | undefined;
  /** @defaultValue "system" */
  requestedBy?: string;
  /** @defaultValue a new `prun_…` id */
  runId?: string;
  logger?: Logger;
  onProgress?: (event: RunProgress) => void | Promise<void>;
  /** Checked between steps and scoring batches. */
  signal?: AbortSignal;
}

export interface RunProgress {
  runId: string;
  step: string;
  status: "running" | "completed" | "failed" | "skipped";
  index: number;
  total: number;
  rowsWritten?: number;
}

export interface StepOutcome {
  step: string;
  table: string;
  layer: string;
  mode: string;
  status: "completed" | "skipped";
  rowsIn: number;
  rowsWritten: number;
  rowsDropped: number;
  expectations: ExpectationRecord[];
  drift: SchemaDrift | undefined;
  notes: string[];
  durationMs: number;
}

export interface PipelineRunResult {
  runId: string;
  pipeline: string;
  status: "completed";
  resumedFrom: string | null;
  steps: StepOutcome[];
  notes: string[];
  durationMs: number;
}

const INTERNAL_PREFIX = "__stg_";

/** A guard for statements the runner generated itself (dropping its own staging tables, declared merges). */
function onlyThis(sql: string): DestructiveGuard {
  return async (action) => {
    if (action.type !== "lakehouse.sql" || action.sql !== sql) {
      throw new Error("the pipeline runner approves only the exact statement it generated");
    }
  };
}

async function approve(guard: PipelineGuard | undefined, action: PipelineAction, step: string): Promise<void> {
  const what =
    action.kind === "pipeline.backfill"
      ? `Backfill of ${action.parameters?.from}..${action.parameters?.to} in pipeline ${action.target}`
      : `Overwrite of ${action.target} (it holds data)`;
  if (guard === undefined) {
    throw new PipelineError("PIPELINE_APPROVAL_REQUIRED", `${what} needs an approval; none was given`, {
      hint: "Request an approval of this action (`mlops pipeline plan --json` lists it), then run with --approval <id>.",
      context: { step, action },
    });
  }
  try {
    await guard(action);
  } catch (cause) {
    throw new PipelineError(
      "PIPELINE_APPROVAL_REQUIRED",
      `${what} was refused: ${cause instanceof Error ? cause.message : String(cause)}`,
      { hint: "Ask for an approval of exactly this action, then run again.", context: { step, action }, cause },
    );
  }
}

/**
 * Runs a pipeline on the lakehouse in DAG order. Each step builds a staging table, checks the expectations there
 * (warn / drop / fail, counts recorded), then writes the target in one statement (create, append, merge, overwrite
 * or a backfill range replace): a failing step leaves its target as it was. Overwrites of existing data and
 * backfills need the approval guard. Lineage, expectation counts and schema snapshots are recorded per run; a
 * failed run can be resumed from its failed step.
 * @throws PipelineError with `context.runId` and `context.failedStep` when a step fails (the run is recorded failed).
 */
export async function runPipeline(pipeline: ResolvedPipeline, options: RunPipelineOptions): Promise<PipelineRunResult> {
  const { lakehouse, store } = options;
  const logger = options.logger ?? silentLogger();
  const sql = pipelineSql(lakehouse.engine);
  const runId = options.runId ?? newId("prun");
  const started = Date.now();
  const notes: string[] = [];

  // Which steps run: all, from a step, or what a failed run left undone.
  let toRun: PipelineStep[];
  let resumedFrom: string | null = null;
  let fromStep = options.from ?? null;
  let backfill = options.backfill;
  if (options.resume !== undefined) {
    const previous =
      options.resume === "latest"
        ? (await store.listRuns({ pipeline: pipeline.name, limit: 1 }))[0]
        : await store.getRun(options.resume);
    const previousFull = previous ? await store.getRun(previous.id) : undefined;
    if (previousFull?.status !== "failed" || previousFull.pipeline !== pipeline.name) {
      throw new PipelineError(
        "PIPELINE_NOTHING_TO_RESUME",
        previousFull
          ? `Run ${previousFull.id} of ${previousFull.pipeline} is ${previousFull.status}: nothing to resume`
          : `No run ${options.resume} of pipeline ${pipeline.name} to resume`,
        {
          hint: "Resume a failed run (see `mlops pipeline runs`), or run the pipeline again.",
          context: { resume: options.resume },
        },
      );
    }
    const undone = new Set(
      previousFull.steps.filter((s) => s.status !== "completed" && s.status !== "skipped").map((s) => s.step),
    );
    toRun = pipeline.steps.filter((s) => undone.has(s.name));
    resumedFrom = previousFull.id;
    fromStep = previousFull.failedStep;
    backfill = backfill ?? previousFull.backfill ?? undefined;
    if (previousFull.specDigest !== pipeline.digest) notes.push(`the spec changed since run ${previousFull.id}`);
  } else {
    toRun = selectSteps(pipeline, options.from);
  }
  const running = new Set(toRun.map((s) => s.name));

  await store.createRun({
    id: runId,
    pipeline: pipeline.name,
    specDigest: pipeline.digest,
    fromStep,
    resumedFrom,
    backfill: backfill ?? null,
    requestedBy: options.requestedBy ?? "system",
    steps: pipeline.steps.map((s) => ({
      step: s.name,
      targetTable: s.tableName,
      layer: s.spec.layer,
      mode: backfill && backfillColumn(s) ? "backfill" : s.spec.mode,
      status: running.has(s.name) ? "pending" : "skipped",
    })),
  });
  logger.info({ runId, pipeline: pipeline.name, steps: [...running], resumedFrom }, "pipeline run started");

  const outcomes: StepOutcome[] = [];
  let current: PipelineStep | undefined = toRun[0];
  try {
    // Approvals first: a refused approval changes nothing.
    if (backfill) await approve(options.approvalGuard, backfillAction(pipeline, toRun, backfill), toRun[0]?.name ?? "");
    for (const step of toRun) {
      current = step;
      if (backfill && backfillColumn(step)) continue;
      if (step.spec.mode !== "overwrite" || !(await lakehouse.tableExists(step.table))) continue;
      if ((await lakehouse.describeTable(step.table)).rowCount === 0) continue;
      await approve(options.approvalGuard, overwriteAction(pipeline, step, lakehouse.engine), step.name);
    }

    for (const [index, step] of pipeline.steps.entries()) {
      if (!running.has(step.name)) {
        await options.onProgress?.({ runId, step: step.name, status: "skipped", index, total: pipeline.steps.length });
        continue;
      }
      options.signal?.throwIfAborted();
      current = step;
      await store.updateStep(runId, step.name, { status: "running", started: true });
      await options.onProgress?.({ runId, step: step.name, status: "running", index, total: pipeline.steps.length });
      const outcome = await runStep(step);
      outcomes.push(outcome);
      await store.updateStep(runId, step.name, {
        status: "completed",
        rowsIn: outcome.rowsIn,
        rowsWritten: outcome.rowsWritten,
        rowsDropped: outcome.rowsDropped,
        detail: { notes: outcome.notes, ...(outcome.drift ? { drift: outcome.drift } : {}) },
        finished: true,
      });
      await options.onProgress?.({
        runId,
        step: step.name,
        status: "completed",
        index,
        total: pipeline.steps.length,
        rowsWritten: outcome.rowsWritten,
      });
      logger.info({ runId, step: step.name, rows: outcome.rowsWritten }, "pipeline step completed");
    }
  } catch (error) {
    const failed = current?.name ?? "";
    const message = error instanceof Error ? error.message : String(error);
    await store.updateStep(runId, failed, { status: "failed", error: message, finished: true }).catch(() => undefined);
    await store.finishRun(runId, { status: "failed", failedStep: failed, error: message });
    await options.onProgress?.({ runId, step: failed, status: "failed", index: 0, total: pipeline.steps.length });
    logger.error({ runId, step: failed, err: error }, "pipeline run failed");
    if (error instanceof PipelineError) {
      Object.assign(error.context, { runId, failedStep: failed });
      throw error;
    }
    throw new PipelineError("PIPELINE_STEP_FAILED", `Step ${failed} of pipeline ${pipeline.name} failed: ${message}`, {
      hint: `Fix the cause, then resume: mlops pipeline run ${pipeline.name} --resume ${runId}`,
      context: { runId, failedStep: failed },
      cause: error,
    });
  }
  await store.finishRun(runId, { status: "completed" });
  return {
    runId,
    pipeline: pipeline.name,
    status: "completed",
    resumedFrom,
    steps: outcomes,
    notes,
    durationMs: Date.now() - started,
  };

  async function count(table: TableName): Promise<number> {
    return Number((await lakehouse.query(sql.count(table))).rows[0]?.n ?? 0);
  }

  async function runStep(step: PipelineStep): Promise<StepOutcome> {
    const t0 = Date.now();
    const suffix = runId.slice(-10).toLowerCase();
    const stage: TableName = { ...step.table, table: `${INTERNAL_PREFIX}${step.table.table}_${suffix}` };
    const kept: TableName = { ...stage, table: `${stage.table}_kept` };
    const stepNotes: string[] = [];
    const lineage: { source: string; sourceKind: "table" | "file" | "model" }[] = [
      ...step.dependsOn.map((d) => ({ source: stepNamed(pipeline, d).tableName, sourceKind: "table" as const })),
      ...step.externalInputs.map((t) => ({ source: t, sourceKind: "table" as const })),
    ];
    await lakehouse.ensureSchema({ catalog: step.table.catalog, schema: step.table.schema });
    await dropTable(stage);
    await dropTable(kept);
    try {
      // 1. Build the staging table.
      if (step.kind === "source") {
        const source = step.spec.source!;
        const read = sql.readCsv(step.sourcePath!, source, false);
        const report = await checkSourceSchema(lakehouse, sql, read, step.spec.columns ?? [], {
          step: step.name,
          file: step.sourcePath!,
        });
        if (report.extraColumns.length > 0) {
          stepNotes.push(`file columns not declared, not loaded: ${report.extraColumns.join(", ")}`);
        }
        lineage.push({ source: step.sourcePath!, sourceKind: "file" });
        await lakehouse.execute(sql.createAs(stage, stepSelect(step, lakehouse.engine)!));
      } else if (step.kind === "sql") {
        await lakehouse.execute(sql.createAs(stage, stepSelect(step, lakehouse.engine)!));
      } else {
        const scorer = await score(step, stage);
        lineage.push({ source: `${scorer.model}@${scorer.version}`, sourceKind: "model" });
        if (scorer.note) stepNotes.push(scorer.note);
      }
      const rowsIn = await count(stage);

      // 2. Expectations on the staging table.
      const expectations = step.spec.expectations;
      const results: ExpectationRecord[] = [];
      let final = stage;
      if (expectations.length > 0) {
        const { rows } = await lakehouse.query(
          sql.expectationCounts(
            stage,
            expectations.map((e) => e.condition),
          ),
        );
        const counts = rows[0] ?? {};
        for (const [k, e] of expectations.entries()) {
          const failedRows = Number(counts[`e${k}`] ?? 0);
          results.push({
            step: step.name,
            targetTable: step.tableName,
            name: e.name,
            condition: e.condition,
            action: e.action,
            totalRows: rowsIn,
            failedRows,
            outcome:
              failedRows === 0 ? "passed" : e.action === "warn" ? "warned" : e.action === "drop" ? "dropped" : "failed",
          });
        }
        await store.addExpectationResults(runId, results);
        const failing = results.filter((r) => r.outcome === "failed");
        if (failing.length > 0) {
          throw new PipelineError(
            "PIPELINE_EXPECTATION_FAILED",
            `Expectation ${failing.map((f) => `${f.name} (${f.failedRows} of ${f.totalRows} rows)`).join(", ")} failed on ${step.tableName}; the table was not changed`,
            {
              hint: "Fix the data upstream (or relax the expectation), then resume the run.",
              context: { step: step.name, expectations: failing },
            },
          );
        }
        for (const r of results.filter((x) => x.outcome === "warned")) {
          stepNotes.push(`expectation ${r.name}: ${r.failedRows} of ${r.totalRows} rows break it (warn)`);
        }
        const drops = expectations.filter((_, k) => results[k]!.outcome === "dropped").map((e) => e.condition);
        if (drops.length > 0) {
          await lakehouse.execute(sql.createAs(kept, sql.keepRows(stage, drops)));
          final = kept;
        }
      }
      const rowsWritten = final === stage ? rowsIn : await count(final);

      // 3. Keys, schema and drift.
      const mode = backfill && backfillColumn(step) ? "backfill" : step.spec.mode;
      if (mode === "merge") {
        const dups = Number((await lakehouse.query(sql.duplicateKeys(final, step.spec.keys))).rows[0]?.n ?? 0);
        if (dups > 0) {
          throw new PipelineError(
            "PIPELINE_DUPLICATE_KEYS",
            `${dups} values of the merge key (${step.spec.keys.join(", ")}) occur more than once in the rows for ${step.tableName}`,
            { hint: "De-duplicate in the step's SELECT, or fix the keys.", context: { step: step.name } },
          );
        }
      }
      const columns: ColumnShape[] = (await lakehouse.describeTable(final)).columns.map((c) => ({
        name: c.name,
        type: c.type,
      }));
      const drift = schemaDrift(await store.previousSchema(step.tableName, runId), columns);
      if (drift) stepNotes.push(`schema drift since the previous run: ${describeDrift(drift)}`);
      const exists = await lakehouse.tableExists(step.table);
      if (exists && mode !== "overwrite") {
        const target = (await lakehouse.describeTable(step.table)).columns.map((c) => c.name.toLowerCase());
        const names = columns.map((c) => c.name.toLowerCase());
        const added = names.filter((n) => !target.includes(n));
        const missing = target.filter((n) => !names.includes(n));
        if (added.length + missing.length > 0) {
          throw new PipelineError(
            "PIPELINE_SCHEMA_DRIFT",
            `The rows for ${step.tableName} do not fit its columns (${[...added.map((a) => `new ${a}`), ...missing.map((m) => `no ${m}`)].join(", ")}); ${mode} cannot change a table's columns`,
            {
              hint: "Change the SELECT back, or set mode: overwrite for one run (needs an approval) to rebuild the table.",
              context: { step: step.name, added, missing },
            },
          );
        }
      }

      // 4. One statement puts the rows in place.
      if (!exists && (lakehouse.engine === "duckdb" || step.spec.partitionBy.length === 0)) {
        // A new table: the checked staging table itself is renamed into place (one statement, no copy).
        await lakehouse.execute(sql.renameInto(final, step.table));
      } else if (!exists) {
        await lakehouse.execute(sql.createAs(step.table, `SELECT * FROM ${sql.table(final)}`, step.spec.partitionBy));
      } else if (mode === "append") {
        await lakehouse.execute(sql.append(step.table, final));
      } else {
        const statement =
          mode === "merge"
            ? sql.merge(
                step.table,
                final,
                columns.map((c) => c.name),
                step.spec.keys,
              )
            : mode === "backfill"
              ? sql.replaceRange(step.table, final, backfillColumn(step)!, backfill!.from, backfill!.to)
              : sql.overwrite(step.table, final, step.spec.partitionBy);
        // Overwrites and backfills were approved by a person above; a merge is the mode the spec declares.
        await lakehouse.executeDestructive(statement, { approvalGuard: onlyThis(statement) });
      }

      await store.addSchemaSnapshot(runId, step.tableName, columns);
      await store.addLineage(
        runId,
        lineage.map((l) => ({ step: step.name, targetTable: step.tableName, ...l })),
      );
      return {
        step: step.name,
        table: step.tableName,
        layer: step.spec.layer,
        mode: exists ? mode : `${mode} (created)`,
        status: "completed",
        rowsIn,
        rowsWritten,
        rowsDropped: rowsIn - rowsWritten,
        expectations: results,
        drift,
        notes: stepNotes,
        durationMs: Date.now() - t0,
      };
    } finally {
      await dropTable(kept).catch(() => undefined);
      await dropTable(stage).catch(() => undefined);
    }
  }

  async function dropTable(table: TableName): Promise<void> {
    if (!table.table.startsWith(INTERNAL_PREFIX)) throw new Error(`refusing to drop ${formatTableName(table)}`);
    if (!(await lakehouse.tableExists(table))) return;
    const statement = sql.drop(table);
    await lakehouse.executeDestructive(statement, { approvalGuard: onlyThis(statement) });
  }

  async function score(step: PipelineStep, stage: TableName): Promise<ResolvedScorer> {
    const spec = step.spec.score!;
    const resolved = await options.scorers?.(spec.model).catch((error: unknown) => {
      logger.warn({ err: error, model: spec.model }, "scorer lookup failed; using the local default");
      return undefined;
    });
    const scorer =
      resolved ??
      localNewsScorer(
        `no ${spec.model} in the registry: scored with the built-in local keyword model (local:keyword-news)`,
      );
    const from = sql.table(parseTableName(spec.from));
    const scoredAt = new Date().toISOString();
    // Typed up front, so the predictions table's columns do not depend on the values of one run.
    await lakehouse.execute(
      sql.createAs(
        stage,
        `SELECT ${sql.q(spec.idColumn)}, CAST(NULL AS VARCHAR) AS prediction, CAST(NULL AS DOUBLE) AS confidence, CAST(NULL AS VARCHAR) AS model, CAST(NULL AS VARCHAR) AS model_version, CAST(NULL AS VARCHAR) AS scored_at FROM ${from} WHERE 1 = 0`,
      ),
    );
    const select = `SELECT ${sql.q(spec.idColumn)} AS id, CAST(${sql.q(spec.textColumn)} AS VARCHAR) AS text FROM ${from}`;
    for await (const batch of lakehouse.stream<Row>(select, undefined, { batchSize: spec.batchSize })) {
      options.signal?.throwIfAborted();
      const predictions = await scorer.score(batch.map((r) => String(r.text ?? "")));
      if (predictions.length !== batch.length) {
        throw new PipelineError(
          "PIPELINE_STEP_FAILED",
          `The scorer returned ${predictions.length} predictions for ${batch.length} texts`,
          {
            context: { step: step.name, model: scorer.model },
          },
        );
      }
      const rows = batch.map((r, k) => ({
        [spec.idColumn]: r.id ?? null,
        prediction: predictions[k]!.label,
        confidence: predictions[k]!.score,
        model: scorer.model,
        model_version: scorer.version,
        scored_at: scoredAt,
      }));
      await lakehouse.writeRows(stage, rows, { mode: "append" });
    }
    return scorer;
  }
}
