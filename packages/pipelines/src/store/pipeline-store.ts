import { newId } from "@mlops/core";
import {
  type AppDatabase,
  type PipelineRunStatus,
  type PipelineStepStatus,
  pipelineExpectationResults,
  pipelineLineage,
  pipelineRuns,
  pipelineSchemaSnapshots,
  pipelineStepRuns,
} from "@mlops/db";
import { and, asc, desc, eq, or } from "drizzle-orm";

export interface ColumnShape {
  name: string;
  type: string;
}

export interface StepRecord {
  step: string;
  targetTable: string;
  layer: string;
  mode: string;
  status: PipelineStepStatus;
  rowsIn: number | null;
  rowsWritten: number | null;
  rowsDropped: number | null;
  attempt: number;
  detail: Record<string, unknown>;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ExpectationRecord {
  step: string;
  targetTable: string;
  name: string;
  condition: string;
  action: "warn" | "drop" | "fail";
  totalRows: number;
  failedRows: number;
  outcome: "passed" | "warned" | "dropped" | "failed";
}

export interface LineageRecord {
  runId: string;
  step: string;
  targetTable: string;
  source: string;
  sourceKind: "table" | "file" | "model";
  createdAt: string;
}

/** A run as `mlops pipeline runs` and the API show it. */
export interface PipelineRunRecord {
  id: string;
  pipeline: string;
  specDigest: string;
  status: PipelineRunStatus;
  fromStep: string | null;
  resumedFrom: string | null;
  backfill: { from: string; to: string } | null;
  failedStep: string | null;
  error: string | null;
  requestedBy: string;
  startedAt: string;
  finishedAt: string | null;
  steps: StepRecord[];
  expectations: ExpectationRecord[];
  lineage: LineageRecord[];
}

export interface NewRun {
  id: string;
  pipeline: string;
  specDigest: string;
  fromStep: string | null;
  resumedFrom: string | null;
  backfill: { from: string; to: string } | null;
  requestedBy: string;
  steps: { step: string; targetTable: string; layer: string; mode: string; status: "pending" | "skipped" }[];
}

export type StepPatch = Partial<
  Pick<StepRecord, "status" | "rowsIn" | "rowsWritten" | "rowsDropped" | "attempt" | "detail" | "error">
> & { finished?: boolean; started?: boolean };

/** Where runs, step runs, expectation counts, lineage and schema snapshots are kept: the app database. */
export interface PipelineStore {
  createRun(run: NewRun): Promise<void>;
  updateStep(runId: string, step: string, patch: StepPatch): Promise<void>;
  finishRun(
    runId: string,
    outcome: { status: "completed" | "failed"; failedStep?: string; error?: string },
  ): Promise<void>;
  addExpectationResults(runId: string, results: ExpectationRecord[]): Promise<void>;
  addLineage(runId: string, rows: Omit<LineageRecord, "runId" | "createdAt">[]): Promise<void>;
  addSchemaSnapshot(runId: string, table: string, columns: ColumnShape[]): Promise<void>;
  /** The newest snapshot of a table's columns before this run, if any. */
  previousSchema(table: string, beforeRunId: string): Promise<ColumnShape[] | undefined>;
  getRun(id: string): Promise<PipelineRunRecord | undefined>;
  listRuns(options?: { pipeline?: string; limit?: number }): Promise<PipelineRunRecord[]>;
  /** Every recorded edge into or out of a table, newest first. */
  lineage(table: string, limit?: number): Promise<LineageRecord[]>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The {@link PipelineStore} on the app database (Postgres or PGlite, same migrations). */
export function createPipelineStore(db: AppDatabase): PipelineStore {
  const stepWhere = (runId: string, step: string) =>
    and(eq(pipelineStepRuns.runId, runId), eq(pipelineStepRuns.step, step));

  const toRecord = async (run: typeof pipelineRuns.$inferSelect, full: boolean): Promise<PipelineRunRecord> => {
    const steps = await db
      .select()
      .from(pipelineStepRuns)
      .where(eq(pipelineStepRuns.runId, run.id))
      .orderBy(asc(pipelineStepRuns.id));
    const expectations = full
      ? await db
          .select()
          .from(pipelineExpectationResults)
          .where(eq(pipelineExpectationResults.runId, run.id))
          .orderBy(asc(pipelineExpectationResults.id))
      : [];
    const lineage = full
      ? await db
          .select()
          .from(pipelineLineage)
          .where(eq(pipelineLineage.runId, run.id))
          .orderBy(asc(pipelineLineage.id))
      : [];
    return {
      id: run.id,
      pipeline: run.pipeline,
      specDigest: run.specDigest,
      status: run.status,
      fromStep: run.fromStep,
      resumedFrom: run.resumedFrom,
      backfill: run.backfill ?? null,
      failedStep: run.failedStep,
      error: run.error,
      requestedBy: run.requestedBy,
      startedAt: run.startedAt.toISOString(),
      finishedAt: iso(run.finishedAt),
      steps: steps.map((s) => ({
        step: s.step,
        targetTable: s.targetTable,
        layer: s.layer,
        mode: s.mode,
        status: s.status,
        rowsIn: s.rowsIn,
        rowsWritten: s.rowsWritten,
        rowsDropped: s.rowsDropped,
        attempt: s.attempt,
        detail: s.detail,
        error: s.error,
        startedAt: s.startedAt.toISOString(),
        finishedAt: iso(s.finishedAt),
      })),
      expectations: expectations.map((e) => ({
        step: e.step,
        targetTable: e.targetTable,
        name: e.name,
        condition: e.condition,
        action: e.action,
        totalRows: e.totalRows,
        failedRows: e.failedRows,
        outcome: e.outcome,
      })),
      lineage: lineage.map(toLineage),
    };
  };

  const toLineage = (l: typeof pipelineLineage.$inferSelect): LineageRecord => ({
    runId: l.runId,
    step: l.step,
    targetTable: l.targetTable,
    source: l.source,
    sourceKind: l.sourceKind,
    createdAt: l.createdAt.toISOString(),
  });

  return {
    async createRun(run) {
      await db.transaction(async (tx) => {
        await tx.insert(pipelineRuns).values({
          id: run.id,
          pipeline: run.pipeline,
          specDigest: run.specDigest,
          fromStep: run.fromStep,
          resumedFrom: run.resumedFrom,
          backfill: run.backfill,
          requestedBy: run.requestedBy,
        });
        // Ids sort by creation time, and the steps are inserted in DAG order: listing by id keeps that order.
        const now = Date.now();
        for (const [k, step] of run.steps.entries()) {
          await tx.insert(pipelineStepRuns).values({ id: newId("pstep", now + k), runId: run.id, ...step });
        }
      });
    },
    async updateStep(runId, step, patch) {
      const { finished, started, ...values } = patch;
      await db
        .update(pipelineStepRuns)
        .set({
          ...values,
          ...(started ? { startedAt: new Date(), finishedAt: null } : {}),
          ...(finished ? { finishedAt: new Date() } : {}),
        })
        .where(stepWhere(runId, step));
    },
    async finishRun(runId, outcome) {
      await db
        .update(pipelineRuns)
        .set({
          status: outcome.status,
          failedStep: outcome.failedStep ?? null,
          error: outcome.error ?? null,
          finishedAt: new Date(),
        })
        .where(eq(pipelineRuns.id, runId));
    },
    async addExpectationResults(runId, results) {
      if (results.length === 0) return;
      await db.insert(pipelineExpectationResults).values(results.map((r) => ({ id: newId("pexp"), runId, ...r })));
    },
    async addLineage(runId, rows) {
      if (rows.length === 0) return;
      await db.insert(pipelineLineage).values(rows.map((r) => ({ id: newId("plin"), runId, ...r })));
    },
    async addSchemaSnapshot(runId, table, columns) {
      await db.insert(pipelineSchemaSnapshots).values({ id: newId("psch"), runId, targetTable: table, columns });
    },
    async previousSchema(table, beforeRunId) {
      const rows = await db
        .select()
        .from(pipelineSchemaSnapshots)
        .where(eq(pipelineSchemaSnapshots.targetTable, table))
        .orderBy(desc(pipelineSchemaSnapshots.id))
        .limit(5);
      return rows.find((r) => r.runId !== beforeRunId)?.columns;
    },
    async getRun(id) {
      const [run] = await db.select().from(pipelineRuns).where(eq(pipelineRuns.id, id));
      return run ? toRecord(run, true) : undefined;
    },
    async listRuns(options = {}) {
      const rows = await db
        .select()
        .from(pipelineRuns)
        .where(options.pipeline ? eq(pipelineRuns.pipeline, options.pipeline) : undefined)
        .orderBy(desc(pipelineRuns.startedAt), desc(pipelineRuns.id))
        .limit(options.limit ?? 20);
      return Promise.all(rows.map((r) => toRecord(r, false)));
    },
    async lineage(table, limit = 100) {
      const rows = await db
        .select()
        .from(pipelineLineage)
        .where(or(eq(pipelineLineage.targetTable, table), eq(pipelineLineage.source, table)))
        .orderBy(desc(pipelineLineage.id))
        .limit(limit);
      return rows.map(toLineage);
    },
  };
}
