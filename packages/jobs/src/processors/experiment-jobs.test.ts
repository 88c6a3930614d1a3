import { silentLogger } from "@mlops/core";
import { describeExperiment, ExperimentStore, experimentSpecSchema, prepareExperiment } from "@mlops/experiments";
import { createEndpointRegistry } from "@mlops/llm";
import { getJobDefinition, JobProducer } from "@mlops/queue";
import {
  cleanRedisPrefix,
  createTestDatabase,
  type EndpointSimulator,
  startEndpointSimulator,
  TEST_REDIS_URL,
  type TestDatabase,
  uniquePrefix,
} from "@mlops/testing";
import { type Job, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobServices } from "../job-handler";
import { type JobProcessing, startJobProcessing } from "../job-processing";
import { processExperimentShard } from "./experiment-jobs";
import { createExperimentJobServices, type ExperimentJobServices } from "./experiment-services";
import { submitExperiment } from "./experiment-submit";

let t: TestDatabase;
let sim: EndpointSimulator;
let producer: JobProducer;
let services: ExperimentJobServices;
const prefix = uniquePrefix("experiments");

beforeAll(async () => {
  t = await createTestDatabase("postgres", "expjobs");
  sim = await startEndpointSimulator({ latencyMs: 5, seed: 9 });
  const registry = createEndpointRegistry({
    endpoints: [
      {
        name: "sim",
        baseUrl: sim.baseUrl,
        model: "m",
        track: "internal",
        apiKey: "none",
        rateLimit: { requestsPerSecond: 200 },
      },
      { name: "sim-slow", baseUrl: sim.baseUrl, model: "slow", track: "internal", apiKey: "none", maxConcurrency: 1 },
    ],
  });
  producer = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
  services = createExperimentJobServices({
    db: t.database.db,
    redisUrl: TEST_REDIS_URL,
    prefix,
    registry,
    logger: silentLogger(),
    cache: false,
  });
}, 60_000);
afterAll(async () => {
  await services?.close();
  await producer?.close();
  await sim?.close();
  await t?.cleanup();
  await cleanRedisPrefix(prefix);
});

async function waitFinished(id: string, timeoutMs = 20_000) {
  const store = new ExperimentStore(t.database.db);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await describeExperiment(store, id);
    if (["completed", "failed", "cancelled", "stopped"].includes(view.status)) return view;
    if (Date.now() > deadline) throw new Error(`experiment ${id} still ${view.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("experiment jobs on BullMQ", () => {
  it("runs an experiment as a flow: start → shards per model → finalize, each item counted once", async () => {
    const worker: JobProcessing = startJobProcessing({
      services: { db: t.database.db, logger: silentLogger(), experiments: services },
      redisUrl: TEST_REDIS_URL,
      prefix,
      concurrency: 4,
      logger: silentLogger(),
    });
    try {
      const { experimentId, jobId } = await submitExperiment({
        db: t.database.db,
        jobs: producer,
        registry: services.runtime.registry,
        spec: { dataset: "sample", sentimentCol: "sentiment", models: ["local/tfidf-logreg", "sim"], shardSize: 8 },
        requestedBy: "test",
      });
      const view = await waitFinished(experimentId);
      expect(view.status).toBe("completed");
      expect(view.models.map((m) => [m.model, m.done])).toEqual([
        ["local/tfidf-logreg", view.itemCount],
        ["sim", view.itemCount],
      ]);
      expect(view.report!.decision.model).toBeDefined();
      expect((await producer.get(jobId)).status).toBe("completed");
    } finally {
      await worker.close(0);
    }
  });

  it("refuses an unknown model before queueing anything", async () => {
    await expect(
      submitExperiment({
        db: t.database.db,
        jobs: producer,
        registry: services.runtime.registry,
        spec: { dataset: "sample", models: ["nope"] },
        requestedBy: "test",
      }),
    ).rejects.toMatchObject({ code: "EXPERIMENT_UNKNOWN_MODEL" });
  });

  it("a crashed worker's shard is picked up by another through stalled-job recovery, counted exactly once", async () => {
    const store = new ExperimentStore(t.database.db);
    const spec = experimentSpecSchema.parse({ dataset: "sample", models: ["sim-slow"], shardSize: 1000 });
    await store.create("exp_crash", spec as never, "test");
    const prepared = await prepareExperiment(store, "exp_crash", spec, services.runtime.registry);
    expect(prepared.shards).toHaveLength(1);
    const shard = prepared.shards[0]!;
    const queueName = `${getJobDefinition("experiment.shard").queue}-crash`;
    const jobServices: JobServices = { db: t.database.db, logger: silentLogger(), experiments: services };
    const crashed = new AbortController();
    const processor = (signal: AbortSignal) => async (job: Job) =>
      processExperimentShard({
        id: job.id!,
        payload: job.data,
        attempt: 1,
        signal,
        services: jobServices,
        logger: silentLogger(),
        reportProgress: async () => {},
      });
    const connections: Redis[] = [];
    const connection = () => {
      const c = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
      connections.push(c);
      return c;
    };
    const fast = { lockDuration: 1_000, stalledInterval: 300, maxStalledCount: 2 };
    const queue = new Queue(queueName, { connection: connection(), prefix });
    const first = new Worker(queueName, processor(crashed.signal), { connection: connection(), prefix, ...fast });
    first.on("error", () => {});
    try {
      await queue.add("experiment.shard", { experimentId: "exp_crash", ...shard }, { jobId: "exp_crash-shard" });
      for (let i = 0; i < 200 && ((await store.progress("exp_crash"))["sim-slow"] ?? 0) < 5; i++)
        await new Promise((r) => setTimeout(r, 20));
      // The "crash": the worker stops renewing its lock and its work stops mid-shard, with nothing handed back.
      crashed.abort(new Error("killed"));
      await first.close(true);
      const before = (await store.progress("exp_crash"))["sim-slow"]!;
      expect(before).toBeGreaterThan(0);
      expect(before).toBeLessThan(shard.to - shard.from);

      const second = new Worker(queueName, processor(new AbortController().signal), {
        connection: connection(),
        prefix,
        ...fast,
      });
      second.on("error", () => {});
      const done = new Promise<unknown>((resolve, reject) => {
        second.on("completed", (_job, result) => resolve(result));
        second.on("failed", (_job, error) => reject(error));
      });
      const result = (await done) as { stored: number; alreadyDone: number };
      await second.close();
      expect(result.alreadyDone + result.stored).toBe(shard.to - shard.from);
      expect((await store.progress("exp_crash"))["sim-slow"]).toBe(shard.to - shard.from);
      const job = await queue.getJob("exp_crash-shard");
      expect(job?.finishedOn).toBeDefined();
    } finally {
      await queue.close();
      for (const c of connections) c.disconnect();
    }
  });
});
