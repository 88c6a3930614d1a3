import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@mlops/core";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { createMemoryAlertSink, createMonitorStore, parseMonitorSpec } from "@mlops/monitors";
import { connectRedis, JobProducer } from "@mlops/queue";
import { cleanRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniquePrefix } from "@mlops/testing";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type JobProcessing, startJobProcessing } from "../job-processing";
import { syncMonitorSchedules } from "./monitor-schedules";
import { breachActionEnqueuer } from "./monitor-services";

describe("monitor jobs on real Redis, Postgres and DuckDB", () => {
  const prefix = uniquePrefix("monitors");
  let dir: string;
  let lakehouse: Lakehouse;
  let t: TestDatabase;
  let producer: JobProducer;
  let processing: JobProcessing;
  const alerts = createMemoryAlertSink();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlops-monitor-jobs-"));
    lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lakehouse.duckdb") });
    await lakehouse.ensureSchema("main.silver");
    await lakehouse.execute(
      `CREATE TABLE main.silver.scores AS SELECT CAST(i % 2 AS INTEGER) AS half,
         CASE WHEN i % 2 = 0 THEN (i * 0.6180339887498949) - floor(i * 0.6180339887498949) + 0.5
              ELSE (i * 0.6180339887498949) - floor(i * 0.6180339887498949) END AS score
       FROM range(2000) r(i)`,
    );
    t = await createTestDatabase("postgres", "monitorjobs");
    producer = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
    processing = startJobProcessing({
      services: {
        db: t.database.db,
        logger: silentLogger(),
        monitors: { lakehouse: async () => lakehouse, alerts, requestBreachAction: breachActionEnqueuer(producer) },
      },
      redisUrl: TEST_REDIS_URL,
      prefix,
      queues: ["monitors"],
      logger: silentLogger(),
    });
  }, 60_000);
  afterAll(async () => {
    await processing?.close(0);
    await producer?.close();
    await cleanRedisPrefix(prefix);
    await lakehouse?.close();
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs a monitor as a job; the breach enqueues a retrain job that reports the missing retrain service", async () => {
    const spec = parseMonitorSpec({
      name: "scores",
      table: "main.silver.scores",
      columns: ["score"],
      windows: { baseline: { where: "half = 1" }, current: { where: "half = 0" } },
      onBreach: "retrain",
      model: "main.ml.scorer",
      schedule: { every: "1h" },
    });
    await createMonitorStore(t.database.db).save(spec, { createdBy: "test" });
    const queued = await producer.enqueue(
      "monitor.run",
      { monitor: "scores", trigger: "manual" },
      { requestedBy: "test" },
    );
    const done = await producer.waitFor(queued.id, { timeoutMs: 20_000 });
    expect(done.status).toBe("completed");
    expect(done.result).toMatchObject({ status: "alert", action: { kind: "retrain" } });
    const jobId = (done.result as { action: { jobId: string } }).action.jobId;
    expect(alerts.alerts[0]?.action.jobId).toBe(jobId);
    const retrain = await producer.waitFor(jobId, { timeoutMs: 20_000 });
    expect(retrain).toMatchObject({ name: "monitor.breach-action", status: "failed" });
    expect(retrain.error).toContain("no retrain service configured");
  });

  it("registers scheduled monitors as repeatable BullMQ job schedulers and removes stale ones", async () => {
    const connection = connectRedis(TEST_REDIS_URL);
    const queue = new Queue("monitors", { connection, prefix });
    try {
      const store = createMonitorStore(t.database.db);
      const first = await syncMonitorSchedules({ connection, prefix, monitors: await store.list() });
      expect(first.upserted).toEqual(["monitor:scores"]);
      const [scheduler] = await queue.getJobSchedulers();
      expect(scheduler).toMatchObject({ key: "monitor:scores", every: 3_600_000, name: "monitor.run" });
      await store.remove("scores");
      const second = await syncMonitorSchedules({ connection, prefix, monitors: await store.list() });
      expect(second.removed).toEqual(["monitor:scores"]);
      expect(await queue.getJobSchedulers()).toHaveLength(0);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
