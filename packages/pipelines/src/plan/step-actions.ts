import type { EngineKind } from "@mlops/lakehouse";
import { PipelineError } from "../errors";
import type { PipelineAction } from "../run/pipeline-action";
import type { PipelineStep, ResolvedPipeline } from "../spec/load-spec";
import { pipelineSql } from "../sql/pipeline-sql";

/** A `--backfill FROM..TO` range of dates (inclusive). */
export interface BackfillRange {
  from: string;
  to: string;
}

/** Parses `2024-01-01..2024-01-31`. @throws PipelineError `PIPELINE_INVALID_ARGUMENT` */
export function parseBackfillRange(text: string): BackfillRange {
  const match = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text.trim());
  const valid = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`));
  if (!match || !valid(match[1]!) || !valid(match[2]!) || match[1]! > match[2]!) {
    throw new PipelineError("PIPELINE_INVALID_ARGUMENT", `Invalid backfill range ${JSON.stringify(text)}`, {
      hint: "Write FROM..TO as dates, FROM not after TO, e.g. --backfill 2024-01-01..2024-01-31.",
    });
  }
  return { from: match[1]!, to: match[2]! };
}

/** The column a backfill range applies to: `dateColumn`, else the first partition column. */
export function backfillColumn(step: PipelineStep): string | undefined {
  return step.spec.dateColumn ?? step.spec.partitionBy[0];
}

/** The SELECT whose result a step writes (score steps have none: their rows come from the scorer). */
export function stepSelect(step: PipelineStep, engine: EngineKind): string | undefined {
  const sql = pipelineSql(engine);
  if (step.spec.sql !== undefined) return step.spec.sql.trim().replace(/;\s*$/, "");
  if (step.spec.source !== undefined && step.sourcePath !== undefined) {
    const read = sql.readCsv(step.sourcePath, step.spec.source);
    return sql.sourceSelect(read, step.spec.columns ?? [], step.sourcePath);
  }
  return undefined;
}

/** What a person approves before a step overwrites existing data: known at plan time. */
export function overwriteAction(pipeline: ResolvedPipeline, step: PipelineStep, engine: EngineKind): PipelineAction {
  const select = stepSelect(step, engine);
  return {
    kind: "pipeline.overwrite",
    target: step.tableName,
    ...(select !== undefined ? { sql: select } : {}),
    parameters: {
      pipeline: pipeline.name,
      step: step.name,
      mode: "overwrite",
      ...(step.spec.score ? { model: step.spec.score.model, from: step.spec.score.from } : {}),
    },
  };
}

/** What a person approves before a backfill replaces a date range in the run's tables. */
export function backfillAction(
  pipeline: ResolvedPipeline,
  steps: PipelineStep[],
  range: BackfillRange,
): PipelineAction {
  return {
    kind: "pipeline.backfill",
    target: pipeline.name,
    parameters: {
      from: range.from,
      to: range.to,
      tables: steps.map((s) => ({
        step: s.name,
        table: s.tableName,
        dateColumn: backfillColumn(s) ?? null,
        replaces: backfillColumn(s) !== undefined ? "rows in range" : s.spec.mode,
      })),
    },
  };
}
