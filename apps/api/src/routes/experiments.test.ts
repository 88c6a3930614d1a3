import { silentLogger } from "@mlops/core";
import { createExperimentJobServices, type JobProcessing, startJobProcessing } from "@mlops/jobs";
import { createEndpointRegistry } from "@mlops/llm";
import { JobProducer } from "@mlops/queue";
import { cleanRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniquePrefix } from "@mlops/testing";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { experimentRoutes } from "./experiments";

const prefix = uniquePrefix("expapi");
let t: TestDatabase;
let jobs: JobProducer;
let worker: JobProcessing;
let closeServices: () => Promise<void>;
let app: Hono<{ Variables: { user: string } }>;

beforeAll(async () => {
  t = await createTestDatabase("postgres", "expapi");
  jobs = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
  const registry = createEndpointRegistry();
  const services = createExperimentJobServices({
    db: t.database.db,
    redisUrl: TEST_REDIS_URL,
    prefix,
    registry,
    logger: silentLogger(),
  });
  closeServices = () => services.close();
  worker = startJobProcessing({
    services: { db: t.database.db, logger: silentLogger(), experiments: services },
    redisUrl: TEST_REDIS_URL,
    prefix,
    logger: silentLogger(),
  });
  app = new Hono<{ Variables: { user: string } }>().route(
    "/",
    experimentRoutes({ db: t.database.db, jobs, registry: () => registry }),
  );
}, 60_000);
afterAll(async () => {
  await worker?.close(0);
  await closeServices?.();
  await jobs?.close();
  await t?.cleanup();
  await cleanRedisPrefix(prefix);
});

const post = (path: string, body?: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("experiment routes", () => {
  it("runs an experiment submitted over HTTP and serves its progress, report and comparison", async () => {
    const created = await post("/v1/experiments", {
      dataset: "sample",
      sentimentCol: "sentiment",
      models: ["local/naive-bayes", "local/tfidf-logreg", "local/lexicon-sentiment"],
    });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    let view: { status: string; report: { decision: { model: string } } | null; models: { done: number }[] };
    for (;;) {
      view = (await (await app.request(`/v1/experiments/${id}`)).json()) as typeof view;
      if (!["queued", "running"].includes(view.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(view.status).toBe("completed");
    expect(view.report!.decision.model).toMatch(/^local\//);
    const compare = await app.request(`/v1/experiments/${id}/compare`);
    expect(compare.status).toBe(200);
    expect(((await compare.json()) as { comparison: { mcnemar: unknown } }).comparison.mcnemar).toBeDefined();
    const list = (await (await app.request("/v1/experiments")).json()) as { experiments: { id: string }[] };
    expect(list.experiments.map((e) => e.id)).toContain(id);
    expect((await post(`/v1/experiments/${id}/cancel`)).status).toBe(409);
  });

  it("passes where results are registered on to the experiment's job", async () => {
    const created = await post("/v1/experiments", {
      dataset: "sample",
      models: ["local/naive-bayes"],
      limit: 10,
      registration: { model: "team-news", register: false },
    });
    expect(created.status).toBe(202);
    const { jobId } = (await created.json()) as { jobId: string };
    const job = await jobs.get(jobId);
    expect(job.payload).toMatchObject({ registration: { model: "team-news", register: false } });
  });

  it("answers 400 for an unknown model (listing the known ones) and 404 for an unknown experiment", async () => {
    const bad = await post("/v1/experiments", { dataset: "sample", models: ["gpt-17"] });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("EXPERIMENT_UNKNOWN_MODEL");
    expect(body.error.message).toContain("local/tfidf-logreg");
    expect((await app.request("/v1/experiments/exp_nope")).status).toBe(404);
    expect((await post("/v1/experiments", { models: [] })).status).toBe(400);
  });
});
