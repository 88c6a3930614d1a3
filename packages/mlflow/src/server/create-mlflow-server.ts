import { type Logger, silentLogger } from "@mlops/core";
import { type Context, Hono } from "hono";
import { invalidParameter, isMlflowError, MlflowError } from "../errors/mlflow-error";
import type { TrackingStore, ViewType } from "../store/tracking-store";
import type { Metric, RunStatus } from "../wire/entities";
import { RUN_STATUSES } from "../wire/entities";
import {
  experimentToWire,
  modelVersionToWire,
  pageToWire,
  registeredModelToWire,
  runInfoToWire,
  runToWire,
} from "../wire/to-wire";
import { artifactContentType, createArtifactFiles } from "./artifact-files";
import { type Args, readArgs } from "./request-args";

export interface MlflowServerOptions {
  store: TrackingStore;
  /** Directory holding artifacts proxied through `/api/2.0/mlflow-artifacts/`. */
  artifactRoot: string;
  /** @defaultValue silentLogger() */
  logger?: Logger;
  /** Clock for log-metric calls that send no timestamp. @defaultValue Date.now */
  now?: () => number;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";
type Handler = (args: Args) => Promise<unknown>;

/** Both prefixes MLflow serves: `api` for clients, `ajax-api` for its web UI. */
const PREFIXES = ["/api/2.0", "/ajax-api/2.0"];
const ARTIFACTS = "/mlflow-artifacts/artifacts";

const VIEW_TYPES = new Set(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]);

function viewType(value: string | undefined): ViewType | undefined {
  if (value === undefined) return undefined;
  if (!VIEW_TYPES.has(value)) throw invalidParameter(`Invalid view type '${value}'.`);
  return value as ViewType;
}

function runStatus(value: string | undefined): RunStatus | undefined {
  if (value === undefined) return undefined;
  if (!(RUN_STATUSES as readonly string[]).includes(value)) throw invalidParameter(`Invalid run status '${value}'.`);
  return value as RunStatus;
}

function metricFrom(raw: Record<string, unknown>, now: () => number): Metric {
  const key = raw.key;
  if (typeof key !== "string" || !key) throw invalidParameter("Metric key must be a non-empty string.");
  const value = typeof raw.value === "string" ? Number(raw.value) : raw.value;
  if (typeof value !== "number") {
    throw invalidParameter(`Got invalid value ${JSON.stringify(raw.value)} for metric '${key}'. Expected a number.`);
  }
  return { key, value, timestamp: Number(raw.timestamp ?? now()), step: Number(raw.step ?? 0) };
}

/**
 * The built-in MLflow-compatible tracking server: MLflow's REST paths, request and response shapes, status codes
 * and error bodies for experiments, runs, metrics, artifacts (proxied), the model registry and aliases. A Hono app,
 * mountable at `/` of the product's API so that `MLFLOW_TRACKING_URI` can be the API's URL.
 *
 * @example
 * const app = createMlflowServer({ store: createSqlTrackingStore(database.sql), artifactRoot: ".mlops/artifacts" });
 * serve({ fetch: app.fetch, port: 5000 });
 */
export function createMlflowServer(options: MlflowServerOptions): Hono {
  const { store } = options;
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? Date.now;
  const files = createArtifactFiles(options.artifactRoot);
  const app = new Hono();

  function fail(c: Context, error: unknown): Response {
    if (isMlflowError(error)) return c.json(error.toWire(), error.status as 400);
    logger.error({ err: error, path: c.req.path }, "mlflow server: internal error");
    return c.json({ error_code: "INTERNAL_ERROR", message: `Internal error: ${(error as Error).message}` }, 500);
  }

  const endpoints: [Method, string, Handler][] = [
    // experiments
    [
      "POST",
      "experiments/create",
      async (a) => ({
        experiment_id: await store.createExperiment({
          name: a.string("name"),
          artifactLocation: a.optionalString("artifact_location"),
          tags: a.tags(),
        }),
      }),
    ],
    [
      "GET",
      "experiments/get",
      async (a) => ({
        experiment: experimentToWire(await store.getExperiment(a.string("experiment_id"))),
      }),
    ],
    [
      "GET",
      "experiments/get-by-name",
      async (a) => ({
        experiment: experimentToWire(await store.getExperimentByName(a.string("experiment_name"))),
      }),
    ],
    ["POST", "experiments/search", searchExperiments],
    ["GET", "experiments/search", searchExperiments],
    [
      "POST",
      "experiments/set-experiment-tag",
      async (a) => {
        await store.setExperimentTag(a.string("experiment_id"), { key: a.string("key"), value: a.text("value") });
        return {};
      },
    ],
    // runs
    [
      "POST",
      "runs/create",
      async (a) => ({
        run: runToWire(
          await store.createRun({
            experimentId: a.optionalString("experiment_id") ?? "0",
            userId: a.optionalString("user_id"),
            runName: a.optionalString("run_name"),
            startTime: a.optionalNumber("start_time"),
            tags: a.tags(),
          }),
          { withInputs: false },
        ),
      }),
    ],
    ["GET", "runs/get", async (a) => ({ run: runToWire(await store.getRun(a.string("run_id", "run_uuid"))) })],
    [
      "POST",
      "runs/update",
      async (a) => ({
        run_info: runInfoToWire(
          await store.updateRun({
            runId: a.string("run_id", "run_uuid"),
            status: runStatus(a.optionalString("status")),
            endTime: a.optionalNumber("end_time"),
            runName: a.optionalString("run_name"),
          }),
        ),
      }),
    ],
    [
      "POST",
      "runs/delete",
      async (a) => {
        await store.deleteRun(a.string("run_id"));
        return {};
      },
    ],
    [
      "POST",
      "runs/restore",
      async (a) => {
        await store.restoreRun(a.string("run_id"));
        return {};
      },
    ],
    [
      "POST",
      "runs/log-metric",
      async (a) => {
        a.number("value");
        await store.logBatch(a.string("run_id", "run_uuid"), { metrics: [metricFrom(a.values, now)] });
        return {};
      },
    ],
    [
      "POST",
      "runs/log-parameter",
      async (a) => {
        await store.logBatch(a.string("run_id", "run_uuid"), {
          params: [{ key: a.string("key"), value: a.text("value") }],
        });
        return {};
      },
    ],
    [
      "POST",
      "runs/set-tag",
      async (a) => {
        await store.logBatch(a.string("run_id", "run_uuid"), {
          tags: [{ key: a.string("key"), value: a.text("value") }],
        });
        return {};
      },
    ],
    [
      "POST",
      "runs/delete-tag",
      async (a) => {
        await store.deleteTag(a.string("run_id"), a.string("key"));
        return {};
      },
    ],
    [
      "POST",
      "runs/log-batch",
      async (a) => {
        await store.logBatch(a.string("run_id"), {
          metrics: a.objects("metrics").map((m) => metricFrom(m, now)),
          params: a.objects("params").map((p) => ({ key: String(p.key ?? ""), value: String(p.value ?? "") })),
          tags: a.tags(),
        });
        return {};
      },
    ],
    [
      "POST",
      "runs/log-inputs",
      async (a) => {
        const datasets = a.objects("datasets").map((input) => {
          const dataset = (input.dataset ?? {}) as Record<string, unknown>;
          for (const field of ["name", "digest", "source_type", "source"]) {
            if (typeof dataset[field] !== "string")
              throw invalidParameter(`Missing value for dataset field '${field}'.`);
          }
          return {
            dataset: {
              name: String(dataset.name),
              digest: String(dataset.digest),
              source_type: String(dataset.source_type),
              source: String(dataset.source),
              ...(typeof dataset.schema === "string" ? { schema: dataset.schema } : {}),
              ...(typeof dataset.profile === "string" ? { profile: dataset.profile } : {}),
            },
            tags: ((input.tags ?? []) as Record<string, unknown>[]).map((t) => ({
              key: String(t.key),
              value: String(t.value ?? ""),
            })),
          };
        });
        await store.logInputs(a.string("run_id"), datasets);
        return {};
      },
    ],
    ["POST", "runs/search", searchRuns],
    ["GET", "runs/search", searchRuns],
    [
      "GET",
      "metrics/get-history",
      async (a) => {
        const metrics = await store.getMetricHistory(a.string("run_id", "run_uuid"), a.string("metric_key"));
        return pageToWire("metrics", metrics, undefined, (m) => ({ ...m }));
      },
    ],
    // registered models
    [
      "POST",
      "registered-models/create",
      async (a) => ({
        registered_model: registeredModelToWire(
          await store.createRegisteredModel({
            name: a.string("name"),
            description: a.optionalString("description"),
            tags: a.tags(),
          }),
        ),
      }),
    ],
    [
      "GET",
      "registered-models/get",
      async (a) => ({
        registered_model: registeredModelToWire(await store.getRegisteredModel(a.string("name"))),
      }),
    ],
    [
      "GET",
      "registered-models/search",
      async (a) => {
        const page = await store.searchRegisteredModels({
          filter: a.optionalString("filter"),
          orderBy: a.stringList("order_by"),
          maxResults: a.optionalNumber("max_results"),
          pageToken: a.optionalString("page_token"),
        });
        return pageToWire("registered_models", page.items, page.nextPageToken, registeredModelToWire);
      },
    ],
    [
      "PATCH",
      "registered-models/update",
      async (a) => ({
        registered_model: registeredModelToWire(
          await store.updateRegisteredModel({ name: a.string("name"), description: a.optionalString("description") }),
        ),
      }),
    ],
    [
      "DELETE",
      "registered-models/delete",
      async (a) => {
        await store.deleteRegisteredModel(a.string("name"));
        return {};
      },
    ],
    [
      "POST",
      "registered-models/set-tag",
      async (a) => {
        await store.setRegisteredModelTag(a.string("name"), { key: a.string("key"), value: a.text("value") });
        return {};
      },
    ],
    [
      "DELETE",
      "registered-models/delete-tag",
      async (a) => {
        await store.deleteRegisteredModelTag(a.string("name"), a.string("key"));
        return {};
      },
    ],
    [
      "POST",
      "registered-models/alias",
      async (a) => {
        await store.setRegisteredModelAlias(a.string("name"), a.string("alias"), a.string("version"));
        return {};
      },
    ],
    [
      "DELETE",
      "registered-models/alias",
      async (a) => {
        await store.deleteRegisteredModelAlias(a.string("name"), a.string("alias"));
        return {};
      },
    ],
    [
      "GET",
      "registered-models/alias",
      async (a) => ({
        model_version: modelVersionToWire(await store.getModelVersionByAlias(a.string("name"), a.string("alias"))),
      }),
    ],
    // model versions
    [
      "POST",
      "model-versions/create",
      async (a) => ({
        model_version: modelVersionToWire(
          await store.createModelVersion({
            name: a.string("name"),
            source: a.string("source"),
            runId: a.optionalString("run_id"),
            runLink: a.optionalString("run_link"),
            description: a.optionalString("description"),
            tags: a.tags(),
          }),
        ),
      }),
    ],
    [
      "GET",
      "model-versions/get",
      async (a) => ({
        model_version: modelVersionToWire(await store.getModelVersion(a.string("name"), a.string("version"))),
      }),
    ],
    [
      "GET",
      "model-versions/search",
      async (a) => {
        const page = await store.searchModelVersions({
          filter: a.optionalString("filter"),
          orderBy: a.stringList("order_by"),
          maxResults: a.optionalNumber("max_results"),
          pageToken: a.optionalString("page_token"),
        });
        return pageToWire("model_versions", page.items, page.nextPageToken, modelVersionToWire);
      },
    ],
    [
      "PATCH",
      "model-versions/update",
      async (a) => ({
        model_version: modelVersionToWire(
          await store.updateModelVersion({
            name: a.string("name"),
            version: a.string("version"),
            description: a.optionalString("description"),
          }),
        ),
      }),
    ],
    [
      "DELETE",
      "model-versions/delete",
      async (a) => {
        await store.deleteModelVersion(a.string("name"), a.string("version"));
        return {};
      },
    ],
    [
      "POST",
      "model-versions/set-tag",
      async (a) => {
        await store.setModelVersionTag(a.string("name"), a.string("version"), {
          key: a.string("key"),
          value: a.text("value"),
        });
        return {};
      },
    ],
    [
      "DELETE",
      "model-versions/delete-tag",
      async (a) => {
        await store.deleteModelVersionTag(a.string("name"), a.string("version"), a.string("key"));
        return {};
      },
    ],
    [
      "GET",
      "model-versions/get-download-uri",
      async (a) => ({
        artifact_uri: await store.getModelVersionDownloadUri(a.string("name"), a.string("version")),
      }),
    ],
  ];

  async function searchExperiments(a: Args) {
    const page = await store.searchExperiments({
      filter: a.optionalString("filter"),
      orderBy: a.stringList("order_by"),
      maxResults: a.optionalNumber("max_results"),
      pageToken: a.optionalString("page_token"),
      viewType: viewType(a.optionalString("view_type")),
    });
    return pageToWire("experiments", page.items, page.nextPageToken, experimentToWire);
  }

  async function searchRuns(a: Args) {
    const page = await store.searchRuns({
      experimentIds: a.stringList("experiment_ids") ?? [],
      filter: a.optionalString("filter"),
      orderBy: a.stringList("order_by"),
      maxResults: a.optionalNumber("max_results"),
      pageToken: a.optionalString("page_token"),
      runViewType: viewType(a.optionalString("run_view_type")),
    });
    return pageToWire("runs", page.items, page.nextPageToken, (run) => runToWire(run));
  }

  /** The artifact path from `/…/mlflow-artifacts/artifacts/<path>`, decoded segment by segment. */
  function artifactPath(c: Context, prefix: string): string {
    const raw = c.req.path.slice(`${prefix}${ARTIFACTS}/`.length);
    return raw
      .split("/")
      .map((segment) => decodeURIComponent(segment))
      .join("/");
  }

  for (const prefix of PREFIXES) {
    for (const [method, path, handler] of endpoints) {
      app.on(method, `${prefix}/mlflow/${path}`, async (c) => {
        try {
          return c.json((await handler(await readArgs(c))) as object);
        } catch (error) {
          return fail(c, error);
        }
      });
    }

    app.get(`${prefix}${ARTIFACTS}`, async (c) => {
      try {
        const files_ = await files.list(c.req.query("path") ?? "");
        return c.json(files_.length ? { files: files_ } : {});
      } catch (error) {
        return fail(c, error);
      }
    });
    app.put(`${prefix}${ARTIFACTS}/*`, async (c) => {
      try {
        await files.write(artifactPath(c, prefix), c.req.raw.body);
        return c.json({});
      } catch (error) {
        return fail(c, error);
      }
    });
    app.get(`${prefix}${ARTIFACTS}/*`, async (c) => {
      try {
        const path = artifactPath(c, prefix);
        const { stream, size } = await files.read(path);
        return c.body(stream, 200, { "content-type": artifactContentType(path), "content-length": String(size) });
      } catch (error) {
        return fail(c, error);
      }
    });
    app.delete(`${prefix}${ARTIFACTS}/*`, async (c) => {
      try {
        await files.remove(artifactPath(c, prefix));
        return c.json({});
      } catch (error) {
        return fail(c, error);
      }
    });

    // Scoped to MLflow's prefix, so that mounting at `/` leaves the host app's own 404s alone.
    app.all(`${prefix}/mlflow/*`, (c) =>
      fail(
        c,
        new MlflowError("ENDPOINT_NOT_FOUND", `No ${c.req.method} endpoint at ${c.req.path} in this MLflow server.`),
      ),
    );
  }
  return app;
}
