import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createModelRegistry } from "./create-model-registry";
import type { RunResult } from "./record-run";
import { isRegistryError } from "./registry-error";
import { startTrackingServer, type TestTrackingServer, unreachableClient } from "./test-support/tracking-server";

const result = (runName: string, accuracy: number): RunResult => ({
  experiment: "news-classifier-track-b",
  runName,
  params: { endpoint: runName, prompt_template_version: "v1" },
  metrics: { accuracy, f1: accuracy - 0.02, precision: accuracy - 0.01, recall: accuracy - 0.03, latency_p95_ms: 900 },
  tags: { track: "B" },
  spec: { kind: "endpoint", endpoint: runName, model: runName, promptTemplateVersion: "v1", labels: ["A", "B"] },
  artifacts: [{ path: "confusion_matrix.json", content: '{"A":{"A":9,"B":1}}' }],
  registration: { model: "outbox-model", actor: "worker:test" },
});

describe("tracking outbox and runs", () => {
  let server: TestTrackingServer;

  beforeAll(async () => {
    server = await startTrackingServer("regoutbox");
  }, 60_000);
  afterAll(async () => server?.cleanup());

  it("keeps results locally when MLflow is unreachable and `runs sync` logs and registers them later", async () => {
    const offline = createModelRegistry({ mlflow: unreachableClient(), db: server.db });
    const error = await offline.recordRun(result("gpt-oss-20b", 0.93)).catch((e: unknown) => e);
    expect(isRegistryError(error, "REGISTRY_TRACKING_UNREACHABLE")).toBe(true);
    expect((error as Error).message).toMatch(/Cannot reach the MLflow tracking server at http:\/\/127\.0\.0\.1:9/);
    expect((error as Error).message).toMatch(/kept locally/);
    const outboxId = (error as { context: { outboxId: string } }).context.outboxId;
    await offline.recordRun(result("llama", 0.95)).catch(() => undefined);

    expect((await offline.outbox()).map((e) => [e.id === outboxId, e.runName])).toEqual([
      [true, "gpt-oss-20b"],
      [false, "llama"],
    ]);
    const stillDown = await offline.syncOutbox().catch((e: unknown) => e);
    expect(isRegistryError(stillDown, "REGISTRY_TRACKING_UNREACHABLE")).toBe(true);
    expect(await offline.outbox()).toHaveLength(2);

    const online = createModelRegistry({ mlflow: server.mlflow, db: server.db });
    const report = await online.syncOutbox();
    expect(report.failed).toEqual([]);
    expect(report.pending).toBe(0);
    expect(
      report.synced.map((s) => [s.id === outboxId, s.registration?.status, s.registration?.evaluation.role]),
    ).toEqual([
      [true, "registered", "champion"],
      [false, "registered", "challenger"],
    ]);
    expect(await online.outbox()).toEqual([]);
    expect((await online.syncOutbox()).synced).toEqual([]);

    const runs = await online.listRuns({ experiment: "news-classifier-track-b" });
    expect(runs.map((r) => r.runName).sort()).toEqual(["gpt-oss-20b", "llama"]);
    const shown = await online.showRun(report.synced[0]!.runId);
    expect(shown).toMatchObject({
      status: "FINISHED",
      params: { endpoint: "gpt-oss-20b" },
      metrics: { accuracy: 0.93 },
    });
    expect(shown.tags).toMatchObject({ track: "B", production_ready: "true" });
    expect(shown.artifacts.map((a) => a.path).sort()).toEqual(["confusion_matrix.json", "model"]);
    const { spec } = await online.loadModelSpec("models:/outbox-model@champion");
    expect(spec).toMatchObject({ endpoint: "gpt-oss-20b" });
  });

  it("replays an interrupted result into the run it already created", async () => {
    const registry = createModelRegistry({ mlflow: server.mlflow, db: server.db });
    const first = await registry.recordRun(
      { ...result("replayed", 0.5), registration: undefined },
      { resultId: "result_fixed" },
    );
    const again = await registry.recordRun(
      { ...result("replayed", 0.5), registration: undefined },
      { resultId: "result_fixed" },
    );
    expect(again.runId).toBe(first.runId);
  });

  it("lists, shows and compares runs, and names unknown ones", async () => {
    const registry = createModelRegistry({ mlflow: server.mlflow, db: server.db });
    const comparison = await registry.compareRuns({ experiment: "news-classifier-track-b" });
    const accuracy = comparison.metrics.find((m) => m.key === "accuracy");
    const llama = comparison.runs.find((r) => r.runName === "llama")!;
    expect(accuracy?.best).toBe(llama.runId);
    expect(comparison.params.map((p) => p.key)).toContain("endpoint");
    expect((await registry.listRuns()).length).toBeGreaterThanOrEqual(3);
    const missing = await registry.showRun("0123456789abcdef0123456789abcdef").catch((e: unknown) => e);
    expect(isRegistryError(missing, "REGISTRY_RUN_NOT_FOUND")).toBe(true);
    const noExperiment = await registry.listRuns({ experiment: "nope" }).catch((e: unknown) => e);
    expect(isRegistryError(noExperiment, "REGISTRY_EXPERIMENT_NOT_FOUND")).toBe(true);
  });
});
