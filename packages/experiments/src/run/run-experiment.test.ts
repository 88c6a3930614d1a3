import { silentLogger } from "@mlops/core";
import { createEndpointRegistry } from "@mlops/llm";
import { createTestDatabase, type EndpointSimulator, startEndpointSimulator, type TestDatabase } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveDatasetSource } from "../dataset/dataset-source";
import { readDatasetRows } from "../dataset/read-dataset-rows";
import { experimentSpecSchema } from "../experiment-spec";
import { ExperimentStore } from "../store/experiment-store";
import { createExperimentRuntime } from "./experiment-runtime";
import { cancelExperiment, describeExperiment } from "./experiment-views";
import { finishExperiment } from "./finish-experiment";
import { prepareExperiment } from "./prepare-experiment";
import { runExperimentInProcess } from "./run-experiment";
import { runShard } from "./run-shard";

let t: TestDatabase;
let store: ExperimentStore;
let sim: EndpointSimulator;

beforeAll(async () => {
  t = await createTestDatabase("postgres", "experiments");
  store = new ExperimentStore(t.database.db);
  const truth = [];
  for await (const r of readDatasetRows(resolveDatasetSource("sample"), {
    labelCol: "category",
    textCols: ["title", "content"],
    sentimentCol: "sentiment",
  })) {
    if (r.kind === "row")
      truth.push({ text: r.value.text, label: { category: r.value.category, sentiment: r.value.sentiment! } });
  }
  sim = await startEndpointSimulator({ accuracy: 0.85, seed: 3, truth });
}, 60_000);
afterAll(async () => {
  await sim?.close();
  await t?.cleanup();
});

function runtimeWith(endpoints: Array<Record<string, unknown>>) {
  const registry = createEndpointRegistry({ endpoints: endpoints as never, credentials: {} });
  return createExperimentRuntime({ store, registry, logger: silentLogger(), cache: false, workerId: "test" });
}

const simEndpoint = (name: string, price = { input: 1, output: 2 }) => ({
  name,
  baseUrl: sim.baseUrl,
  model: "simulated-classifier",
  track: "external",
  apiKey: "none",
  pricePerMillion: price,
  maxConcurrency: 4,
});

describe("running an experiment in process", () => {
  it("compares local models and simulated endpoints on the sample, failing only the broken ones", async () => {
    const runtime = runtimeWith([
      simEndpoint("sim-a"),
      { ...simEndpoint("sim-down"), baseUrl: "http://127.0.0.1:9/v1", timeoutMs: 500 },
    ]);
    const report = await runExperimentInProcess(runtime, {
      dataset: "sample",
      sentimentCol: "sentiment",
      models: [
        "local/tfidf-logreg",
        "local/naive-bayes",
        "local/lexicon-sentiment",
        "sim-a",
        "sim-down",
        "gpt-oss-20b",
      ],
    });
    expect(report.status).toBe("completed");
    expect(report.itemCount).toBeGreaterThanOrEqual(28);
    expect(report.dataset!.skipped.count).toBe(0);
    const byModel = Object.fromEntries(report.models.map((m) => [m.model, m]));
    for (const name of ["local/tfidf-logreg", "local/naive-bayes", "sim-a"]) {
      expect(byModel[name]).toMatchObject({ status: "completed", evaluated: report.itemCount });
      expect(byModel[name]!.category!.items).toBe(report.itemCount);
      expect(byModel[name]!.sentiment!.items).toBe(report.itemCount);
    }
    expect(byModel["local/lexicon-sentiment"]!.category).toBeUndefined();
    expect(byModel["local/lexicon-sentiment"]!.sentiment!.items).toBe(report.itemCount);
    expect(byModel["sim-a"]).toMatchObject({ simulated: true });
    expect(byModel["sim-a"]!.cost.totalUsd).toBeGreaterThan(0);
    expect(byModel["sim-a"]!.tokens.prompt).toBeGreaterThan(0);
    expect(byModel["sim-a"]!.category!.accuracy).toBeGreaterThan(0.6);
    expect(byModel["sim-down"]).toMatchObject({ status: "failed", evaluated: 0 });
    expect(byModel["sim-down"]!.error).toContain("unreachable");
    expect(byModel["gpt-oss-20b"]).toMatchObject({ status: "failed" });
    expect(byModel["gpt-oss-20b"]!.error).toBe("databricks-gpt-oss-20b needs DATABRICKS_HOST and DATABRICKS_TOKEN");
    expect(report.comparison).toBeDefined();
    expect(report.comparison!.items).toBe(report.itemCount);
    expect(report.decision.model).toBeDefined();
    expect(report.simulated).toBe(true);
    expect(report.notes.join("\n")).toContain("SIMULATED");
    expect((await describeExperiment(store, report.experimentId)).status).toBe("completed");
  });

  it("fails at once on an unknown model, listing the known ones", async () => {
    await expect(
      runExperimentInProcess(runtimeWith([]), { dataset: "sample", models: ["local/tfidf-logreg", "gpt-17"] }),
    ).rejects.toMatchObject({
      code: "EXPERIMENT_UNKNOWN_MODEL",
      message: expect.stringContaining("local/naive-bayes"),
    });
  });

  it("stores each prediction once when a shard runs twice", async () => {
    const runtime = runtimeWith([simEndpoint("sim-b")]);
    const spec = experimentSpecSchema.parse({
      dataset: "sample",
      models: ["sim-b", "local/naive-bayes"],
      shardSize: 10,
    });
    await store.create("exp_twice", spec as never, "test");
    const prepared = await prepareExperiment(store, "exp_twice", spec, runtime.registry);
    const shard = prepared.shards[0]!;
    const [first, second] = await Promise.all([
      runShard(runtime, "exp_twice", shard),
      runShard(runtime, "exp_twice", shard),
    ]);
    expect(first.stored + second.stored).toBe(shard.to - shard.from);
    const again = await runShard(runtime, "exp_twice", shard);
    expect(again).toMatchObject({ stored: 0, alreadyDone: shard.to - shard.from });
    expect((await store.progress("exp_twice"))["sim-b"]).toBe(shard.to - shard.from);
  });

  it("stops before passing the spend cap and says so", async () => {
    // ~ 200 prompt tokens at $1000/M ≈ $0.2 a request: a $1 cap allows only a handful.
    const runtime = runtimeWith([simEndpoint("sim-pricey", { input: 1000, output: 1000 })]);
    const report = await runExperimentInProcess(runtime, { dataset: "sample", models: ["sim-pricey"], maxCostUsd: 1 });
    expect(report.status).toBe("stopped");
    expect(report.spend.stoppedAtCap).toBe(true);
    expect(report.spend.spentUsd).toBeLessThanOrEqual(1);
    expect(report.models[0]!.evaluated).toBeGreaterThan(0);
    expect(report.models[0]!.evaluated).toBeLessThan(report.itemCount);
    expect(report.notes.join(" ")).toContain("spend cap");
  });

  it("cancels a running experiment: shards stop, the report covers what was answered", async () => {
    const slow = await startEndpointSimulator({ latencyMs: 50, seed: 1 });
    try {
      const runtime = runtimeWith([{ ...simEndpoint("sim-slow"), baseUrl: slow.baseUrl, maxConcurrency: 1 }]);
      const spec = experimentSpecSchema.parse({ dataset: "sample", models: ["sim-slow"] });
      await store.create("exp_cancel", spec as never, "test");
      const prepared = await prepareExperiment(store, "exp_cancel", spec, runtime.registry);
      const running = Promise.all(prepared.shards.map((s) => runShard(runtime, "exp_cancel", s, { checkEveryMs: 20 })));
      await new Promise((r) => setTimeout(r, 150));
      await cancelExperiment(store, "exp_cancel");
      const outcomes = await running;
      expect(outcomes.some((o) => o.stopped === "cancel")).toBe(true);
      const report = await finishExperiment(store, "exp_cancel");
      expect(report.status).toBe("cancelled");
      expect(report.models[0]!.evaluated).toBeLessThan(report.itemCount);
      await expect(cancelExperiment(store, "exp_cancel")).rejects.toMatchObject({ code: "EXPERIMENT_NOT_CANCELLABLE" });
    } finally {
      await slow.close();
    }
  });
});
