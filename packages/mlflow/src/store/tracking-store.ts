import type {
  Dataset,
  Experiment,
  Metric,
  ModelVersion,
  Param,
  RegisteredModel,
  Run,
  RunInfo,
  RunStatus,
  Tag,
} from "../wire/entities";
import type { Page } from "../wire/responses";

export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export interface SearchOptions {
  filter?: string | undefined;
  orderBy?: string[] | undefined;
  maxResults?: number | undefined;
  pageToken?: string | undefined;
}

export interface LogBatchInput {
  metrics?: Metric[];
  params?: Param[];
  tags?: Tag[];
}

/** A dataset a run used, with the input's tags (`mlflow.data.context` = training, eval…). */
export interface DatasetInputArgs {
  dataset: Dataset;
  tags?: Tag[];
}

/**
 * What the built-in MLflow server needs from storage. Methods throw `MlflowError` with MLflow's codes and messages
 * (`RESOURCE_DOES_NOT_EXIST`, `RESOURCE_ALREADY_EXISTS`, `INVALID_PARAMETER_VALUE`), which the server passes on as is.
 */
export interface TrackingStore {
  createExperiment(args: { name: string; artifactLocation?: string | undefined; tags?: Tag[] }): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  getExperimentByName(name: string): Promise<Experiment>;
  searchExperiments(args: SearchOptions & { viewType?: ViewType }): Promise<Page<Experiment>>;
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;

  createRun(args: {
    experimentId: string;
    userId?: string | undefined;
    runName?: string | undefined;
    startTime?: number | undefined;
    tags?: Tag[];
  }): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(args: {
    runId: string;
    status?: RunStatus | undefined;
    endTime?: number | undefined;
    runName?: string | undefined;
  }): Promise<RunInfo>;
  deleteRun(runId: string): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  logBatch(runId: string, batch: LogBatchInput): Promise<void>;
  deleteTag(runId: string, key: string): Promise<void>;
  logInputs(runId: string, datasets: DatasetInputArgs[]): Promise<void>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  searchRuns(args: SearchOptions & { experimentIds: string[]; runViewType?: ViewType }): Promise<Page<Run>>;

  createRegisteredModel(args: {
    name: string;
    description?: string | undefined;
    tags?: Tag[];
  }): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  searchRegisteredModels(args: SearchOptions): Promise<Page<RegisteredModel>>;
  updateRegisteredModel(args: { name: string; description?: string | undefined }): Promise<RegisteredModel>;
  deleteRegisteredModel(name: string): Promise<void>;
  setRegisteredModelTag(name: string, tag: Tag): Promise<void>;
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;

  createModelVersion(args: {
    name: string;
    source: string;
    runId?: string | undefined;
    runLink?: string | undefined;
    description?: string | undefined;
    tags?: Tag[];
  }): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  searchModelVersions(args: SearchOptions): Promise<Page<ModelVersion>>;
  updateModelVersion(args: { name: string; version: string; description?: string | undefined }): Promise<ModelVersion>;
  deleteModelVersion(name: string, version: string): Promise<void>;
  setModelVersionTag(name: string, version: string, tag: Tag): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;
  getModelVersionDownloadUri(name: string, version: string): Promise<string>;

  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
}
