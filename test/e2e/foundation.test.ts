import { cleanRedisPrefix, TEST_REDIS_URL, uniquePrefix } from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, runCli, tempHome } from "./cli-helpers";

// The newcomer's path on the embedded defaults: no stack → in-process worker; `mlops up` → the running stack.
const prefix = uniquePrefix("e2e");
let env: Record<string, string>;

beforeAll(async () => {
  env = {
    MLOPS_HOME: tempHome(),
    PORT: String(await freePort()),
    REDIS_URL: TEST_REDIS_URL,
    MLOPS_QUEUE_PREFIX: prefix,
    DATABASE_URL: "",
    LOG_LEVEL: "warn",
  };
});
afterAll(async () => {
  await runCli(["down"], env);
  await cleanRedisPrefix(prefix);
});

describe("mlops CLI on the embedded defaults", () => {
  it("runs a job with an in-process worker when no stack is up, and says so", async () => {
    const result = await runCli(["jobs", "enqueue", "echo", "--message", "solo", "--json"], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("no running stack; using an in-process worker");
    expect(JSON.parse(result.stdout)).toMatchObject({ name: "echo", status: "completed", result: { message: "solo" } });
  });

  it("starts the stack with `up`, is all green in `doctor`, and routes jobs through the API", async () => {
    const up = await runCli(["up", "--detach"], env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain("MLOps Architect is up");

    const doctor = await runCli(["doctor", "--json"], env);
    expect(doctor.code).toBe(0);
    const report = JSON.parse(doctor.stdout) as {
      ok: boolean;
      checks: { component: string; ok: boolean; target: string }[];
    };
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.component === "database")?.target).toContain("PGlite");

    const job = await runCli(["jobs", "enqueue", "echo", "--message", "through the api", "--json"], env);
    expect(job.code).toBe(0);
    expect(job.stderr).toContain("using the running stack");
    const record = JSON.parse(job.stdout) as { id: string; status: string };
    expect(record.status).toBe("completed");

    const list = await runCli(["jobs", "list", "--json"], env);
    const ids = (JSON.parse(list.stdout) as { jobs: { id: string }[] }).jobs.map((j) => j.id);
    expect(ids).toContain(record.id);
    expect(ids.length).toBeGreaterThanOrEqual(2); // the in-process job of the first test is there too

    const down = await runCli(["down"], env);
    expect(down.code).toBe(0);
  }, 120_000);

  it("stops with a message naming the bad setting", async () => {
    const result = await runCli(["doctor"], { ...env, PORT: "not-a-port" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('PORT: given "not-a-port", expected an integer port between 1 and 65535');
  });

  it("reports a red component with the reason and exits non-zero", async () => {
    const result = await runCli(["doctor", "--json"], { ...env, REDIS_URL: "redis://127.0.0.1:1" });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { checks: { component: string; ok: boolean; detail: string }[] };
    expect(report.checks.find((c) => c.component === "redis")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("redis-server"),
    });
  });
});
