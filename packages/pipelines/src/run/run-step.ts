import { type Logger, silentLogger } from "@mlops/core";
import {
  type DestructiveGuard,
  formatTableName,
  type Lakehouse,
  parseTableName,
  type Row,
  type TableName,
} from "@mlops/lakehouse";
import { PipelineError } from "../errors";
import { type BackfillRange, backfillColumn, stepSelect } from "../plan/step-actions";
import type { ResolvedScorer, ScorerResolver } from "../scoring/batch-scorer";
import { localNewsScorer } from "../scoring/local-news-scorer";
import { type PipelineStep, type ResolvedPipeline, stepNamed } from "../spec/load-spec";
import { pipelineSql } from "../sql/pipeline-sql";
import type { ColumnShape, ExpectationRecord, PipelineStore } from "../store/pipeline-store";
import { approvalsFor, approve, recordedApprovals, sameAction } from "./run-approvals";
import { asRunError, outcomeOf } from "./run-finish";
import type { RunStepOptions, StepOutcome } from "./run-types";
import { checkSourceSchema, describeDrift, schemaDrift } from "./schema-check";

const INTERNAL_PREFIX = "__stg_";

/** A guard for statements the runner generated itself (dropping its own staging tables, declared merges). */
function onlyThis(sql: string): DestructiveGuard {
  return async (action) => {
    if (action.type !== "lakehouse.sql" || action.sql !== sql) {
      throw new Error("the pipeline runner approves only the exact statement it generated");
    }
  };
}

/**
 * Runs one step of a run {@link startPipelineRun} recorded, wherever it is called (a flow's step job, or
 * {@link runPipeline} in process):
 *
 * - the run must still be running, the step one of its steps, and every step it reads that the run runs already
 *   completed (the flow's order, checked again here);
 * - a step recorded `completed` (a job that finished its work but not its bookkeeping, then ran again) is not
 *   redone: its recorded outcome is returned;
 * - the approvals it needs now are checked against those the start recorded; one not recorded (the target gained
 *   rows since, the SQL changed) is asked of `approvalGuard` here;
 * - then it builds a staging table, checks the expectations there and writes the target in one statement.
 *
 * On failure the step is recorded `failed` with the error (`pending` when `signal` aborted it: it goes back to a
 * queue) and the error is thrown with `context.runId` and `context.failedStep`; the run itself is left running,
 * so a retry can run the step again: {@link failPipelineRun} ends the run when no retry is left.
 */
export async function runPipelineStep(pipeline: ResolvedPipeline, options: RunStepOptions): Promise<StepOutcome> {
  const { lakehouse, store, runId } = options;
  const logger = options.logger ?? silentLogger();
  const step = stepNamed(pipeline, options.step);
  const run = await store.getRun(runId);
  if (!run || run.pipeline !== pipeline.name) {
    throw new PipelineError("PIPELINE_RUN_NOT_FOUND", `No run ${runId} of pipeline ${pipeline.name}`, {
      context: { runId, step: step.name },
    });
  }
  const record = run.steps.find((s) => s.step === step.name);
  if (record?.status === "completed") return outcomeOf(record, run.expectations);
  if (run.status !== "running" || !record || record.status === "skipped") {
    throw new PipelineError(
      "PIPELINE_INVALID_ARGUMENT",
      `Step ${step.name} is not to run in run ${runId} (the run is ${run.status}, the step ${record?.status ?? "not in it"})`,
      { context: { runId, step: step.name } },
    );
  }
  const byName = new Map(run.steps.map((s) => [s.step, s]));
  const waiting = step.dependsOn.filter((d) => !["completed", "skipped"].includes(byName.get(d)?.status ?? ""));
  if (waiting.length > 0) {
    throw new PipelineError(
      "PIPELINE_STEP_FAILED",
      `Step ${step.name} reads ${waiting.join(", ")}, which ${waiting.length > 1 ? "have" : "has"} not completed in run ${runId}`,
      { context: { runId, step: step.name, waiting } },
    );
  }

  const backfill = run.backfill ?? undefined;
  try {
    options.signal?.throwIfAborted();
    // Approvals where the step executes: what it needs now, against what the start of the run recorded.
    const runSteps = run.steps.filter((s) => s.status !== "skipped").map((s) => stepNamed(pipeline, s.step));
    const recorded = recordedApprovals(record.detail);
    const needed = await approvalsFor(pipeline, lakehouse, step, runSteps, backfill);
    for (const action of needed) {
      if (!recorded.some((r) => sameAction(action, r))) await approve(options.approvalGuard, action, step.name);
    }
    // Tries of the step, whoever runs them (a retry, a job handed back at shutdown and run by another worker).
    const tries = Number(record.detail.tries ?? 0) + 1;
    await store.updateStep(runId, step.name, {
      status: "running",
      attempt: tries,
      detail: { ...record.detail, tries },
      started: true,
    });
    const outcome = await executeStep(
      { pipeline, lakehouse, store, runId, backfill, scorers: options.scorers, logger, signal: options.signal },
      step,
    );
    await store.updateStep(runId, step.name, {
      status: "completed",
      rowsIn: outcome.rowsIn,
      rowsWritten: outcome.rowsWritten,
      rowsDropped: outcome.rowsDropped,
      error: null,
      detail: {
        notes: outcome.notes,
        mode: outcome.mode,
        durationMs: outcome.durationMs,
        ...(outcome.drift ? { drift: outcome.drift } : {}),
        ...(needed.length > 0 ? { approved: needed } : {}),
        expectationOrder: outcome.expectations.map((e) => e.name),
        tries,
      },
      finished: true,
    });
    logger.info({ runId, step: step.name, rows: outcome.rowsWritten }, "pipeline step completed");
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const interrupted = options.signal?.aborted === true;
    await store
      .updateStep(
        runId,
        step.name,
        interrupted ? { status: "pending" } : { status: "failed", error: message, finished: true },
      )
      .catch(() => undefined);
    logger.warn({ runId, step: step.name, err: error, interrupted }, "pipeline step did not complete");
    throw asRunError(pipeline.name, runId, step.name, error);
  }
}

interface StepContext {
  pipeline: ResolvedPipeline;
  lakehouse: Lakehouse;
  store: PipelineStore;
  runId: string;
  backfill: BackfillRange | undefined;
  scorers: ScorerResolver | undefined;
  logger: Logger;
  signal: AbortSignal | undefined;
}

/**
 * Builds the step's staging table, counts every expectation there in one pass, stops on `fail` (target
 * untouched), removes `drop` rows, checks merge keys and columns, then writes the target in one statement.
 * Staging tables are always dropped.
 */
async function executeStep(context: StepContext, target: PipelineStep): Promise<StepOutcome> {
  const { pipeline, lakehouse, store, runId, backfill, logger } = context;
  const sql = pipelineSql(lakehouse.engine);
  const options = context;
  return runStep(target);

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
        const failing = results.filter((r) => r.outcome === "failed");
        if (failing.length > 0) {
          // Counted for the failed run; a passing step records its counts with its write (once, however retried).
          await store.addExpectationResults(runId, results);
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

      await store.addExpectationResults(runId, results);
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
