import { trainNaiveBayes } from "@mlops/llm";
import type { MlflowClient } from "@mlops/mlflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBatchScorer } from "./batch-scorer";
import { createModelRegistry, type ModelRegistry } from "./create-model-registry";
import type { ModelSpecInput } from "./model-spec";
import { parseCriteria } from "./production-criteria";
import { isRegistryError } from "./registry-error";
import { startTrackingServer, type TestTrackingServer } from "./test-support/tracking-server";

const MODEL = "news-classifier";
const endpointSpec = (model: string): ModelSpecInput => ({
  kind: "endpoint",
  endpoint: model,
  model,
  promptTemplateVersion: "zero-shot-v1",
  labels: ["Business", "Sports", "Technology", "Politics"],
  parameters: { temperature: 0 },
});

async function newRun(mlflow: MlflowClient, name: string): Promise<string> {
  const experimentId =
    (await mlflow.experiments.getByName("news"))?.experiment_id ?? (await mlflow.experiments.create({ name: "news" }));
  return (await mlflow.runs.create({ experimentId, runName: name })).info.run_id;
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isRegistryError(error), `expected ${code}, got ${String(error)}`).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

describe("registration lifecycle (built-in MLflow server over HTTP)", () => {
  let server: TestTrackingServer;
  let registry: ModelRegistry;
  const register = async (name: string, metrics: Record<string, number>, extra: object = {}) =>
    registry.register({
      model: MODEL,
      runId: await newRun(server.mlflow, name),
      metrics,
      spec: endpointSpec(name),
      actor: "test",
      ...extra,
    });

  beforeAll(async () => {
    server = await startTrackingServer("reglifecycle");
    registry = createModelRegistry({ mlflow: server.mlflow, db: server.db });
  }, 60_000);
  afterAll(async () => server?.cleanup());

  it("tags a failing version production_ready=false with the failed gates and numbers, and gives it no alias", async () => {
    const outcome = await register("gpt-oss-20b", { accuracy: 0.88, f1: 0.852, precision: 0.9, recall: 0.79 });
    expect(outcome.status).toBe("registered");
    if (outcome.status !== "registered") return;
    expect(outcome.role).toBe("rejected");
    expect(outcome.alias).toBeUndefined();
    const version = await server.mlflow.modelVersions.get(MODEL, outcome.version);
    const tags = Object.fromEntries(version.tags.map((t) => [t.key, t.value]));
    expect(tags.production_ready).toBe("false");
    expect(tags.validation_reason).toBe("Accuracy 88.00% below 90.00% threshold; Recall 0.790 below 0.800 threshold");
    expect(version.aliases).toEqual([]);
    const run = await server.mlflow.runs.get(version.run_id);
    expect(run.data.tags).toContainEqual({ key: "production_ready", value: "false" });
  });

  it("makes the first passing version champion", async () => {
    const outcome = await register("gpt-4o-mini", { accuracy: 0.9, f1: 0.86, precision: 0.85, recall: 0.84 });
    expect(outcome).toMatchObject({ status: "registered", role: "champion", alias: "champion", version: "2" });
    const status = await registry.status(MODEL);
    expect(status.aliases).toEqual({ champion: "2" });
    expect(status.versions.find((v) => v.version === "2")).toMatchObject({
      productionReady: true,
      validationReason: "All performance criteria met",
      aliases: ["champion"],
      metrics: { accuracy: 0.9, f1: 0.86, precision: 0.85, recall: 0.84 },
    });
  });

  it("makes a passing version that does not beat the champion by 2 points candidate", async () => {
    const outcome = await register("llama-3.3-70b", { accuracy: 0.915, f1: 0.87, precision: 0.86, recall: 0.85 });
    expect(outcome).toMatchObject({ status: "registered", role: "candidate", alias: "candidate" });
    expect(outcome.evaluation.validationReason).toContain("+1.50 points over champion v2");
  });

  it("makes a version beating the champion by the margin challenger, waiting for review", async () => {
    const outcome = await register("claude-haiku", { accuracy: 0.93, f1: 0.9, precision: 0.91, recall: 0.9 });
    expect(outcome).toMatchObject({ status: "registered", role: "challenger", alias: "challenger", version: "4" });
    const status = await registry.status(MODEL);
    expect(status.aliases).toEqual({ champion: "2", candidate: "3", challenger: "4" });
    expect(status.awaitingReview).toBe(true);
  });

  it("does not register a version with the same accuracy and F1 (±0.001), naming the existing one", async () => {
    const outcome = await register("claude-haiku-again", { accuracy: 0.9305, f1: 0.8995, precision: 0.9, recall: 0.9 });
    expect(outcome).toMatchObject({ status: "duplicate", existingVersion: "4" });
    expect(outcome.message).toContain("version 4");
    expect((await registry.status(MODEL)).versions).toHaveLength(4);
  });

  it("skips registration with register: false and asks first with requireApproval", async () => {
    const skipped = await register(
      "dry-run",
      { accuracy: 0.97, f1: 0.95, precision: 0.95, recall: 0.95 },
      { register: false },
    );
    expect(skipped).toMatchObject({ status: "skipped", evaluation: { role: "challenger" } });
    const pending = await register(
      "ask-first",
      { accuracy: 0.96, f1: 0.95, precision: 0.95, recall: 0.95 },
      { requireApproval: true },
    );
    expect(pending.status).toBe("pending_approval");
    if (pending.status === "pending_approval") {
      expect(pending.pending).toMatchObject({ kind: "registry.register", target: MODEL, alias: "challenger" });
    }
    expect((await registry.status(MODEL)).versions).toHaveLength(4);
  });

  it("reads criteria from the criteria: section", async () => {
    const strict = createModelRegistry({
      mlflow: server.mlflow,
      db: server.db,
      criteria: parseCriteria({ accuracy: 0.95, beatChampionBy: 0.05 }),
    });
    const outcome = await strict.register({
      model: "strict-model",
      runId: await newRun(server.mlflow, "strict"),
      metrics: { accuracy: 0.94, f1: 0.9, precision: 0.9, recall: 0.9 },
    });
    expect(outcome).toMatchObject({ status: "registered", role: "rejected" });
    expect(outcome.evaluation.validationReason).toBe("Accuracy 94.00% below 95.00% threshold");
    expect(() => parseCriteria({ accuracy: 1.5 })).toThrow(/criteria.accuracy/);
  });

  it("loads models:/name@champion and models:/name/<version> specs", async () => {
    const champion = await registry.loadModelSpec(`models:/${MODEL}@champion`);
    expect(champion).toMatchObject({ model: MODEL, version: "2", spec: { kind: "endpoint", endpoint: "gpt-4o-mini" } });
    const v4 = await registry.loadModelSpec(`models:/${MODEL}/4`);
    expect(v4.spec).toMatchObject({ model: "claude-haiku", promptTemplateVersion: "zero-shot-v1", task: "category" });
  });

  it("loads a local model's trained JSON and scores a batch with it", async () => {
    const examples = [
      ["stocks rallied as the market rose", "Business"],
      ["shares fell on weak earnings", "Business"],
      ["the team won the final match", "Sports"],
      ["the striker scored twice in the game", "Sports"],
    ].map(([text, label]) => ({ text: text as string, label: label as string }));
    const trained = trainNaiveBayes(examples);
    const outcome = await registry.register({
      model: "local-classifier",
      runId: await newRun(server.mlflow, "naive-bayes"),
      metrics: { accuracy: 0.95, f1: 0.94, precision: 0.94, recall: 0.94 },
      spec: {
        kind: "local",
        model: "local/naive-bayes",
        labels: ["Business", "Sports"],
        trained: trained.toJSON() as never,
      },
    });
    expect(outcome).toMatchObject({ status: "registered", alias: "champion" });
    const { spec } = await registry.loadModelSpec("models:/local-classifier@champion");
    const score = createBatchScorer(spec);
    const predictions = await score(["the market rose and stocks rallied", "a great match for the team"]);
    expect(predictions.map((p) => p.label)).toEqual(["Business", "Sports"]);
  });

  it("fails clearly on an unknown model, version or alias, and a bad URI", async () => {
    await expectCode(registry.status("no-such-model"), "REGISTRY_MODEL_NOT_FOUND");
    await expectCode(registry.loadModelSpec("models:/no-such-model@champion"), "REGISTRY_MODEL_NOT_FOUND");
    await expectCode(registry.loadModelSpec(`models:/${MODEL}/99`), "REGISTRY_VERSION_NOT_FOUND");
    const alias = await expectCode(registry.loadModelSpec(`models:/${MODEL}@production`), "REGISTRY_ALIAS_NOT_FOUND");
    expect((alias as { hint?: string }).hint).toContain("champion");
    await expectCode(registry.loadModelSpec("runs:/abc/model"), "REGISTRY_INVALID_URI");
    await expectCode(
      registry.register({ model: MODEL, runId: "x", metrics: { accuracy: 0.9 } }),
      "REGISTRY_INVALID_INPUT",
    );
  });
});
