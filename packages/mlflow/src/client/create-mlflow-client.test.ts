import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowError } from "../errors/mlflow-error";
import { artifactRootPath, createMlflowClient, resolveTrackingUri } from "./create-mlflow-client";

// A tiny scripted MLflow over real HTTP: flaky endpoints to exercise retries, and one that echoes auth.
let url = "";
let server: ReturnType<typeof serve>;
const calls: Record<string, number> = {};
const seenAuth: string[] = [];

beforeAll(async () => {
  const app = new Hono();
  const count = (key: string) => {
    calls[key] = (calls[key] ?? 0) + 1;
    return calls[key];
  };
  app.get("/api/2.0/mlflow/experiments/get", (c) => {
    seenAuth.push(c.req.header("authorization") ?? "");
    const id = c.req.query("experiment_id") ?? "";
    const n = count(`get:${id}`);
    if (id === "flaky" && n < 3) return c.json({ error_code: "TEMPORARILY_UNAVAILABLE", message: "busy" }, 503);
    if (id === "throttled" && n < 2) return c.body("slow down", 429, { "retry-after": "0" });
    if (id === "broken") return c.json({ error_code: "INTERNAL_ERROR", message: "boom" }, 500);
    if (id === "html") return c.html("<h1>Bad gateway</h1>", 502);
    if (id === "weird") return c.json({ experiment: { nope: true } });
    return c.json({ experiment: { experiment_id: id, name: `exp-${id}` } });
  });
  server = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fast = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe("createMlflowClient", () => {
  it("sends the bearer token and fills in the fields MLflow leaves out", async () => {
    const client = createMlflowClient({ trackingUri: `${url}/`, token: "tok-1", retry: fast });
    const experiment = await client.experiments.get("7");
    expect(experiment).toEqual({
      experiment_id: "7",
      name: "exp-7",
      artifact_location: "",
      lifecycle_stage: "active",
      tags: [],
    });
    expect(seenAuth.at(-1)).toBe("Bearer tok-1");
  });

  it("retries 5xx and 429 (honouring Retry-After) a few times, then succeeds", async () => {
    const client = createMlflowClient({ trackingUri: url, retry: fast });
    expect((await client.experiments.get("flaky")).name).toBe("exp-flaky");
    expect(calls["get:flaky"]).toBe(3);
    expect((await client.experiments.get("throttled")).name).toBe("exp-throttled");
    expect(calls["get:throttled"]).toBe(2);
  });

  it("does not retry an MLflow INTERNAL_ERROR answer, and reports non-MLflow errors with the status", async () => {
    const client = createMlflowClient({ trackingUri: url, retry: fast });
    await expect(client.experiments.get("broken")).rejects.toMatchObject({
      code: "INTERNAL_ERROR",
      message: "boom",
      status: 500,
    });
    expect(calls["get:broken"]).toBe(1);
    await expect(client.experiments.get("html")).rejects.toMatchObject({ code: "MLFLOW_HTTP_ERROR", status: 502 });
    expect(calls["get:html"]).toBe(3);
    await expect(client.experiments.get("weird")).rejects.toMatchObject({ code: "MLFLOW_BAD_RESPONSE" });
  });

  it("says MLFLOW_UNREACHABLE with the URL and a hint when nothing listens", async () => {
    const client = createMlflowClient({ trackingUri: "http://127.0.0.1:9", retry: fast });
    const error = (await client.experiments.get("1").catch((e: unknown) => e)) as MlflowError;
    expect(error).toBeInstanceOf(MlflowError);
    expect(error.code).toBe("MLFLOW_UNREACHABLE");
    expect(error.message).toContain("http://127.0.0.1:9");
    expect(error.hint).toMatch(/MLFLOW_TRACKING_URI/);
    expect(error.context.attempts).toBe(3);
  });
});

describe("tracking URIs", () => {
  it("maps 'databricks' to the workspace host and refuses what it cannot serve", () => {
    expect(
      resolveTrackingUri({ trackingUri: "databricks", databricksHost: "https://adb-1.azuredatabricks.net/" }),
    ).toBe("https://adb-1.azuredatabricks.net");
    expect(resolveTrackingUri({ trackingUri: "http://localhost:5000/" })).toBe("http://localhost:5000");
    expect(() => resolveTrackingUri({ trackingUri: "databricks" })).toThrow(/Databricks host/);
    expect(() => resolveTrackingUri({ trackingUri: "file:///tmp/mlruns" })).toThrow(MlflowError);
  });

  it("turns proxied artifact URIs into artifact paths", () => {
    expect(artifactRootPath("mlflow-artifacts:/1/abc/artifacts")).toBe("1/abc/artifacts");
    expect(artifactRootPath("mlflow-artifacts://host:5000/1/abc/artifacts/")).toBe("1/abc/artifacts");
    expect(() => artifactRootPath("dbfs:/databricks/mlflow-tracking/1/abc/artifacts")).toThrow(/not proxied/);
  });
});
