import { loadConfig, silentLogger } from "@mlops/core";
import { openStack, type Stack } from "@mlops/stack";
import {
  cleanRedisPrefix,
  createTestPostgresDatabase,
  TEST_REDIS_URL,
  type TestPostgresDatabase,
  uniquePrefix,
} from "@mlops/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiApp } from "./create-api-app";

let pgdb: TestPostgresDatabase;
let stack: Stack;
let app: ReturnType<typeof createApiApp>;
const prefix = uniquePrefix("api");

beforeAll(async () => {
  pgdb = await createTestPostgresDatabase("api");
  const config = loadConfig({ env: { DATABASE_URL: pgdb.url, REDIS_URL: TEST_REDIS_URL, MLOPS_QUEUE_PREFIX: prefix } });
  stack = await openStack(config, silentLogger());
  stack.startWorker();
  app = createApiApp({
    stack,
    version: "test",
    embeddedWorker: true,
    sections: { auth: { tokens: [{ token: TOKEN, user: "ana" }] } },
  });
});
afterAll(async () => {
  await stack.close();
  await pgdb.drop();
  await cleanRedisPrefix(prefix);
});

const TOKEN = "test-token-0123456789abcdef";
const auth = { authorization: `Bearer ${TOKEN}` };
const get = (path: string) => app.request(path, { headers: auth });
const post = (path: string, body: unknown) =>
  app.request(path, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("HTTP API", () => {
  it("answers /healthz and reports each component on /readyz", async () => {
    expect(await (await app.request("/healthz")).json()).toMatchObject({ ok: true, service: "mlops-api" });
    const ready = await app.request("/readyz");
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: { component: string; ok: boolean }[] };
    expect(body.checks.map((c) => [c.component, c.ok])).toEqual([
      ["database", true],
      ["redis", true],
    ]);
  });

  it("enqueues a job that the worker runs, and shows it in the list", async () => {
    const created = await post("/v1/jobs", { name: "echo", payload: { message: "via http" } });
    expect(created.status).toBe(202);
    const { id } = (await created.json()) as { id: string };
    let job: { status: string; result: unknown } = { status: "queued", result: null };
    for (let i = 0; i < 100 && job.status !== "completed"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await (await get(`/v1/jobs/${id}`)).json()) as typeof job;
    }
    expect(job).toMatchObject({ status: "completed", result: { message: "via http" } });
    const list = (await (await get("/v1/jobs")).json()) as { jobs: { id: string; requestedBy: string }[] };
    expect(list.jobs.find((j) => j.id === id)?.requestedBy).toBe("ana");
    expect(list.jobs.map((j) => j.id)).toContain(id);
  });

  it("answers bad requests with a code, a message and a hint", async () => {
    const unknown = await post("/v1/jobs", { name: "nope" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { code: "JOB_UNKNOWN", message: 'Unknown job "nope".', hint: expect.stringContaining("echo") },
    });
    const invalid = await post("/v1/jobs", { name: "echo", payload: { message: 42 } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe("JOB_PAYLOAD_INVALID");
    const notJson = await app.request("/v1/jobs", { method: "POST", headers: auth, body: "{" });
    expect(notJson.status).toBe(400);
    expect((await get("/v1/jobs/job_missing")).status).toBe(404);
    expect((await app.request("/v1/jobs")).status).toBe(401);
    expect(
      (await app.request("/v1/jobs", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status,
    ).toBe(401);
    expect((await app.request("/nowhere")).status).toBe(404);
  });
});

describe("web console", () => {
  it("is served under /console without a build step, and refuses paths outside its folder", async () => {
    const { fileURLToPath } = await import("node:url");
    const withConsole = createApiApp({
      stack,
      version: "test",
      embeddedWorker: true,
      webRoot: fileURLToPath(new URL("../../web/public", import.meta.url)),
    });
    const page = await withConsole.request("/console/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Pending approvals");
    expect((await withConsole.request("/console/app.js")).headers.get("content-type")).toContain("javascript");
    expect((await withConsole.request("/console/..%2F..%2Fpackage.json")).status).toBe(404);
    expect((await withConsole.request("/")).headers.get("location")).toBe("/console/");
  });
});

describe("built-in MLflow server", () => {
  it("answers MLflow's own REST paths on the API, so MLFLOW_TRACKING_URI can point here", async () => {
    const created = await post("/api/2.0/mlflow/experiments/create", { name: "api-served" });
    expect(created.status).toBe(200);
    const { experiment_id } = (await created.json()) as { experiment_id: string };
    const got = await app.request(`/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`);
    expect(((await got.json()) as { experiment: { name: string } }).experiment.name).toBe("api-served");
    const missing = await app.request("/api/2.0/mlflow/experiments/get?experiment_id=999999");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error_code: string }).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });
});
