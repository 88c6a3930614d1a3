import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { AppDatabase } from "@mlops/db";
import { createMlflowClient, createMlflowServer, createSqlTrackingStore, type MlflowClient } from "@mlops/mlflow";
import { createTestDatabase } from "@mlops/testing";

export interface TestTrackingServer {
  db: AppDatabase;
  mlflow: MlflowClient;
  url: string;
  cleanup(): Promise<void>;
}

/**
 * The built-in MLflow server over a fresh Postgres test database, served over HTTP on a free port, and the real
 * REST client pointed at it: what the registry tests run against.
 */
export async function startTrackingServer(label = "registry"): Promise<TestTrackingServer> {
  const test = await createTestDatabase("postgres", label);
  const artifactRoot = mkdtempSync(join(tmpdir(), "mlops-artifacts-"));
  const app = createMlflowServer({ store: createSqlTrackingStore(test.database.sql), artifactRoot });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    db: test.database.db,
    mlflow: createMlflowClient({ trackingUri: url, retry: { attempts: 2, baseDelayMs: 10 } }),
    url,
    async cleanup() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await test.cleanup();
      rmSync(artifactRoot, { recursive: true, force: true });
    },
  };
}

/** A client pointed at a port nothing listens on, failing fast. */
export function unreachableClient(): MlflowClient {
  return createMlflowClient({ trackingUri: "http://127.0.0.1:9", retry: { attempts: 1 }, timeoutMs: 2000 });
}
