import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { silentLogger } from "@mlops/core";
import {
  ARTIFACTS,
  createExperimentRuntime,
  type ExperimentReport,
  ExperimentStore,
  planExperimentTracking,
  resolveDatasetSource,
  runExperimentInProcess,
} from "@mlops/experiments";
import { createEndpointRegistry } from "@mlops/llm";
import { createMlflowClient, createMlflowServer, createSqlTrackingStore, type MlflowClient } from "@mlops/mlflow";
import { createModelRegistry } from "@mlops/registry";
import { createTestDatabase, type TestDatabase } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordExperimentOutcome } from "./experiment-outcome";

let t: TestDatabase;
let store: ExperimentStore;
let mlflow: MlflowClient;
let artifactRoot: string;
let report: ExperimentReport;

beforeAll(async () => {
  t = await createTestDatabase("postgres", "exptracking");
  store = new ExperimentStore(t.database.db);
  artifactRoot = mkdtempSync(join(tmpdir(), "mlops-exp-tracking-"));
  const server = createMlflowServer({ store: createSqlTrackingStore(t.database.sql), artifactRoot });
  mlflow = createMlflowClient({
    trackingUri: "http://mlflow.test",
    fetch: async (input, init) => server.fetch(new Request(input, init)),
  });
  const runtime = createExperimentRuntime({
    store,
    registry: createEndpointRegistry({ endpoints: [], credentials: {} }),
    logger: silentLogger(),
    cache: false,
    workerId: "test",
  });
  report = await runExperimentInProcess(runtime, {
    dataset: "sample",
    models: ["local/tfidf-logreg", "local/naive-bayes", "local/lexicon-sentiment"],
    sentimentCol: "sentiment",
    seed: 7,
  });
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
  if (artifactRoot) rmSync(artifactRoot, { recursive: true, force: true });
});

describe("logging an experiment to MLflow", () => {
  it("logs a parent run and a child run per model with params, metrics, tags, lineage and artifacts", async () => {
    const registry = createModelRegistry({ mlflow, db: t.database.db });
    const approvals = createApprovalService({ db: t.database.db, config: parseApprovalConfig({}) });
    const stored = await recordExperimentOutcome(
      { store, logger: silentLogger(), mlflow, registry, approvals },
      report,
      { model: "news-classifier", register: true, requireApproval: false },
    );
    expect(stored.tracking.status).toBe("logged");
    if (stored.tracking.status !== "logged") return;
    const { parentRunId, runs, mlflowExperimentId } = stored.tracking;
    expect(runs.map((r) => r.model)).toEqual(report.models.map((m) => m.model));

    const parent = await mlflow.runs.get(parentRunId);
    expect(parent.info.status).toBe("FINISHED");
    expect(parent.info.experiment_id).toBe(mlflowExperimentId);
    const parentTags = Object.fromEntries(parent.data.tags.map((x) => [x.key, x.value]));
    expect(parentTags["mlops.run_role"]).toBe("parent");
    expect(parentTags["mlops.experiment_id"]).toBe(report.experimentId);

    const digest = createHash("sha256")
      .update(readFileSync(resolveDatasetSource("sample").path))
      .digest("hex")
      .slice(0, 16);
    const plan = await planExperimentTracking(store, report);
    for (const { model, runId } of runs) {
      const run = await mlflow.runs.get(runId);
      const tags = Object.fromEntries(run.data.tags.map((x) => [x.key, x.value]));
      const params = Object.fromEntries(run.data.params.map((x) => [x.key, x.value]));
      const metrics = Object.fromEntries(run.data.metrics.map((x) => [x.key, x.value]));
      expect(tags["mlflow.parentRunId"]).toBe(parentRunId);
      expect(tags).toMatchObject({ track: "internal", provider: "local", model });
      expect(params).toMatchObject({
        provider: "local",
        model,
        track: "internal",
        dataset_name: "sample",
        dataset_digest: digest,
        dataset_rows: "104",
        seed: "7",
      });
      expect(params.prompt_template_version).toBe(report.promptVersion);
      const m = report.models.find((x) => x.model === model)!;
      expect(metrics.latency_p95_ms).toBeCloseTo(m.latencyMs.p95, 6);
      expect(metrics.cost_per_1k_usd).toBe(0);
      expect(metrics.tokens_total).toBe(0);
      expect(metrics.invalid_rate).toBeDefined();
      if (m.category) {
        expect(metrics.accuracy).toBeCloseTo(m.category.accuracy, 9);
        expect(metrics.f1_macro).toBeCloseTo(m.category.macro.f1, 9);
        expect(metrics.f1_weighted).toBeCloseTo(m.category.weighted.f1, 9);
        expect(metrics["f1_Sci/Tech"] ?? metrics.f1_Business).toBeDefined();
        expect(metrics.category_precision_macro).toBeCloseTo(m.category.macro.precision, 9);
      }
      if (m.sentiment) expect(metrics.sentiment_f1_Positive).toBeCloseTo(m.sentiment.perClass.Positive!.f1, 9);
      expect(run.inputs.dataset_inputs[0]?.dataset).toMatchObject({ name: "sample", digest });

      const child = plan.children.find((c) => c.model === model)!;
      const paths = child.artifacts.map((a) => a.path);
      expect(paths).toContain(ARTIFACTS.predictionsCsv);
      expect(paths).toContain(ARTIFACTS.predictionsJson);
      expect(paths).toContain(ARTIFACTS.confusionPng(m.category ? "category" : "sentiment"));
      for (const artifact of child.artifacts) {
        const bytes = await mlflow.artifacts.download(runId, artifact.path);
        const expected =
          typeof artifact.content === "string" ? new TextEncoder().encode(artifact.content) : artifact.content;
        expect(Buffer.from(bytes).equals(Buffer.from(expected)), artifact.path).toBe(true);
      }
      const png = await mlflow.artifacts.download(runId, ARTIFACTS.confusionPng(m.category ? "category" : "sentiment"));
      expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      const csv = new TextDecoder().decode(await mlflow.artifacts.download(runId, ARTIFACTS.predictionsCsv));
      expect(csv.split("\r\n")[0]).toBe(
        "item,text,gold_category,predicted_category,gold_sentiment,predicted_sentiment,correct,latency_ms,prompt_tokens,completion_tokens,cost_usd,cached",
      );
      expect(csv.trim().split("\r\n")).toHaveLength(report.itemCount + 1);
    }
    const markdown = new TextDecoder().decode(await mlflow.artifacts.download(parentRunId, ARTIFACTS.comparison));
    expect(markdown).toBe(plan.parent.artifacts.find((a) => a.path === ARTIFACTS.comparison)!.content);
    expect(markdown).toContain("| local/tfidf-logreg |");
    expect(markdown).toContain("## Recommendation");

    // the models went through the registry lifecycle, best first; the stored report says so
    expect(stored.registrations.map((r) => r.status)).toEqual(expect.arrayContaining(["registered"]));
    const first = stored.registrations.find((r) => r.status === "registered")!;
    expect(first.version).toBe("1");
    expect(first.alias === "champion" || first.productionReady === false).toBe(true);
    const view = (await store.get(report.experimentId)).report as { registrations: unknown[]; tracking: unknown };
    expect(view.registrations).toHaveLength(stored.registrations.length);

    // a retry finds the same runs and names the versions it already registered
    const again = await recordExperimentOutcome(
      { store, logger: silentLogger(), mlflow, registry, approvals },
      report,
      { model: "news-classifier", register: true, requireApproval: false },
    );
    expect(again.tracking.status === "logged" && again.tracking.parentRunId).toBe(parentRunId);
    const duplicate = again.registrations.find((r) => r.model === first.model)!;
    expect(duplicate).toMatchObject({ status: "duplicate", existingVersion: "1" });
  }, 60_000);

  it("keeps the results in the outbox when MLflow is unreachable; a sync logs and registers them", async () => {
    const down = createMlflowClient({
      trackingUri: "http://127.0.0.1:9",
      retry: { attempts: 1, baseDelayMs: 1 },
      timeoutMs: 2_000,
    });
    const offline = createModelRegistry({ mlflow: down, db: t.database.db });
    const stored = await recordExperimentOutcome(
      { store, logger: silentLogger(), mlflow: down, registry: offline },
      report,
      { model: "news-classifier-offline", register: true, requireApproval: false },
    );
    expect(stored.tracking.status).toBe("kept_locally");
    if (stored.tracking.status !== "kept_locally") return;
    expect(stored.tracking.outboxIds).toHaveLength(report.models.length + 1);
    expect(stored.registrations.every((r) => r.status === "queued")).toBe(true);
    const online = createModelRegistry({ mlflow, db: t.database.db });
    const pending = await online.outbox();
    expect(pending.map((e) => e.id)).toEqual(expect.arrayContaining(stored.tracking.outboxIds));
    const sync = await online.syncOutbox();
    expect(sync.failed).toEqual([]);
    expect(sync.pending).toBe(0);
    const registered = sync.synced.filter((s) => s.registration?.status === "registered");
    expect(registered.length).toBeGreaterThan(0);
    expect((await online.status("news-classifier-offline")).versions.length).toBe(registered.length);
  }, 60_000);
});
