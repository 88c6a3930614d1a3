import { silentLogger } from "@mlops/core";
import { checkRedis, JobProducer, QueueError } from "@mlops/queue";
import { cleanRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniquePrefix } from "@mlops/testing";
import { UnrecoverableError } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobHandlers } from "./job-handler";
import { type JobProcessing, startJobProcessing } from "./job-processing";

let t: TestDatabase;
let producer: JobProducer;
const prefix = uniquePrefix("jobs");
const running: JobProcessing[] = [];

function startWorker(handlers: Partial<JobHandlers> = {}): JobProcessing {
  const processing = startJobProcessing({
    services: { db: t.database.db, logger: silentLogger() },
    redisUrl: TEST_REDIS_URL,
    prefix,
    concurrency: 4,
    handlers,
    logger: silentLogger(),
  });
  running.push(processing);
  return processing;
}

beforeAll(async () => {
  t = await createTestDatabase("postgres", "jobs");
  producer = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.close(0)));
});
afterAll(async () => {
  await producer.close();
  await t.cleanup();
  await cleanRedisPrefix(prefix);
});

describe("job processing against real Redis and Postgres", () => {
  it("runs an enqueued job and records its result", async () => {
    const worker = startWorker();
    const queued = await producer.enqueue("echo", { message: "hello" }, { requestedBy: "ana" });
    expect(queued).toMatchObject({
      status: "queued",
      name: "echo",
      requestedBy: "ana",
      payload: { message: "hello", delayMs: 0 },
    });
    const done = await producer.waitFor(queued.id, { timeoutMs: 10_000, pollMs: 50 });
    expect(done.status).toBe("completed");
    expect(done.attempts).toBe(1);
    expect(done.result).toMatchObject({ message: "hello", worker: worker.workerId, attempt: 1 });
    expect(done.finishedAt).not.toBeNull();
  });

  it("retries a failing job with backoff and records every attempt", async () => {
    startWorker({
      echo: async ({ attempt, payload }) => {
        if (attempt < 2) throw new Error(`flaky on attempt ${attempt}`);
        return { message: payload.message, worker: "w", attempt, startedAt: "", finishedAt: "" };
      },
    });
    const queued = await producer.enqueue("echo", { message: "retry me" }, { requestedBy: "ana" });
    const done = await producer.waitFor(queued.id, { timeoutMs: 15_000, pollMs: 50 });
    expect(done).toMatchObject({ status: "completed", attempts: 2, error: null });
  });

  it("fails at once on an unrecoverable error, with the reason", async () => {
    startWorker({
      echo: async () => {
        throw new UnrecoverableError("the dataset is empty");
      },
    });
    const queued = await producer.enqueue("echo", { message: "x" }, { requestedBy: "ana" });
    const done = await producer.waitFor(queued.id, { timeoutMs: 10_000, pollMs: 50 });
    expect(done).toMatchObject({ status: "failed", attempts: 1, error: "the dataset is empty" });
  });

  it("refuses a payload that does not match the catalog, naming the field", async () => {
    const before = (await producer.list()).length;
    await expect(producer.enqueue("echo", { message: "" } as never, { requestedBy: "ana" })).rejects.toMatchObject({
      code: "JOB_PAYLOAD_INVALID",
      message: expect.stringContaining("message"),
    });
    expect((await producer.list()).length).toBe(before);
  });

  it("enqueues a job id once, however often it is sent", async () => {
    startWorker();
    const first = await producer.enqueue("echo", { message: "once" }, { requestedBy: "ana", jobId: "job_fixed_1" });
    const second = await producer.enqueue("echo", { message: "once" }, { requestedBy: "ana", jobId: "job_fixed_1" });
    expect(second.id).toBe(first.id);
    await producer.waitFor(first.id, { timeoutMs: 10_000, pollMs: 50 });
    expect((await producer.list(1000)).filter((j) => j.id === "job_fixed_1")).toHaveLength(1);
  });

  it("hands a job still running at shutdown back to its queue, and another worker finishes it", async () => {
    const first = startWorker();
    const queued = await producer.enqueue("echo", { message: "long", delayMs: 3_000 }, { requestedBy: "ana" });
    await producer.waitFor(queued.id, { timeoutMs: 1, pollMs: 20 }).catch(() => {});
    for (let i = 0; i < 100 && (await producer.get(queued.id)).status !== "running"; i++)
      await new Promise((r) => setTimeout(r, 50));
    const outcome = await first.close(100);
    expect(outcome).toEqual({ finished: 0, handedBack: 1 });
    expect((await producer.get(queued.id)).status).toBe("queued");

    const second = startWorker();
    const done = await producer.waitFor(queued.id, { timeoutMs: 15_000, pollMs: 50 });
    expect(done.status).toBe("completed");
    expect(done.result).toMatchObject({ message: "long", worker: second.workerId });
  });

  it("says how to start Redis when it does not answer", async () => {
    const error = await checkRedis("redis://127.0.0.1:1", 500).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueError);
    expect(error).toMatchObject({ code: "REDIS_UNREACHABLE", hint: expect.stringContaining("redis-server") });
    await expect(checkRedis(TEST_REDIS_URL)).resolves.toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/) });
  });
});
