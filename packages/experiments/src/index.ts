export { type DatasetColumns, type DatasetColumnsInput, datasetColumnsSchema } from "./dataset/dataset-columns";
export {
  BUNDLED_DATASETS,
  type DatasetFormat,
  type DatasetSource,
  resolveDatasetSource,
} from "./dataset/dataset-source";
export { planAllTest, planSplit, type SplitPlan } from "./dataset/plan-split";
export { readCsvRows } from "./dataset/read-csv-stream";
export { type DatasetRecord, type DatasetRow, readDatasetRows, type SkippedRow } from "./dataset/read-dataset-rows";
export {
  DEFAULT_DECISION_RULE,
  type Decision,
  type DecisionCandidate,
  type DecisionRule,
  type Governance,
  governanceSchema,
  recommendModel,
} from "./decision/recommend-model";
export { endpointRegistryFromConfig, governanceFromConfig } from "./endpoint-registry-from-config";
export { ExperimentError, type ExperimentErrorCode, isExperimentError } from "./experiment-error";
export {
  defaultShardSize,
  type ExperimentSpec,
  type ExperimentSpecInput,
  experimentSpecSchema,
} from "./experiment-spec";
export {
  type ClassificationMetrics,
  type ClassMetrics,
  ConfusionCounter,
  classificationMetrics,
  metricsFromConfusion,
} from "./metrics/classification-metrics";
export { type LatencySummary, quantile, summariseLatency } from "./metrics/latency-summary";
export { createLlmPredictor, SpendCapReached, type SpendGuard } from "./models/llm-predictor";
export { createLocalPredictor, type TrainingItem } from "./models/local-predictor";
export { knownModels, LOCAL_MODELS, type ModelPlan, planModels, type Task } from "./models/model-zoo";
export type { PredictionOutcome, Predictor } from "./models/predictor";
export { LABEL_SYNONYMS, matchLabel, normaliseLabel } from "./prompts/label-synonyms";
export { type ParsedAnswer, parseAnswer } from "./prompts/parse-answer";
export {
  definePromptTemplate,
  escapeArticle,
  NEWS_ZERO_SHOT,
  PROMPT_TEMPLATES,
  type PromptLabels,
  type PromptTemplate,
  renderPrompt,
} from "./prompts/prompt-template";
export {
  createExperimentRuntime,
  type ExperimentRuntime,
  type ExperimentRuntimeOptions,
} from "./run/experiment-runtime";
export {
  cancelExperiment,
  describeExperiment,
  type ExperimentView,
  isExperimentFinished,
  listExperiments,
} from "./run/experiment-views";
export { finishExperiment } from "./run/finish-experiment";
export {
  type DatasetSummary,
  type PreparedExperiment,
  prepareExperiment,
  type Shard,
  validateSpec,
} from "./run/prepare-experiment";
export { type RunExperimentOptions, runExperimentInProcess } from "./run/run-experiment";
export { type RunShardOptions, runShard, type ShardOutcome } from "./run/run-shard";
export {
  type ExperimentReport,
  finalStatus,
  type ModelReport,
  type PairComparison,
  summarizeExperiment,
} from "./run/summarize-experiment";
export {
  type BootstrapOptions,
  bootstrapAccuracy,
  bootstrapAccuracyDifference,
  type ConfidenceInterval,
} from "./statistics/bootstrap";
export { chiSquare1Survival, erfc, exactBinomialTwoSided, type McNemarResult, mcnemarTest } from "./statistics/mcnemar";
export { ExperimentStore, type NewPrediction, type ScoredPrediction, type TestItem } from "./store/experiment-store";
export { comparisonMarkdown } from "./tracking/comparison-markdown";
export { type DatasetFacts, datasetFacts, datasetInput, fileDigest } from "./tracking/dataset-lineage";
export { type LoggedExperiment, logExperimentRuns } from "./tracking/log-experiment-runs";
export { metricKeyPart } from "./tracking/metric-key";
export { modelRunMetrics } from "./tracking/model-run-metrics";
export { modelSpecForRegistry, type RegistrableModelSpec } from "./tracking/model-spec-for-registry";
export {
  ARTIFACTS,
  EXPERIMENT_ID_TAG,
  type ExperimentTrackingPlan,
  MODEL_TAG,
  type ModelRunPlan,
  planExperimentTracking,
  RUN_ROLE_TAG,
  type TrackedArtifact,
  type TrackedRun,
} from "./tracking/plan-experiment-tracking";
export { drawText, GLYPH_HEIGHT, GLYPH_WIDTH, textWidth } from "./tracking/png/bitmap-font";
export {
  type ConfusionMatrixInput,
  cellShade,
  confusionMatrixPng,
  type HeatmapLayout,
  layoutConfusionHeatmap,
  renderConfusionHeatmap,
} from "./tracking/png/confusion-heatmap";
export { crc32 } from "./tracking/png/crc32";
export { encodePng, PNG_SIGNATURE } from "./tracking/png/encode-png";
export { createRaster, fillRect, getPixel, type Raster, type Rgb, setPixel } from "./tracking/png/raster";
export {
  type PredictionRecord,
  predictionRecords,
  predictionsCsv,
  predictionsJson,
} from "./tracking/predictions-artifacts";
