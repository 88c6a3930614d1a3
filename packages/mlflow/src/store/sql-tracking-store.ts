import { randomBytes, randomUUID } from "node:crypto";
import { type Clock, type SqlExecutor, systemClock } from "@mlops/core";
import { LOG_BATCH_REQUEST_LIMITS as LOG_BATCH_LIMITS } from "../client/split-log-batch";
import { alreadyExists, invalidParameter, notFound } from "../errors/mlflow-error";
import type {
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
import { decodePageToken, encodePageToken } from "./page-token";
import { parseFilter, parseOrderBy } from "./search-filter";
import { compileFilter, compileOrder, type SearchTarget, SqlParams } from "./sql-search";
import type { SearchOptions, TrackingStore, ViewType } from "./tracking-store";

export interface SqlTrackingStoreOptions {
  /** @defaultValue systemClock */
  clock?: Clock;
  /** Where new experiments keep their artifacts: `<root>/<experiment_id>`. @defaultValue "mlflow-artifacts:" */
  defaultArtifactRoot?: string;
}

const RUN_NAME_TAG = "mlflow.runName";
const DEFAULT_EXPERIMENT_ID = "0";
const ADJECTIVES = ["able", "brave", "calm", "clever", "eager", "gentle", "honest", "keen", "lucky", "merry", "quick"];
const NOUNS = ["ant", "bear", "crab", "dove", "eel", "fox", "goat", "hawk", "lynx", "owl", "seal", "wolf"];

type Row = Record<string, unknown>;

const num = (value: unknown): number | undefined => (value === null || value === undefined ? undefined : Number(value));
const placeholders = (params: SqlParams, values: readonly unknown[]) => params.list(values);

function randomRunName(): string {
  const [a, b, c] = randomBytes(3);
  return `${ADJECTIVES[(a as number) % ADJECTIVES.length]}-${NOUNS[(b as number) % NOUNS.length]}-${(c as number) % 1000}`;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";
}

function groupBy<T>(rows: Row[], key: string, map: (row: Row) => T): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const id = String(row[key]);
    const list = groups.get(id) ?? [];
    list.push(map(row));
    groups.set(id, list);
  }
  return groups;
}

function lifecycleCondition(column: string, view: ViewType | undefined): string {
  if (view === "DELETED_ONLY") return `${column} = 'deleted'`;
  if (view === "ALL") return "TRUE";
  return `${column} = 'active'`;
}

function checkMaxResults(value: number | undefined, fallback: number, max: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalidParameter(`Invalid value ${n} for parameter 'max_results' supplied. It must be at most ${max}.`);
  }
  return n;
}

function parseVersion(version: string): number {
  const n = Number(version);
  if (!Number.isInteger(n) || n < 1)
    throw invalidParameter(`Parameter 'version' must be an integer, got '${version}'.`);
  return n;
}

function parseExperimentId(experimentId: string): number | undefined {
  return /^\d+$/.test(experimentId) ? Number(experimentId) : undefined;
}

const EXPERIMENT_SEARCH: SearchTarget = {
  what: "experiments",
  attributes: {
    name: { column: "e.name", type: "string" },
    experiment_id: { column: "e.experiment_id", type: "number" },
    creation_time: { column: "e.creation_time", type: "number" },
    last_update_time: { column: "e.last_update_time", type: "number" },
  },
  sides: { tag: { table: "mlflow_experiment_tags", join: "x.experiment_id = e.experiment_id", type: "string" } },
};

const RUN_SEARCH: SearchTarget = {
  what: "runs",
  attributes: {
    run_id: { column: "e.run_uuid", type: "string" },
    run_uuid: { column: "e.run_uuid", type: "string" },
    run_name: { column: "e.name", type: "string" },
    status: { column: "e.status", type: "string" },
    user_id: { column: "e.user_id", type: "string" },
    artifact_uri: { column: "e.artifact_uri", type: "string" },
    lifecycle_stage: { column: "e.lifecycle_stage", type: "string" },
    start_time: { column: "e.start_time", type: "number" },
    created: { column: "e.start_time", type: "number" },
    Created: { column: "e.start_time", type: "number" },
    end_time: { column: "e.end_time", type: "number" },
  },
  sides: {
    tag: { table: "mlflow_run_tags", join: "x.run_uuid = e.run_uuid", type: "string" },
    param: { table: "mlflow_run_params", join: "x.run_uuid = e.run_uuid", type: "string" },
    metric: { table: "mlflow_run_latest_metrics", join: "x.run_uuid = e.run_uuid", type: "number" },
  },
};

const REGISTERED_MODEL_SEARCH: SearchTarget = {
  what: "registered models",
  attributes: {
    name: { column: "e.name", type: "string" },
    creation_timestamp: { column: "e.creation_time", type: "number" },
    last_updated_timestamp: { column: "e.last_updated_time", type: "number" },
    timestamp: { column: "e.last_updated_time", type: "number" },
  },
  sides: { tag: { table: "mlflow_registered_model_tags", join: "x.name = e.name", type: "string" } },
};

const MODEL_VERSION_SEARCH: SearchTarget = {
  what: "model versions",
  attributes: {
    name: { column: "e.name", type: "string" },
    version: { column: "e.version", type: "number" },
    version_number: { column: "e.version", type: "number" },
    run_id: { column: "e.run_id", type: "string" },
    source: { column: "e.source", type: "string" },
    source_path: { column: "e.source", type: "string" },
    current_stage: { column: "e.current_stage", type: "string" },
    creation_timestamp: { column: "e.creation_time", type: "number" },
    last_updated_timestamp: { column: "e.last_updated_time", type: "number" },
  },
  sides: {
    tag: { table: "mlflow_model_version_tags", join: "x.name = e.name AND x.version = e.version", type: "string" },
  },
};

/**
 * The built-in server's store: MLflow's tracking and registry data in the app database (Postgres or PGlite),
 * reached through `SqlExecutor` only. Tables are defined in `@mlops/db`'s schema (`mlflow_*`).
 */
export function createSqlTrackingStore(sql: SqlExecutor, options: SqlTrackingStoreOptions = {}): TrackingStore {
  const clock = options.clock ?? systemClock;
  const artifactRoot = (options.defaultArtifactRoot ?? "mlflow-artifacts:").replace(/\/+$/, "");
  const now = () => clock.now().getTime();
  let ready: Promise<void> | undefined;

  /** MLflow servers always have experiment 0, "Default"; clients that name no experiment log there. */
  function ensureDefaultExperiment(): Promise<void> {
    ready ??= (async () => {
      const t = now();
      await sql.query(
        `INSERT INTO mlflow_experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
         VALUES (0, 'Default', $1, 'active', $2, $2) ON CONFLICT DO NOTHING`,
        [`${artifactRoot}/0`, t],
      );
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  }

  // ---------- experiments ----------

  async function loadExperiments(db: SqlExecutor, rows: Row[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const params = new SqlParams();
    const ids = rows.map((r) => Number(r.experiment_id));
    const tags = await db.query(
      `SELECT experiment_id, key, value FROM mlflow_experiment_tags WHERE experiment_id IN (${placeholders(params, ids)}) ORDER BY seq`,
      params.values,
    );
    const byId = groupBy(tags, "experiment_id", (r) => ({ key: String(r.key), value: String(r.value) }));
    return rows.map((r) => ({
      experiment_id: String(r.experiment_id),
      name: String(r.name),
      artifact_location: String(r.artifact_location),
      lifecycle_stage: String(r.lifecycle_stage),
      last_update_time: num(r.last_update_time),
      creation_time: num(r.creation_time),
      tags: byId.get(String(r.experiment_id)) ?? [],
    }));
  }

  async function experimentRow(db: SqlExecutor, experimentId: string): Promise<Row> {
    const id = parseExperimentId(experimentId);
    const [row] =
      id === undefined ? [] : await db.query("SELECT * FROM mlflow_experiments WHERE experiment_id = $1", [id]);
    if (!row) throw notFound(`No Experiment with id=${experimentId} exists`);
    return row;
  }

  async function activeExperimentRow(db: SqlExecutor, experimentId: string): Promise<Row> {
    const row = await experimentRow(db, experimentId);
    if (row.lifecycle_stage !== "active") {
      throw invalidParameter(
        `The experiment ${experimentId} must be in the 'active' state. Current state is ${String(row.lifecycle_stage)}.`,
      );
    }
    return row;
  }

  async function upsertTags(db: SqlExecutor, table: string, idColumns: string[], ids: unknown[], tags: Tag[]) {
    if (tags.length === 0) return;
    const last = new Map(tags.map((t) => [t.key, t.value]));
    const params = new SqlParams();
    const values = [...last].map(([key, value]) => `(${placeholders(params, [...ids, key, value])})`);
    await db.query(
      `INSERT INTO ${table} (${[...idColumns, "key", "value"].join(", ")}) VALUES ${values.join(", ")}
       ON CONFLICT (${[...idColumns, "key"].join(", ")}) DO UPDATE SET value = EXCLUDED.value`,
      params.values,
    );
  }

  // ---------- runs ----------

  function runInfo(r: Row): RunInfo {
    return {
      run_uuid: String(r.run_uuid),
      experiment_id: String(r.experiment_id),
      run_name: String(r.name),
      user_id: String(r.user_id),
      status: String(r.status) as RunStatus,
      start_time: num(r.start_time),
      end_time: num(r.end_time),
      artifact_uri: String(r.artifact_uri),
      lifecycle_stage: String(r.lifecycle_stage),
      run_id: String(r.run_uuid),
    };
  }

  async function loadRuns(db: SqlExecutor, rows: Row[]): Promise<Run[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => String(r.run_uuid));
    const select = async (text: string) => {
      const params = new SqlParams();
      return db.query(text.replace("$IDS", placeholders(params, ids)), params.values);
    };
    // One after another: a transaction's connection runs one query at a time.
    const tags = await select("SELECT run_uuid, key, value FROM mlflow_run_tags WHERE run_uuid IN ($IDS) ORDER BY seq");
    const params = await select(
      "SELECT run_uuid, key, value FROM mlflow_run_params WHERE run_uuid IN ($IDS) ORDER BY seq",
    );
    const metrics = await select(
      "SELECT run_uuid, key, value, timestamp, step FROM mlflow_run_latest_metrics WHERE run_uuid IN ($IDS) ORDER BY seq",
    );
    const inputs = await select(
      `SELECT i.run_uuid, i.tags, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
         FROM mlflow_run_inputs i JOIN mlflow_datasets d ON d.dataset_uuid = i.dataset_uuid
         WHERE i.run_uuid IN ($IDS) ORDER BY i.seq`,
    );
    const kv = (r: Row) => ({ key: String(r.key), value: String(r.value) });
    const tagsBy = groupBy(tags, "run_uuid", kv);
    const paramsBy = groupBy(params, "run_uuid", kv);
    const metricsBy = groupBy(metrics, "run_uuid", (r) => ({
      key: String(r.key),
      value: Number(r.value),
      timestamp: Number(r.timestamp),
      step: Number(r.step),
    }));
    const inputsBy = groupBy(inputs, "run_uuid", (r) => ({
      tags: (typeof r.tags === "string" ? JSON.parse(r.tags) : (r.tags ?? [])) as Tag[],
      dataset: {
        name: String(r.name),
        digest: String(r.digest),
        source_type: String(r.source_type),
        source: String(r.source),
        ...(r.schema === null ? {} : { schema: String(r.schema) }),
        ...(r.profile === null ? {} : { profile: String(r.profile) }),
      },
    }));
    return rows.map((r) => {
      const id = String(r.run_uuid);
      return {
        info: runInfo(r),
        data: { metrics: metricsBy.get(id) ?? [], params: paramsBy.get(id) ?? [], tags: tagsBy.get(id) ?? [] },
        inputs: { dataset_inputs: inputsBy.get(id) ?? [] },
      };
    });
  }

  async function runRow(db: SqlExecutor, runId: string, lock = false): Promise<Row> {
    const [row] = await db.query(`SELECT * FROM mlflow_runs WHERE run_uuid = $1${lock ? " FOR UPDATE" : ""}`, [runId]);
    if (!row) throw notFound(`Run with id=${runId} not found`);
    return row;
  }

  async function activeRunRow(db: SqlExecutor, runId: string): Promise<Row> {
    const row = await runRow(db, runId, true);
    if (row.lifecycle_stage !== "active") {
      throw invalidParameter(
        `The run ${runId} must be in the 'active' state. Current state is ${String(row.lifecycle_stage)}.`,
      );
    }
    return row;
  }

  async function logParams(db: SqlExecutor, runId: string, params: Param[]) {
    if (params.length === 0) return;
    const wanted = new Map<string, string>();
    for (const p of params) {
      const seen = wanted.get(p.key);
      if (seen !== undefined && seen !== p.value) {
        throw invalidParameter(
          `Duplicate parameter keys have been submitted: [${p.key}]. Please ensure the request contains only one param value per param key.`,
        );
      }
      wanted.set(p.key, p.value);
    }
    const q = new SqlParams();
    const existing = await db.query(
      `SELECT key, value FROM mlflow_run_params WHERE run_uuid = ${q.add(runId)} AND key IN (${placeholders(q, [...wanted.keys()])})`,
      q.values,
    );
    for (const row of existing) {
      const value = wanted.get(String(row.key));
      if (value !== String(row.value)) {
        throw invalidParameter(
          `Changing param values is not allowed. Param with key='${String(row.key)}' was already logged with value='${String(row.value)}' for run ID='${runId}'. Attempted logging new value '${value}'.`,
        );
      }
      wanted.delete(String(row.key));
    }
    if (wanted.size === 0) return;
    const insert = new SqlParams();
    const values = [...wanted].map(([k, v]) => `(${placeholders(insert, [runId, k, v])})`);
    await db.query(
      `INSERT INTO mlflow_run_params (run_uuid, key, value) VALUES ${values.join(", ")} ON CONFLICT DO NOTHING`,
      insert.values,
    );
  }

  async function logMetrics(db: SqlExecutor, runId: string, metrics: Metric[]) {
    if (metrics.length === 0) return;
    const history = new SqlParams();
    const rows = metrics.map((m) => `(${placeholders(history, [runId, m.key, m.value, m.timestamp, m.step])})`);
    await db.query(
      `INSERT INTO mlflow_run_metrics (run_uuid, key, value, timestamp, step) VALUES ${rows.join(", ")} ON CONFLICT DO NOTHING`,
      history.values,
    );
    // One candidate per key (Postgres cannot update a row twice in one statement), then keep the newer point.
    const latest = new Map<string, Metric>();
    const newer = (a: Metric, b: Metric) =>
      a.step !== b.step ? a.step > b.step : a.timestamp !== b.timestamp ? a.timestamp > b.timestamp : a.value > b.value;
    for (const m of metrics) {
      const current = latest.get(m.key);
      if (!current || newer(m, current)) latest.set(m.key, m);
    }
    const up = new SqlParams();
    const ups = [...latest.values()].map((m) => `(${placeholders(up, [runId, m.key, m.value, m.timestamp, m.step])})`);
    await db.query(
      `INSERT INTO mlflow_run_latest_metrics AS l (run_uuid, key, value, timestamp, step) VALUES ${ups.join(", ")}
       ON CONFLICT (run_uuid, key) DO UPDATE SET value = EXCLUDED.value, timestamp = EXCLUDED.timestamp, step = EXCLUDED.step
       WHERE (EXCLUDED.step, EXCLUDED.timestamp, EXCLUDED.value) > (l.step, l.timestamp, l.value)`,
      up.values,
    );
  }

  async function setRunTags(db: SqlExecutor, runId: string, tags: Tag[]) {
    await upsertTags(db, "mlflow_run_tags", ["run_uuid"], [runId], tags);
    const runName = tags.filter((t) => t.key === RUN_NAME_TAG).at(-1);
    if (runName) await db.query("UPDATE mlflow_runs SET name = $1 WHERE run_uuid = $2", [runName.value, runId]);
  }

  // ---------- registry ----------

  async function modelRow(db: SqlExecutor, name: string, lock = false): Promise<Row> {
    const [row] = await db.query(`SELECT * FROM mlflow_registered_models WHERE name = $1${lock ? " FOR UPDATE" : ""}`, [
      name,
    ]);
    if (!row) throw notFound(`Registered Model with name=${name} not found`);
    return row;
  }

  async function versionRow(db: SqlExecutor, name: string, version: string): Promise<Row> {
    const n = Number(version);
    const [row] = Number.isInteger(n)
      ? await db.query("SELECT * FROM mlflow_model_versions WHERE name = $1 AND version = $2", [name, n])
      : [];
    if (!row) throw notFound(`Model Version (name=${name}, version=${version}) not found`);
    return row;
  }

  async function loadVersions(db: SqlExecutor, rows: Row[]): Promise<ModelVersion[]> {
    if (rows.length === 0) return [];
    const params = new SqlParams();
    const keys = rows.map((r) => `(${placeholders(params, [r.name, Number(r.version)])})`).join(", ");
    const tags = await db.query(
      `SELECT name, version, key, value FROM mlflow_model_version_tags WHERE (name, version) IN (${keys}) ORDER BY seq`,
      params.values,
    );
    const aliases = await db.query(
      `SELECT name, version, alias FROM mlflow_registered_model_aliases WHERE (name, version) IN (${keys}) ORDER BY alias`,
      params.values,
    );
    const id = (r: Row) => `${String(r.name)}\u0000${Number(r.version)}`;
    const tagsBy = groupBy(
      tags.map((t) => ({ ...t, id: id(t) })),
      "id",
      (r) => ({ key: String(r.key), value: String(r.value) }),
    );
    const aliasesBy = groupBy(
      aliases.map((a) => ({ ...a, id: id(a) })),
      "id",
      (r) => String(r.alias),
    );
    return rows.map((r) => ({
      name: String(r.name),
      version: String(r.version),
      creation_timestamp: num(r.creation_time),
      last_updated_timestamp: num(r.last_updated_time),
      ...(r.user_id ? { user_id: String(r.user_id) } : {}),
      current_stage: String(r.current_stage),
      description: String(r.description),
      source: String(r.source),
      run_id: String(r.run_id),
      status: String(r.status),
      run_link: String(r.run_link),
      tags: tagsBy.get(id(r)) ?? [],
      aliases: aliasesBy.get(id(r)) ?? [],
    }));
  }

  async function loadModels(db: SqlExecutor, rows: Row[]): Promise<RegisteredModel[]> {
    if (rows.length === 0) return [];
    const params = new SqlParams();
    const names = placeholders(
      params,
      rows.map((r) => r.name),
    );
    const tags = await db.query(
      `SELECT name, key, value FROM mlflow_registered_model_tags WHERE name IN (${names}) ORDER BY seq`,
      params.values,
    );
    const aliases = await db.query(
      `SELECT name, alias, version FROM mlflow_registered_model_aliases WHERE name IN (${names}) ORDER BY alias`,
      params.values,
    );
    const latest = await db.query(
      `SELECT DISTINCT ON (name, current_stage) * FROM mlflow_model_versions WHERE name IN (${names})
       ORDER BY name, current_stage, version DESC`,
      params.values,
    );
    const latestVersions = await loadVersions(db, latest);
    const tagsBy = groupBy(tags, "name", (r) => ({ key: String(r.key), value: String(r.value) }));
    const aliasesBy = groupBy(aliases, "name", (r) => ({ alias: String(r.alias), version: String(r.version) }));
    return rows.map((r) => ({
      name: String(r.name),
      creation_timestamp: num(r.creation_time),
      last_updated_timestamp: num(r.last_updated_time),
      description: String(r.description),
      latest_versions: latestVersions.filter((v) => v.name === r.name),
      tags: tagsBy.get(String(r.name)) ?? [],
      aliases: aliasesBy.get(String(r.name)) ?? [],
    }));
  }

  /** Runs a paged search: `moreIfFull` mimics MLflow's run search, which hands out a token whenever a page is full. */
  async function search<T>(args: {
    db: SqlExecutor;
    table: string;
    target: SearchTarget;
    options: SearchOptions;
    where: string[];
    params: SqlParams;
    defaultOrder: string[];
    defaultMax: number;
    max: number;
    moreIfFull?: boolean;
    load: (db: SqlExecutor, rows: Row[]) => Promise<T[]>;
  }): Promise<Page<T>> {
    const { params, target, options } = args;
    const maxResults = checkMaxResults(options.maxResults, args.defaultMax, args.max);
    const offset = decodePageToken(options.pageToken);
    const where = [...args.where, ...compileFilter(parseFilter(options.filter), target, params)];
    const order = [...compileOrder(parseOrderBy(options.orderBy), target, params), ...args.defaultOrder];
    const rows = await args.db.query(
      `SELECT e.* FROM ${args.table} e WHERE ${where.length ? where.join(" AND ") : "TRUE"}
       ORDER BY ${order.join(", ")} LIMIT ${params.add(maxResults + 1)} OFFSET ${params.add(offset)}`,
      params.values,
    );
    const more = args.moreIfFull ? rows.length >= maxResults : rows.length > maxResults;
    return {
      items: await args.load(args.db, rows.slice(0, maxResults)),
      nextPageToken: more ? encodePageToken(offset + maxResults) : undefined,
    };
  }

  const store: TrackingStore = {
    async createExperiment({ name, artifactLocation, tags = [] }) {
      await ensureDefaultExperiment();
      if (!name) throw invalidParameter("Invalid experiment name: ''. Experiment name cannot be empty.");
      try {
        return await sql.transaction(async (tx) => {
          const [existing] = await tx.query("SELECT 1 FROM mlflow_experiments WHERE name = $1", [name]);
          if (existing) throw alreadyExists(`Experiment(name=${name}) already exists.`);
          const t = now();
          const [row] = await tx.query<{ experiment_id: number }>(
            `INSERT INTO mlflow_experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
             VALUES ($1, $2, 'active', $3, $3) RETURNING experiment_id`,
            [name, artifactLocation ?? "", t],
          );
          const id = String(row?.experiment_id);
          if (!artifactLocation) {
            await tx.query("UPDATE mlflow_experiments SET artifact_location = $1 WHERE experiment_id = $2", [
              `${artifactRoot}/${id}`,
              Number(id),
            ]);
          }
          await upsertTags(tx, "mlflow_experiment_tags", ["experiment_id"], [Number(id)], tags);
          return id;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`Experiment(name=${name}) already exists.`);
        throw error;
      }
    },

    async getExperiment(experimentId) {
      await ensureDefaultExperiment();
      const [experiment] = await loadExperiments(sql, [await experimentRow(sql, experimentId)]);
      return experiment as Experiment;
    },

    async getExperimentByName(name) {
      await ensureDefaultExperiment();
      const rows = await sql.query("SELECT * FROM mlflow_experiments WHERE name = $1", [name]);
      if (rows.length === 0) throw notFound(`Could not find experiment with name '${name}'`);
      return (await loadExperiments(sql, rows))[0] as Experiment;
    },

    async searchExperiments(options) {
      await ensureDefaultExperiment();
      return search({
        db: sql,
        table: "mlflow_experiments",
        target: EXPERIMENT_SEARCH,
        options,
        where: [lifecycleCondition("e.lifecycle_stage", options.viewType)],
        params: new SqlParams(),
        defaultOrder: ["e.creation_time DESC", "e.experiment_id ASC"],
        defaultMax: 1000,
        max: 50000,
        load: loadExperiments,
      });
    },

    async setExperimentTag(experimentId, tag) {
      await ensureDefaultExperiment();
      const row = await activeExperimentRow(sql, experimentId);
      await upsertTags(sql, "mlflow_experiment_tags", ["experiment_id"], [row.experiment_id], [tag]);
    },

    async createRun({ experimentId, userId, runName, startTime, tags = [] }) {
      await ensureDefaultExperiment();
      return sql.transaction(async (tx) => {
        const experiment = await activeExperimentRow(tx, experimentId || DEFAULT_EXPERIMENT_ID);
        const tagged = tags.find((t) => t.key === RUN_NAME_TAG)?.value;
        if (runName && tagged && runName !== tagged) {
          throw invalidParameter(
            `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${tagged}').`,
          );
        }
        const name = runName || tagged || randomRunName();
        const runId = randomUUID().replaceAll("-", "");
        await tx.query(
          `INSERT INTO mlflow_runs (run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)
           VALUES ($1, $2, $3, $4, 'RUNNING', $5, 'active', $6)`,
          [
            runId,
            experiment.experiment_id,
            name,
            userId ?? "",
            startTime ?? now(),
            `${String(experiment.artifact_location)}/${runId}/artifacts`,
          ],
        );
        await setRunTags(tx, runId, [
          ...tags.filter((t) => t.key !== RUN_NAME_TAG),
          { key: RUN_NAME_TAG, value: name },
        ]);
        return (await loadRuns(tx, [await runRow(tx, runId)]))[0] as Run;
      });
    },

    async getRun(runId) {
      return (await loadRuns(sql, [await runRow(sql, runId)]))[0] as Run;
    },

    async updateRun({ runId, status, endTime, runName }) {
      return sql.transaction(async (tx) => {
        await activeRunRow(tx, runId);
        await tx.query(
          `UPDATE mlflow_runs SET status = COALESCE($2, status), end_time = COALESCE($3, end_time), name = COALESCE($4, name)
           WHERE run_uuid = $1`,
          [runId, status ?? null, endTime ?? null, runName || null],
        );
        if (runName) await setRunTags(tx, runId, [{ key: RUN_NAME_TAG, value: runName }]);
        return runInfo(await runRow(tx, runId));
      });
    },

    async deleteRun(runId) {
      await runRow(sql, runId);
      await sql.query("UPDATE mlflow_runs SET lifecycle_stage = 'deleted', deleted_time = $2 WHERE run_uuid = $1", [
        runId,
        now(),
      ]);
    },

    async restoreRun(runId) {
      await runRow(sql, runId);
      await sql.query("UPDATE mlflow_runs SET lifecycle_stage = 'active', deleted_time = NULL WHERE run_uuid = $1", [
        runId,
      ]);
    },

    async logBatch(runId, { metrics = [], params = [], tags = [] }) {
      const limit = (what: string, count: number, max: number) => {
        if (count > max) {
          throw invalidParameter(
            `A batch logging request can contain at most ${max} ${what}. Got ${count} ${what}. Please split up ${what} across multiple requests and try again.`,
          );
        }
      };
      limit("metrics", metrics.length, LOG_BATCH_LIMITS.metrics);
      limit("params", params.length, LOG_BATCH_LIMITS.params);
      limit("tags", tags.length, LOG_BATCH_LIMITS.tags);
      const total = metrics.length + params.length + tags.length;
      if (total > LOG_BATCH_LIMITS.total) {
        throw invalidParameter(
          `A batch logging request can contain at most ${LOG_BATCH_LIMITS.total} metrics, params, and tags in total. Got ${total} in total. Please split up metrics, params, and tags across multiple requests and try again.`,
        );
      }
      await sql.transaction(async (tx) => {
        await activeRunRow(tx, runId);
        await logParams(tx, runId, params);
        await logMetrics(tx, runId, metrics);
        await setRunTags(tx, runId, tags);
      });
    },

    async deleteTag(runId, key) {
      await sql.transaction(async (tx) => {
        await activeRunRow(tx, runId);
        const deleted = await tx.query("DELETE FROM mlflow_run_tags WHERE run_uuid = $1 AND key = $2 RETURNING key", [
          runId,
          key,
        ]);
        if (deleted.length === 0) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
      });
    },

    async logInputs(runId, datasets) {
      await sql.transaction(async (tx) => {
        const run = await activeRunRow(tx, runId);
        for (const { dataset, tags = [] } of datasets) {
          const [row] = await tx.query<{ dataset_uuid: string }>(
            `INSERT INTO mlflow_datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (experiment_id, name, digest) DO UPDATE SET source = mlflow_datasets.source
             RETURNING dataset_uuid`,
            [
              randomUUID().replaceAll("-", ""),
              run.experiment_id,
              dataset.name,
              dataset.digest,
              dataset.source_type,
              dataset.source,
              dataset.schema ?? null,
              dataset.profile ?? null,
            ],
          );
          await tx.query(
            `INSERT INTO mlflow_run_inputs (run_uuid, dataset_uuid, tags) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT DO NOTHING`,
            [runId, row?.dataset_uuid, JSON.stringify(tags)],
          );
        }
      });
    },

    async getMetricHistory(runId, key) {
      await runRow(sql, runId);
      const rows = await sql.query(
        "SELECT key, value, timestamp, step FROM mlflow_run_metrics WHERE run_uuid = $1 AND key = $2 ORDER BY step, timestamp, value",
        [runId, key],
      );
      return rows.map((r) => ({
        key: String(r.key),
        value: Number(r.value),
        timestamp: Number(r.timestamp),
        step: Number(r.step),
      }));
    },

    async searchRuns(options) {
      const ids = options.experimentIds.map(parseExperimentId).filter((id) => id !== undefined);
      if (ids.length === 0) return { items: [], nextPageToken: undefined };
      const params = new SqlParams();
      return search({
        db: sql,
        table: "mlflow_runs",
        target: RUN_SEARCH,
        options,
        where: [
          `e.experiment_id IN (${placeholders(params, ids)})`,
          lifecycleCondition("e.lifecycle_stage", options.runViewType),
        ],
        params,
        defaultOrder: ["e.start_time DESC", "e.run_uuid ASC"],
        defaultMax: 1000,
        max: 50000,
        moreIfFull: true,
        load: loadRuns,
      });
    },

    async createRegisteredModel({ name, description, tags = [] }) {
      if (!name) throw invalidParameter("Registered model name cannot be empty.");
      try {
        return await sql.transaction(async (tx) => {
          const [existing] = await tx.query("SELECT 1 FROM mlflow_registered_models WHERE name = $1", [name]);
          if (existing) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
          const t = now();
          await tx.query(
            "INSERT INTO mlflow_registered_models (name, creation_time, last_updated_time, description) VALUES ($1, $2, $2, $3)",
            [name, t, description ?? ""],
          );
          await upsertTags(tx, "mlflow_registered_model_tags", ["name"], [name], tags);
          return (await loadModels(tx, [await modelRow(tx, name)]))[0] as RegisteredModel;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
        throw error;
      }
    },

    async getRegisteredModel(name) {
      return (await loadModels(sql, [await modelRow(sql, name)]))[0] as RegisteredModel;
    },

    async searchRegisteredModels(options) {
      return search({
        db: sql,
        table: "mlflow_registered_models",
        target: REGISTERED_MODEL_SEARCH,
        options,
        where: [],
        params: new SqlParams(),
        defaultOrder: ["e.name ASC"],
        defaultMax: 100,
        max: 1000,
        load: loadModels,
      });
    },

    async updateRegisteredModel({ name, description }) {
      await modelRow(sql, name);
      await sql.query(
        "UPDATE mlflow_registered_models SET description = COALESCE($2, description), last_updated_time = $3 WHERE name = $1",
        [name, description ?? null, now()],
      );
      return store.getRegisteredModel(name);
    },

    async deleteRegisteredModel(name) {
      await modelRow(sql, name);
      await sql.transaction(async (tx) => {
        // Tags and aliases of versions cascade from the versions; versions and model tags from the model.
        await tx.query("DELETE FROM mlflow_model_versions WHERE name = $1", [name]);
        await tx.query("DELETE FROM mlflow_registered_models WHERE name = $1", [name]);
      });
    },

    async setRegisteredModelTag(name, tag) {
      await modelRow(sql, name);
      await upsertTags(sql, "mlflow_registered_model_tags", ["name"], [name], [tag]);
    },

    async deleteRegisteredModelTag(name, key) {
      await modelRow(sql, name);
      await sql.query("DELETE FROM mlflow_registered_model_tags WHERE name = $1 AND key = $2", [name, key]);
    },

    async createModelVersion({ name, source, runId, runLink, description, tags = [] }) {
      if (!source) throw invalidParameter("Missing value for required parameter 'source'.");
      return sql.transaction(async (tx) => {
        await modelRow(tx, name, true);
        const [max] = await tx.query<{ v: unknown }>(
          "SELECT COALESCE(MAX(version), 0) AS v FROM mlflow_model_versions WHERE name = $1",
          [name],
        );
        const version = Number(max?.v ?? 0) + 1;
        const t = now();
        await tx.query(
          `INSERT INTO mlflow_model_versions (name, version, creation_time, last_updated_time, description, source, run_id, run_link)
           VALUES ($1, $2, $3, $3, $4, $5, $6, $7)`,
          [name, version, t, description ?? "", source, runId ?? "", runLink ?? ""],
        );
        await tx.query("UPDATE mlflow_registered_models SET last_updated_time = $2 WHERE name = $1", [name, t]);
        await upsertTags(tx, "mlflow_model_version_tags", ["name", "version"], [name, version], tags);
        return (await loadVersions(tx, [await versionRow(tx, name, String(version))]))[0] as ModelVersion;
      });
    },

    async getModelVersion(name, version) {
      return (await loadVersions(sql, [await versionRow(sql, name, version)]))[0] as ModelVersion;
    },

    async searchModelVersions(options) {
      return search({
        db: sql,
        table: "mlflow_model_versions",
        target: MODEL_VERSION_SEARCH,
        options,
        where: [],
        params: new SqlParams(),
        defaultOrder: ["e.last_updated_time DESC", "e.name ASC", "e.version DESC"],
        defaultMax: 10000,
        max: 200000,
        load: loadVersions,
      });
    },

    async updateModelVersion({ name, version, description }) {
      await versionRow(sql, name, version);
      await sql.query(
        `UPDATE mlflow_model_versions SET description = COALESCE($3, description), last_updated_time = $4
         WHERE name = $1 AND version = $2`,
        [name, parseVersion(version), description ?? null, now()],
      );
      return store.getModelVersion(name, version);
    },

    async deleteModelVersion(name, version) {
      await versionRow(sql, name, version);
      await sql.query("DELETE FROM mlflow_model_versions WHERE name = $1 AND version = $2", [
        name,
        parseVersion(version),
      ]);
    },

    async setModelVersionTag(name, version, tag) {
      await versionRow(sql, name, version);
      await upsertTags(sql, "mlflow_model_version_tags", ["name", "version"], [name, parseVersion(version)], [tag]);
    },

    async deleteModelVersionTag(name, version, key) {
      await versionRow(sql, name, version);
      await sql.query("DELETE FROM mlflow_model_version_tags WHERE name = $1 AND version = $2 AND key = $3", [
        name,
        parseVersion(version),
        key,
      ]);
    },

    async getModelVersionDownloadUri(name, version) {
      return String((await versionRow(sql, name, version)).source);
    },

    async setRegisteredModelAlias(name, alias, version) {
      if (!alias || /^(latest|v\d+)$/i.test(alias)) {
        throw invalidParameter(`'${alias}' alias name (case insensitive) is reserved.`);
      }
      await modelRow(sql, name);
      await versionRow(sql, name, version);
      await sql.query(
        `INSERT INTO mlflow_registered_model_aliases (name, alias, version) VALUES ($1, $2, $3)
         ON CONFLICT (name, alias) DO UPDATE SET version = EXCLUDED.version`,
        [name, alias, parseVersion(version)],
      );
    },

    async deleteRegisteredModelAlias(name, alias) {
      await modelRow(sql, name);
      await sql.query("DELETE FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2", [name, alias]);
    },

    async getModelVersionByAlias(name, alias) {
      await modelRow(sql, name);
      const [row] = await sql.query(
        "SELECT version FROM mlflow_registered_model_aliases WHERE name = $1 AND alias = $2",
        [name, alias],
      );
      if (!row) throw invalidParameter(`Registered model alias ${alias} not found.`);
      return store.getModelVersion(name, String(row.version));
    },
  };
  return store;
}
