import { isMlflowError, MlflowError } from "../errors/mlflow-error";
import type { ViewType } from "../store/tracking-store";
import type {
  ArtifactFile,
  DatasetInput,
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
import { type Page, responses } from "../wire/responses";
import { createTransport, type QueryValue, type RetryOptions, type Transport } from "./http-transport";
import { splitLogBatch } from "./split-log-batch";

export interface MlflowClientOptions {
  /** The MLflow server's URL (`http://localhost:5000`, the product API's URL), or `databricks`. */
  trackingUri: string;
  /** Bearer token: an MLflow token, or the Databricks token when `trackingUri` is `databricks`. */
  token?: string | undefined;
  /** The workspace host (`adb-123.azuredatabricks.net`) when `trackingUri` is `databricks`. */
  databricksHost?: string | undefined;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** @defaultValue 60000 */
  timeoutMs?: number;
}

export interface SearchPageOptions {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

/** A metric to log; `timestamp` defaults to now and `step` to 0. */
export interface MetricInput {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

export interface DatasetInputArgs {
  dataset: DatasetInput["dataset"];
  tags?: Tag[];
}

const API = "/api/2.0/mlflow";
const ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts";

/** Resolves `databricks` to the workspace URL; anything else must be an http(s) URL. */
export function resolveTrackingUri(options: Pick<MlflowClientOptions, "trackingUri" | "databricksHost">): string {
  const uri = options.trackingUri.trim();
  if (uri === "databricks" || uri.startsWith("databricks://")) {
    const host = options.databricksHost?.trim();
    if (!host) {
      throw new MlflowError(
        "MLFLOW_INVALID_CONFIG",
        "The tracking URI is 'databricks' but no Databricks host is set.",
        {
          hint: "Set DATABRICKS_HOST (and DATABRICKS_TOKEN), or point MLFLOW_TRACKING_URI at an MLflow server.",
        },
      );
    }
    return `https://${host.replace(/^https?:\/\//, "").replace(/\/+$/, "")}`;
  }
  if (!/^https?:\/\//.test(uri)) {
    throw new MlflowError("MLFLOW_INVALID_CONFIG", `Unsupported MLflow tracking URI '${uri}'.`, {
      hint: "Use an http(s) URL of an MLflow server, or 'databricks'. Leave it unset to use the built-in server.",
    });
  }
  return uri.replace(/\/+$/, "");
}

/** `mlflow-artifacts:/1/<run>/artifacts` (or `mlflow-artifacts://host/…`) → `1/<run>/artifacts`. */
export function artifactRootPath(artifactUri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/*(.*)$/.exec(artifactUri);
  if (!match) {
    throw new MlflowError(
      "MLFLOW_UNSUPPORTED_ARTIFACT_STORE",
      `Artifacts at '${artifactUri}' are not proxied by the server.`,
      {
        hint: "Only mlflow-artifacts:/ locations (a server started with artifact proxying) can be read and written here.",
      },
    );
  }
  return (match[1] ?? "").replace(/\/+$/, "");
}

const encodePath = (path: string) =>
  path
    .split("/")
    .filter(Boolean)
    .map((segment) => encodeURIComponent(segment))
    .join("/");

const page = <T>(items: T[], nextPageToken: string | undefined): Page<T> => ({ items, nextPageToken });

/**
 * A typed client for MLflow's REST API (an OSS server, Databricks, or the built-in server): experiments, runs,
 * metrics, dataset inputs, proxied artifacts, the model registry and aliases. Responses are validated with zod and
 * keep MLflow's field names; empty lists MLflow leaves out come back as `[]`. Failures are `MlflowError`s carrying
 * MLflow's `error_code`.
 *
 * @example
 * const mlflow = createMlflowClient({ trackingUri: "http://localhost:5000" });
 * const experimentId = await mlflow.experiments.create({ name: "news-classifier" });
 * const run = await mlflow.runs.create({ experimentId, runName: "llama-3" });
 * await mlflow.runs.logBatch(run.info.run_id, { metrics: [{ key: "accuracy", value: 0.93 }] });
 */
export function createMlflowClient(options: MlflowClientOptions) {
  const http: Transport = createTransport({
    baseUrl: resolveTrackingUri(options),
    token: options.token,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  });
  const get = <S extends Parameters<Transport["json"]>[1]>(
    path: string,
    query: Record<string, QueryValue>,
    schema: S,
  ) => http.json({ method: "GET", path: `${API}/${path}`, query }, schema);
  const send = <S extends Parameters<Transport["json"]>[1]>(
    method: "POST" | "PATCH" | "DELETE",
    path: string,
    json: Record<string, unknown>,
    schema: S,
  ) => http.json({ method, path: `${API}/${path}`, json }, schema);
  const empty = responses.empty;
  const artifactRoots = new Map<string, string>();

  async function artifactRoot(runId: string): Promise<string> {
    let root = artifactRoots.get(runId);
    if (root === undefined) {
      root = artifactRootPath((await runs.get(runId)).info.artifact_uri);
      artifactRoots.set(runId, root);
    }
    return root;
  }

  const experiments = {
    /** Creates an experiment and returns its id. */
    async create(args: { name: string; artifactLocation?: string; tags?: Tag[] }): Promise<string> {
      const body = { name: args.name, artifact_location: args.artifactLocation, tags: args.tags };
      return (await send("POST", "experiments/create", body, responses.createExperiment)).experiment_id;
    },
    async get(experimentId: string): Promise<Experiment> {
      return (await get("experiments/get", { experiment_id: experimentId }, responses.getExperiment)).experiment;
    },
    /** The experiment with this name, or undefined when there is none. */
    async getByName(name: string): Promise<Experiment | undefined> {
      try {
        return (await get("experiments/get-by-name", { experiment_name: name }, responses.getExperiment)).experiment;
      } catch (error) {
        if (isMlflowError(error, "RESOURCE_DOES_NOT_EXIST")) return undefined;
        throw error;
      }
    },
    async search(args: SearchPageOptions & { viewType?: ViewType } = {}): Promise<Page<Experiment>> {
      const body = {
        filter: args.filter,
        order_by: args.orderBy,
        max_results: args.maxResults,
        page_token: args.pageToken,
        view_type: args.viewType,
      };
      const result = await send("POST", "experiments/search", body, responses.searchExperiments);
      return page(result.experiments, result.next_page_token);
    },
    async setTag(experimentId: string, key: string, value: string): Promise<void> {
      await send("POST", "experiments/set-experiment-tag", { experiment_id: experimentId, key, value }, empty);
    },
  };

  const runs = {
    async create(args: {
      experimentId: string;
      runName?: string;
      startTime?: number;
      tags?: Tag[];
      userId?: string;
    }): Promise<Run> {
      const body = {
        experiment_id: args.experimentId,
        run_name: args.runName,
        start_time: args.startTime ?? Date.now(),
        tags: args.tags,
        user_id: args.userId,
      };
      return (await send("POST", "runs/create", body, responses.createRun)).run;
    },
    async get(runId: string): Promise<Run> {
      return (await get("runs/get", { run_id: runId }, responses.getRun)).run;
    },
    async update(args: { runId: string; status?: RunStatus; endTime?: number; runName?: string }): Promise<RunInfo> {
      const body = { run_id: args.runId, status: args.status, end_time: args.endTime, run_name: args.runName };
      return (await send("POST", "runs/update", body, responses.updateRun)).run_info;
    },
    async delete(runId: string): Promise<void> {
      await send("POST", "runs/delete", { run_id: runId }, empty);
    },
    async restore(runId: string): Promise<void> {
      await send("POST", "runs/restore", { run_id: runId }, empty);
    },
    async search(args: SearchPageOptions & { experimentIds: string[]; runViewType?: ViewType }): Promise<Page<Run>> {
      const body = {
        experiment_ids: args.experimentIds,
        filter: args.filter,
        order_by: args.orderBy,
        max_results: args.maxResults,
        page_token: args.pageToken,
        run_view_type: args.runViewType,
      };
      const result = await send("POST", "runs/search", body, responses.searchRuns);
      return page(result.runs, result.next_page_token);
    },
    /**
     * Logs metrics, params and tags. Any size is accepted: the batch is sent as several requests within MLflow's
     * limits (1000 metrics, 100 params, 100 tags, 1000 items per request). Returns the number of requests sent.
     */
    async logBatch(runId: string, batch: { metrics?: MetricInput[]; params?: Param[]; tags?: Tag[] }): Promise<number> {
      const now = Date.now();
      const metrics: Metric[] = (batch.metrics ?? []).map((m) => ({
        key: m.key,
        value: m.value,
        timestamp: m.timestamp ?? now,
        step: m.step ?? 0,
      }));
      const chunks = splitLogBatch({ metrics, params: batch.params ?? [], tags: batch.tags ?? [] });
      for (const chunk of chunks) {
        await send("POST", "runs/log-batch", { run_id: runId, ...chunk }, empty);
      }
      return chunks.length;
    },
    async logMetric(runId: string, key: string, value: number, at: { timestamp?: number; step?: number } = {}) {
      const body = { run_id: runId, key, value, timestamp: at.timestamp ?? Date.now(), step: at.step ?? 0 };
      await send("POST", "runs/log-metric", body, empty);
    },
    async logParam(runId: string, key: string, value: string): Promise<void> {
      await send("POST", "runs/log-parameter", { run_id: runId, key, value }, empty);
    },
    async setTag(runId: string, key: string, value: string): Promise<void> {
      await send("POST", "runs/set-tag", { run_id: runId, key, value }, empty);
    },
    async deleteTag(runId: string, key: string): Promise<void> {
      await send("POST", "runs/delete-tag", { run_id: runId, key }, empty);
    },
    /** Records the datasets a run used (lineage), e.g. with the tag `mlflow.data.context` = `training`. */
    async logInputs(runId: string, datasets: DatasetInputArgs[]): Promise<void> {
      const body = { run_id: runId, datasets: datasets.map((d) => ({ tags: d.tags ?? [], dataset: d.dataset })) };
      await send("POST", "runs/log-inputs", body, empty);
    },
    /** Every logged point of one metric, all pages followed. */
    async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
      const metrics: Metric[] = [];
      let pageToken: string | undefined;
      do {
        const query = { run_id: runId, metric_key: key, max_results: 25000, page_token: pageToken };
        const result = await get("metrics/get-history", query, responses.getMetricHistory);
        metrics.push(...result.metrics);
        pageToken = result.next_page_token;
      } while (pageToken);
      return metrics;
    },
  };

  const artifacts = {
    /** Uploads one file to the run's artifacts at `path` (e.g. `model/MLmodel`). */
    async upload(runId: string, path: string, content: Uint8Array | string): Promise<void> {
      const target = `${await artifactRoot(runId)}/${path}`;
      await http.json({ method: "PUT", path: `${ARTIFACTS_API}/${encodePath(target)}`, body: content }, empty);
    },
    /** The entries directly under `path` (the run's artifact root when omitted), paths relative to that root. */
    async list(runId: string, path = ""): Promise<ArtifactFile[]> {
      const dir = path.replace(/^\/+|\/+$/g, "");
      const root = await artifactRoot(runId);
      const query = { path: dir ? `${root}/${dir}` : root };
      const result = await http.json({ method: "GET", path: ARTIFACTS_API, query }, responses.listArtifacts);
      return result.files.map((f) => ({ ...f, path: dir ? `${dir}/${f.path}` : f.path }));
    },
    async download(runId: string, path: string): Promise<Uint8Array> {
      const target = `${await artifactRoot(runId)}/${path}`;
      return http.bytes({ method: "GET", path: `${ARTIFACTS_API}/${encodePath(target)}` });
    },
  };

  const searchQuery = (args: SearchPageOptions) => ({
    filter: args.filter,
    max_results: args.maxResults,
    order_by: args.orderBy,
    page_token: args.pageToken,
  });

  const registeredModels = {
    /** Unity Catalog names (`catalog.schema.model`) are passed through as they are. */
    async create(args: { name: string; description?: string; tags?: Tag[] }): Promise<RegisteredModel> {
      const body = { name: args.name, description: args.description, tags: args.tags };
      return (await send("POST", "registered-models/create", body, responses.registeredModel)).registered_model;
    },
    async get(name: string): Promise<RegisteredModel> {
      return (await get("registered-models/get", { name }, responses.registeredModel)).registered_model;
    },
    async search(args: SearchPageOptions = {}): Promise<Page<RegisteredModel>> {
      const result = await get("registered-models/search", searchQuery(args), responses.searchRegisteredModels);
      return page(result.registered_models, result.next_page_token);
    },
    async update(args: { name: string; description?: string }): Promise<RegisteredModel> {
      const body = { name: args.name, description: args.description };
      return (await send("PATCH", "registered-models/update", body, responses.registeredModel)).registered_model;
    },
    async setTag(name: string, key: string, value: string): Promise<void> {
      await send("POST", "registered-models/set-tag", { name, key, value }, empty);
    },
    async deleteTag(name: string, key: string): Promise<void> {
      await send("DELETE", "registered-models/delete-tag", { name, key }, empty);
    },
    async delete(name: string): Promise<void> {
      await send("DELETE", "registered-models/delete", { name }, empty);
    },
  };

  const modelVersions = {
    async create(args: {
      name: string;
      source: string;
      runId?: string;
      runLink?: string;
      description?: string;
      tags?: Tag[];
    }): Promise<ModelVersion> {
      const body = {
        name: args.name,
        source: args.source,
        run_id: args.runId,
        run_link: args.runLink,
        description: args.description,
        tags: args.tags,
      };
      return (await send("POST", "model-versions/create", body, responses.modelVersion)).model_version;
    },
    async get(name: string, version: string): Promise<ModelVersion> {
      return (await get("model-versions/get", { name, version }, responses.modelVersion)).model_version;
    },
    async search(args: SearchPageOptions = {}): Promise<Page<ModelVersion>> {
      const result = await get("model-versions/search", searchQuery(args), responses.searchModelVersions);
      return page(result.model_versions, result.next_page_token);
    },
    async update(args: { name: string; version: string; description?: string }): Promise<ModelVersion> {
      const body = { name: args.name, version: args.version, description: args.description };
      return (await send("PATCH", "model-versions/update", body, responses.modelVersion)).model_version;
    },
    async setTag(name: string, version: string, key: string, value: string): Promise<void> {
      await send("POST", "model-versions/set-tag", { name, version, key, value }, empty);
    },
    async deleteTag(name: string, version: string, key: string): Promise<void> {
      await send("DELETE", "model-versions/delete-tag", { name, version, key }, empty);
    },
    async delete(name: string, version: string): Promise<void> {
      await send("DELETE", "model-versions/delete", { name, version }, empty);
    },
    /** Where the version's files are (`runs:/…`, `mlflow-artifacts:/…`, `dbfs:/…`). */
    async getDownloadUri(name: string, version: string): Promise<string> {
      return (await get("model-versions/get-download-uri", { name, version }, responses.getDownloadUri)).artifact_uri;
    },
  };

  const aliases = {
    /** Points `alias` (e.g. `champion`) at `version`, moving it if it pointed elsewhere. */
    async set(name: string, alias: string, version: string): Promise<void> {
      await send("POST", "registered-models/alias", { name, alias, version }, empty);
    },
    async delete(name: string, alias: string): Promise<void> {
      await send("DELETE", "registered-models/alias", { name, alias }, empty);
    },
    async getVersion(name: string, alias: string): Promise<ModelVersion> {
      return (await get("registered-models/alias", { name, alias }, responses.modelVersion)).model_version;
    },
  };

  return { baseUrl: http.baseUrl, experiments, runs, artifacts, registeredModels, modelVersions, aliases };
}

export type MlflowClient = ReturnType<typeof createMlflowClient>;
