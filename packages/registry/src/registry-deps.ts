import type { Clock } from "@mlops/core";
import type { AppDatabase } from "@mlops/db";
import type { MlflowClient } from "@mlops/mlflow";
import type { ProductionCriteria } from "./production-criteria";

/** What every registry use case needs; the app builds it once (see `createModelRegistry`). */
export interface RegistryDeps {
  /** The tracking server: MLflow, Databricks, or the built-in one. */
  mlflow: MlflowClient;
  /** The app database: alias history and the tracking outbox. */
  db: AppDatabase;
  /** @defaultValue DEFAULT_CRITERIA */
  criteria?: ProductionCriteria;
  /** @defaultValue systemClock */
  clock?: Clock;
}
