import { type ArtifactFile, isMlflowError, type Run } from "@mlops/mlflow";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";
import { tagMap, tracked } from "./tracking-calls";

export interface RunSummary {
  runId: string;
  runName: string;
  experimentId: string;
  status: string;
  startTime: string | undefined;
  endTime: string | undefined;
  metrics: Record<string, number>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface RunQuery {
  /** Experiment name; all active experiments when omitted. */
  experiment?: string | undefined;
  /** @defaultValue 50 */
  limit?: number | undefined;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

export function summariseRun(run: Run): RunSummary {
  return {
    runId: run.info.run_id,
    runName: run.info.run_name,
    experimentId: run.info.experiment_id,
    status: run.info.status,
    startTime: iso(run.info.start_time),
    endTime: iso(run.info.end_time),
    metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
    params: Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
    tags: tagMap(run.data.tags.filter((t) => !t.key.startsWith("mlflow.") || t.key === "mlflow.note.content")),
  };
}

async function experimentIds(deps: Pick<RegistryDeps, "mlflow">, experiment: string | undefined): Promise<string[]> {
  return tracked(deps, async () => {
    if (experiment) {
      const found = await deps.mlflow.experiments.getByName(experiment);
      if (!found) {
        throw new RegistryError("REGISTRY_EXPERIMENT_NOT_FOUND", `No experiment named '${experiment}'.`, {
          hint: "`mlops runs list` without --experiment lists runs of every experiment.",
        });
      }
      return [found.experiment_id];
    }
    return (await deps.mlflow.experiments.search({ maxResults: 1000 })).items.map((e) => e.experiment_id);
  });
}

/** The latest runs, newest first: `mlops runs list [--experiment X]`. */
export async function listRuns(deps: Pick<RegistryDeps, "mlflow">, query: RunQuery = {}): Promise<RunSummary[]> {
  const ids = await experimentIds(deps, query.experiment);
  if (ids.length === 0) return [];
  const page = await tracked(deps, () =>
    deps.mlflow.runs.search({
      experimentIds: ids,
      maxResults: query.limit ?? 50,
      orderBy: ["attributes.start_time DESC"],
    }),
  );
  return page.items.map(summariseRun);
}

/** One run with its artifacts: `mlops runs show <id>`. */
export async function showRun(
  deps: Pick<RegistryDeps, "mlflow">,
  runId: string,
): Promise<RunSummary & { artifacts: ArtifactFile[] }> {
  return tracked(deps, async () => {
    let run: Run;
    try {
      run = await deps.mlflow.runs.get(runId);
    } catch (error) {
      if (isMlflowError(error, "RESOURCE_DOES_NOT_EXIST")) {
        throw new RegistryError("REGISTRY_RUN_NOT_FOUND", `No run ${runId}.`, {
          hint: "`mlops runs list` shows run ids.",
        });
      }
      throw error;
    }
    const artifacts = await deps.mlflow.artifacts.list(runId).catch(() => []);
    return { ...summariseRun(run), artifacts };
  });
}

export interface RunComparison {
  runs: RunSummary[];
  /** Every metric any run has, with each run's value and the best run (highest; lowest for latency/cost/loss). */
  metrics: { key: string; values: Record<string, number | undefined>; best: string | undefined }[];
  /** Params whose value differs between runs. */
  params: { key: string; values: Record<string, string | undefined> }[];
}

const LOWER_IS_BETTER = /latency|cost|loss|error|_ms$|seconds|tokens/i;

/** Runs side by side: the given ids, or the latest runs of an experiment (`mlops runs compare`). */
export async function compareRuns(
  deps: Pick<RegistryDeps, "mlflow">,
  query: RunQuery & { runIds?: string[] | undefined },
): Promise<RunComparison> {
  const runs = query.runIds?.length
    ? await Promise.all(query.runIds.map(async (id) => showRun(deps, id)))
    : await listRuns(deps, { ...query, limit: query.limit ?? 10 });
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const metrics = metricKeys.map((key) => {
    const values = Object.fromEntries(runs.map((r) => [r.runId, r.metrics[key]]));
    const present = runs.filter((r) => r.metrics[key] !== undefined);
    const lower = LOWER_IS_BETTER.test(key);
    const best = present.sort(
      (a, b) => ((a.metrics[key] as number) - (b.metrics[key] as number)) * (lower ? 1 : -1),
    )[0];
    return { key, values, best: best?.runId };
  });
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const params = paramKeys
    .map((key) => ({ key, values: Object.fromEntries(runs.map((r) => [r.runId, r.params[key]])) }))
    .filter((p) => new Set(Object.values(p.values)).size > 1);
  return { runs: runs.map(({ artifacts: _a, ...r }: RunSummary & { artifacts?: unknown }) => r), metrics, params };
}
