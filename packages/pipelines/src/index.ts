export { downstreamOf, topologicalOrder } from "./dag/build-dag";
export { renderMermaid, renderSvg } from "./dag/render-dag";
export { tableReferences } from "./dag/sql-references";
export { isPipelineError, PipelineError, type PipelineErrorCode } from "./errors";
export {
  type PipelinePlan,
  type PlanOptions,
  planPipeline,
  renderText,
  type StepPlan,
  selectSteps,
} from "./plan/plan-pipeline";
export {
  type BackfillRange,
  backfillAction,
  overwriteAction,
  parseBackfillRange,
} from "./plan/step-actions";
export type { JsonValue, PipelineAction, PipelineGuard } from "./run/pipeline-action";
export {
  type PipelineRunResult,
  type RunPipelineOptions,
  type RunProgress,
  runPipeline,
  type StepOutcome,
} from "./run/run-pipeline";
export { type SchemaDrift, schemaDrift, typeFits } from "./run/schema-check";
export type { BatchScorer, Prediction, ResolvedScorer, ScorerResolver } from "./scoring/batch-scorer";
export { localNewsScorer } from "./scoring/local-news-scorer";
export {
  BUILTIN_SPECS_FOLDER,
  builtinPipelineNames,
  type LoadSpecOptions,
  loadPipeline,
  type PipelineStep,
  parsePipeline,
  type ResolvedPipeline,
  readSpecFile,
  stepNamed,
} from "./spec/load-spec";
export {
  type ColumnSpec,
  type ExpectationSpec,
  LAYERS,
  type Layer,
  type PipelineSpec,
  type PipelineSpecInput,
  pipelineSpecSchema,
  type ScoreSpec,
  type TableSpec,
} from "./spec/pipeline-spec";
export {
  createPipelineStore,
  type ExpectationRecord,
  type LineageRecord,
  type PipelineRunRecord,
  type PipelineStore,
  type StepRecord,
} from "./store/pipeline-store";
