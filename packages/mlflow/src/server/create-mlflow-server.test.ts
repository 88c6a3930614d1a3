import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import type { TrackingStore } from "../store/tracking-store";
import { createMlflowServer } from "./create-mlflow-server";

// Routing and artifact handling need no database: a store that is never reached.
const unusedStore = new Proxy({} as TrackingStore, {
  get: () => () => Promise.reject(new Error("store not used in this test")),
});
const root = mkdtempSync(join(tmpdir(), "mlops-mlflow-server-"));
const app = createMlflowServer({ store: unusedStore, artifactRoot: join(root, "artifacts") });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("createMlflowServer", () => {
  it("refuses artifact paths that leave the artifact root", async () => {
    for (const path of [
      "/api/2.0/mlflow-artifacts/artifacts/..%2Fescape.txt",
      "/api/2.0/mlflow-artifacts/artifacts/1/sub%2F..%2F..%2F..%2Fx",
    ]) {
      const response = await app.request(path, { method: "PUT", body: "x" });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    }
    const listing = await app.request("/api/2.0/mlflow-artifacts/artifacts?path=..%2F..");
    expect(listing.status).toBe(400);
    expect(readdirSync(root)).toEqual([]);
  });

  it("answers unknown MLflow endpoints with ENDPOINT_NOT_FOUND and leaves other paths to the host app", async () => {
    const response = await app.request("/api/2.0/mlflow/logged-models/search", { method: "POST", body: "{}" });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });

    const host = new Hono();
    host.get("/health", (c) => c.text("ok"));
    host.route("/", app);
    expect(await (await host.request("/health")).text()).toBe("ok");
    expect((await host.request("/api/2.0/mlflow/runs/get")).status).toBe(400);
  });

  it("reports malformed JSON bodies as MLflow errors", async () => {
    const response = await app.request("/api/2.0/mlflow/experiments/create", { method: "POST", body: "{nope" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error_code: "MALFORMED_REQUEST" });
  });
});
