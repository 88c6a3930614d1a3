import { join } from "node:path";
import type { AppConfig, Logger } from "@mlops/core";
import type { Database } from "@mlops/db/client";
import { createMlflowClient, createMlflowServer, createSqlTrackingStore, type MlflowClient } from "@mlops/mlflow";
import type { Hono } from "hono";

/** Tracking as this process reaches it: an MLflow server elsewhere, or the built-in one over the app database. */
export interface Tracking {
  client: MlflowClient;
  /** `MLFLOW_TRACKING_URI`, or `built-in` when the built-in server is used. */
  uri: string;
  /** The built-in server's routes, for the API to serve at `/api/2.0/mlflow*`; absent with an external server. */
  server: Hono | undefined;
}

export function artifactRoot(config: AppConfig): string {
  return join(config.home, "artifacts");
}

/**
 * With `MLFLOW_TRACKING_URI` set, a REST client of that server (`databricks` uses the workspace host and token).
 * Otherwise the built-in MLflow-compatible server over the app database: the API serves it to MLflow's own
 * clients, and this process's client calls it in process, without a network hop.
 */
export function openTracking(config: AppConfig, database: Database, logger: Logger): Tracking {
  if (config.mlflowTrackingUri) {
    return {
      uri: config.mlflowTrackingUri,
      server: undefined,
      client: createMlflowClient({
        trackingUri: config.mlflowTrackingUri,
        ...(config.databricksHost ? { databricksHost: config.databricksHost } : {}),
        ...(config.mlflowTrackingUri === "databricks" && config.databricksToken
          ? { token: config.databricksToken }
          : {}),
      }),
    };
  }
  const server = createMlflowServer({
    store: createSqlTrackingStore(database.sql),
    artifactRoot: artifactRoot(config),
    logger,
  });
  const client = createMlflowClient({
    trackingUri: "http://built-in.mlflow",
    fetch: async (input, init) => server.fetch(new Request(input, init)),
  });
  return { uri: "built-in", server, client };
}
