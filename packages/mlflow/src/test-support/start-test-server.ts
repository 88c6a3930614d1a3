import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createTestDatabase, type TestDriver } from "@mlops/testing";
import type { Hono } from "hono";
import { createMlflowServer } from "../server/create-mlflow-server";
import { createSqlTrackingStore } from "../store/sql-tracking-store";

export interface TestMlflowServer {
  app: Hono;
  /** `http://127.0.0.1:<port>` */
  url: string;
  artifactRoot: string;
  stop(): Promise<void>;
}

/** The built-in server on a fresh migrated database of the given driver, listening on a free port. */
export async function startTestMlflowServer(driver: TestDriver): Promise<TestMlflowServer> {
  const { database, cleanup } = await createTestDatabase(driver, "mlflow");
  const artifactRoot = mkdtempSync(join(tmpdir(), "mlops-mlflow-artifacts-"));
  const app = createMlflowServer({ store: createSqlTrackingStore(database.sql), artifactRoot });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    artifactRoot,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cleanup();
      rmSync(artifactRoot, { recursive: true, force: true });
    },
  };
}
