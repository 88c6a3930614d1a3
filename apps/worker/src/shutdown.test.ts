import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { JobProducer } from "@mlops/queue";
import { cleanRedisPrefix, createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniquePrefix } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

let t: TestDatabase;
let producer: JobProducer;
const prefix = uniquePrefix("worker");

/** Starts the real worker process, as a deployment would, and resolves once it listens. */
async function startWorkerProcess(
  graceMs: number,
): Promise<{ child: ChildProcess; exited: Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, ["--import", require.resolve("tsx"), MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: t.url,
      REDIS_URL: TEST_REDIS_URL,
      MLOPS_QUEUE_PREFIX: prefix,
      WORKER_SHUTDOWN_GRACE_MS: String(graceMs),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  for (let i = 0; i < 200 && !output.includes("ready"); i++) await new Promise((r) => setTimeout(r, 100));
  if (!output.includes("ready")) throw new Error(`worker did not start:\n${output}`);
  return { child, exited, output: () => output };
}

async function waitForStatus(id: string, status: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await producer.get(id)).status === status) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} never became ${status}`);
}

beforeAll(async () => {
  t = await createTestDatabase("postgres", "worker");
  producer = new JobProducer({ db: t.database.db, redisUrl: TEST_REDIS_URL, prefix });
});
afterAll(async () => {
  await producer.close();
  await t.cleanup();
  await cleanRedisPrefix(prefix);
});

describe("worker process on SIGTERM", () => {
  it("stops taking jobs, finishes the one in flight and exits 0", async () => {
    const worker = await startWorkerProcess(20_000);
    const job = await producer.enqueue("echo", { message: "finish me", delayMs: 1_500 }, { requestedBy: "test" });
    await waitForStatus(job.id, "running");
    worker.child.kill("SIGTERM");
    const late = await producer.enqueue("echo", { message: "arrived during shutdown" }, { requestedBy: "test" });
    expect(await worker.exited).toBe(0);
    expect(worker.output()).toContain("1 finished, 0 handed back");
    expect(await producer.get(job.id)).toMatchObject({ status: "completed", result: { message: "finish me" } });
    expect((await producer.get(late.id)).status).toBe("queued");

    const next = await startWorkerProcess(20_000);
    expect((await producer.waitFor(late.id, { timeoutMs: 15_000, pollMs: 50 })).status).toBe("completed");
    next.child.kill("SIGTERM");
    expect(await next.exited).toBe(0);
  }, 60_000);

  it("hands back a job that outlives the grace period; another worker completes it", async () => {
    const worker = await startWorkerProcess(300);
    const job = await producer.enqueue("echo", { message: "too slow", delayMs: 4_000 }, { requestedBy: "test" });
    await waitForStatus(job.id, "running");
    const killedAt = Date.now();
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(worker.output()).toContain("0 finished, 1 handed back");
    expect((await producer.get(job.id)).status).toBe("queued");

    const next = await startWorkerProcess(20_000);
    const done = await producer.waitFor(job.id, { timeoutMs: 20_000, pollMs: 50 });
    expect(done).toMatchObject({ status: "completed", result: { message: "too slow" } });
    next.child.kill("SIGTERM");
    await next.exited;
  }, 60_000);
});
