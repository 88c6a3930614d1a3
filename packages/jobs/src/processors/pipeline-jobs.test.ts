import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@mlops/core";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import {
  BUILTIN_SPECS_FOLDER,
  createPipelineStore,
  type PipelineAction,
  type PipelineGuard,
  type PipelineStore,
  type ScorerResolver,
} from "@mlops/pipelines";
import { connectRedis, getJobDefinition, JobProducer, type JobRecord } from "@mlops/queue";
import { cleanRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniquePrefix } from "@mlops/testing";
import { Job, Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type JobProcessing, startJobProcessing } from "../job-processing";
import { createPipelineFlows, finishJobId, stepJobId } from "./pipeline-flow";
import type { PipelineJobServices } from "./pipeline-services";

let t: TestDatabase;
let producer: JobProducer;
let store: PipelineStore;
let flows: ReturnType<typeof createPipelineFlows>;
let stepsQueue: Queue;
let dir: string;
let lakehouse: Lakehouse;
const prefix = uniquePrefix("pipejobs");
const running: JobProcessing[] = [];

beforeAll(async () => {
  t = await createTestDatabase("postgres", "pipejobs");
  producer = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
  store = createPipelineStore(t.database.db);
  flows = createPipelineFlows({ redisUrl: TEST_REDIS_URL, prefix });
  stepsQueue = new Queue(getJobDefinition("pipeline.step").queue, {
    connection: connectRedis(TEST_REDIS_URL),
    prefix,
  });
}, 60_000);
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "pipejobs-"));
  lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lake.duckdb") });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.close(0)));
  await lakehouse?.close();
});
afterAll(async () => {
  await stepsQueue?.close();
  await stepsQueue?.disconnect();
  await flows?.close();
  await producer?.close();
  await t?.cleanup();
  await cleanRedisPrefix(prefix);
});

function startWorker(services: Partial<PipelineJobServices> = {}): JobProcessing {
  const processing = startJobProcessing({
    services: {
      db: t.database.db,
      logger: silentLogger(),
      pipelines: { lakehouse: async () => lakehouse, flows, ...services },
    },
    redisUrl: TEST_REDIS_URL,
    prefix,
    concurrency: 4,
    logger: silentLogger(),
  });
  running.push(processing);
  return processing;
}

const rows = async (sql: string) => (await lakehouse.query(sql)).rows;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const finished = (id: string) => producer.waitFor(id, { timeoutMs: 40_000, pollMs: 50 });

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await wait(25);
  }
}

interface RunResult {
  runId: string;
  resumedFrom: string | null;
  steps: { step: string; rowsWritten: number; expectations: { name: string; outcome: string }[] }[];
  flow: { finishJobId: string; steps: { step: string; jobId: string }[] };
}

/** The orders pipeline of the pipelines tests, sent as YAML: orders → clean orders (expectations) → revenue. */
function ordersSpec(csv: string, notHuge = "fail") {
  writeFileSync(join(dir, "orders.csv"), csv);
  return {
    pipeline: "orders",
    baseDir: dir,
    specYaml: `name: orders
tables:
  - name: orders_raw
    layer: bronze
    source: { path: orders.csv }
    columns: [{ name: id, type: BIGINT }, { name: day, type: DATE }, { name: amount, type: DOUBLE }]
    mode: merge
    keys: [id]
  - name: orders
    layer: silver
    sql: SELECT id, day, amount FROM main.bronze.orders_raw
    mode: merge
    keys: [id]
    expectations:
      - { name: amount_positive, condition: "amount > 0", action: drop }
      - { name: not_huge, condition: "amount IS NULL OR amount < 1000000", action: ${notHuge} }
  - name: revenue
    layer: gold
    sql: SELECT day, sum(amount) AS revenue, count(*) AS orders FROM main.silver.orders GROUP BY day
    mode: overwrite
`,
  };
}

const GOOD = "id,day,amount\n1,2024-01-01,10\n2,2024-01-01,-1\n3,2024-01-02,20\n4,2024-01-03,30\n";
const BAD = `${GOOD}5,2024-01-03,5000000\n`;

/** The built-in news spec, scoring one article per batch (so a scorer can be slow between batches). */
function newsSpec() {
  const yaml = readFileSync(join(BUILTIN_SPECS_FOLDER, "news.yaml"), "utf8").replace(
    "      model: main.ml.news_classifier@champion",
    "      model: main.ml.news_classifier@champion\n      batchSize: 1",
  );
  return { pipeline: "news", specYaml: yaml, baseDir: BUILTIN_SPECS_FOLDER };
}

function scorer(version: string, options: { failFirst?: boolean; delayMs?: number; calls?: string[] } = {}) {
  let calls = 0;
  const resolver: ScorerResolver = async (model) => ({
    model: model.split("@")[0]!,
    version,
    score: async (texts) => {
      calls++;
      options.calls?.push(version);
      if (options.delayMs) await wait(options.delayMs);
      if (options.failFirst && calls === 1) throw new Error("model endpoint answered 503");
      return texts.map(() => ({ label: "World", score: 0.9 }));
    },
  });
  return resolver;
}

async function jobsOf(result: RunResult): Promise<JobRecord[]> {
  return Promise.all([...result.flow.steps.map((s) => s.jobId), result.flow.finishJobId].map((id) => producer.get(id)));
}

describe("pipeline runs as BullMQ flows", () => {
  it("runs one job per step in DAG order under a finish job that records the run", async () => {
    startWorker();
    const queued = await producer.enqueue("pipeline.run", { pipeline: "churn" }, { requestedBy: "ana" });
    const done = await finished(queued.id);
    expect(done.status, done.error ?? "").toBe("completed");
    const result = done.result as RunResult;
    expect(result.steps.map((s) => [s.step, s.rowsWritten])).toEqual([
      ["customers_raw", 60],
      ["customers", 59],
      ["churn_features", 59],
      ["churn_labels", 59],
    ]);
    expect(result.flow).toEqual({
      finishJobId: finishJobId(result.runId),
      steps: ["customers_raw", "customers", "churn_features", "churn_labels"].map((step) => ({
        step,
        jobId: stepJobId(result.runId, step),
      })),
    });

    // `mlops jobs list` shows the step jobs and the finish job, each run once, one after the other in DAG order.
    const records = await jobsOf(result);
    const listed = (await producer.list(100)).map((j) => j.id);
    for (const r of records) expect(listed).toContain(r.id);
    expect(records.map((r) => [r.name, r.status, r.attempts, r.requestedBy])).toEqual([
      ...result.flow.steps.map(() => ["pipeline.step", "completed", 1, "ana"]),
      ["pipeline.finish", "completed", 1, "ana"],
    ]);
    for (const [k, r] of records.entries()) {
      if (k === 0) continue;
      expect(Date.parse(r.startedAt!)).toBeGreaterThanOrEqual(Date.parse(records[k - 1]!.finishedAt!));
    }

    // In Redis: a chain, each step the parent of the step before it, the finish job on top.
    const last = await Job.fromId(stepsQueue, stepJobId(result.runId, "churn_labels"));
    expect(last!.parentKey).toBe(`${prefix}:pipeline-steps:${finishJobId(result.runId)}`);
    const finish = await Job.fromId(stepsQueue, finishJobId(result.runId));
    expect(Object.values(await finish!.getChildrenValues())).toEqual([
      expect.objectContaining({ runId: result.runId, step: "churn_labels", rowsWritten: 59 }),
    ]);
    const run = await store.getRun(result.runId);
    expect(run).toMatchObject({ status: "completed", requestedBy: `job:${queued.id}` });
    expect(run!.steps.map((s) => [s.status, s.attempt])).toEqual(result.flow.steps.map(() => ["completed", 1]));
    expect(run!.expectations).toHaveLength(6);
  }, 60_000);

  it("retries a failing step with the catalog's backoff, and the run completes", async () => {
    startWorker({ scorers: scorer("3", { failFirst: true }) });
    const queued = await producer.enqueue("pipeline.run", newsSpec(), { requestedBy: "ana" });
    const done = await finished(queued.id);
    expect(done.status, done.error ?? "").toBe("completed");
    const result = done.result as RunResult;
    const [raw, silver, score] = await jobsOf(result);
    expect([raw!.attempts, silver!.attempts, score!.attempts]).toEqual([1, 1, 2]);
    expect(score).toMatchObject({ status: "completed", error: null });
    const run = await store.getRun(result.runId);
    expect(run!.steps.map((s) => [s.step, s.status, s.attempt])).toEqual([
      ["articles_raw", "completed", 1],
      ["articles", "completed", 1],
      ["article_predictions", "completed", 2],
    ]);
    // Expectation counts are recorded once for the step, not once per try.
    expect(run!.expectations.filter((e) => e.step === "article_predictions")).toHaveLength(2);
    expect(await rows("SELECT count(*) AS n, max(model_version) AS v FROM main.news_gold.article_predictions")).toEqual(
      [{ n: 10, v: "3" }],
    );
  }, 60_000);

  it("a failing step fails the run: the steps after it never run, gold stays as it was; resume runs only what is left", async () => {
    const approved: PipelineAction[] = [];
    const guard: PipelineGuard = async (action) => void approved.push(action);
    startWorker({ approvalGuardFor: () => guard });
    const first = await finished((await producer.enqueue("pipeline.run", ordersSpec(GOOD), { requestedBy: "ana" })).id);
    expect(first.status, first.error ?? "").toBe("completed");
    const gold = await rows("SELECT * FROM main.gold.revenue ORDER BY day");
    expect(gold).toHaveLength(3);
    expect(approved).toEqual([]); // gold did not exist yet: nothing to approve

    const failed = await finished((await producer.enqueue("pipeline.run", ordersSpec(BAD), { requestedBy: "ana" })).id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("not_huge (1 of 5 rows)");
    expect(failed.error).toContain("--resume");
    // The overwrite of gold was approved up front (once), though gold was never reached.
    expect(approved.map((a) => [a.kind, a.target])).toEqual([["pipeline.overwrite", "main.gold.revenue"]]);
    expect(await rows("SELECT * FROM main.gold.revenue ORDER BY day")).toEqual(gold);
    expect(Number((await rows("SELECT count(*) AS n FROM main.silver.orders"))[0]!.n)).toBe(3);
    const runId = `prun_${failed.id}`;
    const run = await store.getRun(runId);
    expect(run).toMatchObject({ status: "failed", failedStep: "orders" });
    expect(run!.steps.map((s) => s.status)).toEqual(["completed", "failed", "pending"]);

    const [raw, silver, revenue, finish] = await Promise.all(
      [stepJobId(runId, "orders_raw"), stepJobId(runId, "orders"), stepJobId(runId, "revenue"), finishJobId(runId)].map(
        (id) => producer.get(id),
      ),
    );
    expect(raw).toMatchObject({ status: "completed", attempts: 1 });
    expect(silver).toMatchObject({ status: "failed", attempts: 1 }); // a failed expectation is not retried
    expect(revenue).toMatchObject({ status: "cancelled", attempts: 0, startedAt: null });
    expect(revenue!.error).toContain("not run: step orders failed");
    expect(finish).toMatchObject({ status: "failed", attempts: 0, startedAt: null });
    // BullMQ failed the rest of the chain without running it.
    await until("the chain to fail in BullMQ", async () => {
      const job = await Job.fromId(stepsQueue, finishJobId(runId));
      return (await job?.getState()) === "failed";
    });
    const revenueJob = await Job.fromId(stepsQueue, stepJobId(runId, "revenue"));
    expect(await revenueJob!.getState()).toBe("failed");
    expect(revenueJob!.failedReason).toContain("failed"); // "child …:orders failed": failed without running

    // The expectation relaxed to a warning: resume runs only the two steps the failed run left undone.
    const resumed = await finished(
      (await producer.enqueue("pipeline.run", { ...ordersSpec(BAD, "warn"), resume: "latest" }, { requestedBy: "ana" }))
        .id,
    );
    expect(resumed.status, resumed.error ?? "").toBe("completed");
    const result = resumed.result as RunResult;
    expect(result.resumedFrom).toBe(runId);
    expect(result.flow.steps.map((s) => s.step)).toEqual(["orders", "revenue"]);
    expect(result.steps.map((s) => s.step)).toEqual(["orders", "revenue"]);
    expect(result.steps[0]!.expectations[1]).toMatchObject({ name: "not_huge", outcome: "warned" });
    await expect(producer.get(stepJobId(result.runId, "orders_raw"))).rejects.toMatchObject({ code: "JOB_NOT_FOUND" });
    expect(await rows("SELECT revenue FROM main.gold.revenue WHERE day = DATE '2024-01-03'")).toEqual([
      { revenue: 5000030 },
    ]);
    expect(approved).toHaveLength(2); // asked again for the resumed run, once
  }, 90_000);

  it("refuses before any step job exists when an approval is refused", async () => {
    startWorker({
      approvalGuardFor: () => async () => {
        throw new Error("APPROVAL_MISSING: no approved request for this action");
      },
    });
    const ok = await finished((await producer.enqueue("pipeline.run", ordersSpec(GOOD), { requestedBy: "ana" })).id);
    expect(ok.status, ok.error ?? "").toBe("completed");
    const refused = await finished(
      (await producer.enqueue("pipeline.run", ordersSpec(GOOD), { requestedBy: "ana" })).id,
    );
    expect(refused).toMatchObject({ status: "failed", attempts: 1 });
    expect(refused.error).toContain("Overwrite of main.gold.revenue (it holds data) was refused: APPROVAL_MISSING");
    await expect(producer.get(stepJobId(`prun_${refused.id}`, "orders_raw"))).rejects.toMatchObject({
      code: "JOB_NOT_FOUND",
    });
    expect(await store.getRun(`prun_${refused.id}`)).toMatchObject({ status: "failed", failedStep: "revenue" });
  }, 60_000);

  it("a worker closed mid-step hands its step job back, and another worker finishes it", async () => {
    const calls: string[] = [];
    const first = startWorker({ scorers: scorer("A", { delayMs: 100, calls }) });
    const queued = await producer.enqueue("pipeline.run", newsSpec(), { requestedBy: "ana" });
    await until("the score step to be scoring", async () => calls.length > 0);
    const outcome = await first.close(50);
    expect(outcome.handedBack).toBe(2); // the score step, and pipeline.run following the flow
    const runId = `prun_${queued.id}`;
    const stepId = stepJobId(runId, "article_predictions");
    expect((await producer.get(stepId)).status).toBe("queued");
    expect((await store.getRun(runId))!.steps[2]).toMatchObject({ status: "pending", attempt: 1 });
    expect(await lakehouse.tableExists("main.news_gold.article_predictions")).toBe(false);

    startWorker({ scorers: scorer("B", { calls }) });
    const done = await finished(queued.id);
    expect(done.status, done.error ?? "").toBe("completed");
    expect((await producer.get(stepId)).status).toBe("completed");
    expect((await store.getRun(runId))!.steps[2]).toMatchObject({ status: "completed", attempt: 2 });
    expect(calls).toContain("B");
    expect(
      await rows(
        "SELECT count(*) AS n, count(DISTINCT id) AS ids, max(model_version) AS v FROM main.news_gold.article_predictions",
      ),
    ).toEqual([{ n: 10, ids: 10, v: "B" }]);
  }, 60_000);
});
