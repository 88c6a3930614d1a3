import { type Logger, silentLogger } from "@mlops/core";
import { connectDatabricks } from "./databricks/connect-databricks";
import { createDatabricksDriver } from "./databricks/databricks-driver";
import { createGuardedLakehouse } from "./guarded-lakehouse";
import type { Lakehouse } from "./lakehouse";

interface CommonOptions {
  /** @defaultValue silentLogger */
  logger?: Logger;
}

/** The embedded default: a DuckDB file; other catalogs are files beside it (`<stem>.<catalog>.duckdb`). */
export interface DuckDbLakehouseOptions extends CommonOptions {
  engine: "duckdb";
  /** File of the default catalog, e.g. `.mlops/lakehouse.duckdb`. */
  path: string;
  /** @defaultValue "main" (Unity Catalog's default) */
  defaultCatalog?: string;
  /** @defaultValue "default" */
  defaultSchema?: string;
}

/** A Databricks SQL warehouse (always HTTPS). */
export interface DatabricksLakehouseOptions extends CommonOptions {
  engine: "databricks";
  /** Workspace host name, e.g. `adb-123.4.azuredatabricks.net` (no scheme). */
  host: string;
  token: string;
  /** Warehouse HTTP path, e.g. `/sql/1.0/warehouses/abc`. */
  httpPath: string;
  /** @defaultValue "main" */
  catalog?: string;
  /** @defaultValue "default" */
  schema?: string;
}

export type LakehouseOptions = DuckDbLakehouseOptions | DatabricksLakehouseOptions;

/** Opens the configured lakehouse engine behind the one {@link Lakehouse} interface. */
export async function createLakehouse(options: LakehouseOptions): Promise<Lakehouse> {
  const logger = options.logger ?? silentLogger();
  if (options.engine === "duckdb") {
    // Loaded on use, like the Databricks driver: DuckDB's native library stays out of processes that need no lakehouse.
    const { createDuckDbDriver } = await import("./duckdb/duckdb-driver");
    const driver = await createDuckDbDriver({
      path: options.path,
      defaultCatalog: options.defaultCatalog ?? "main",
      defaultSchema: options.defaultSchema ?? "default",
      logger,
    });
    return createGuardedLakehouse(driver, { logger });
  }
  const defaults = { catalog: options.catalog ?? "main", schema: options.schema ?? "default" };
  const session = await connectDatabricks({ ...options, ...defaults, logger });
  return createGuardedLakehouse(createDatabricksDriver({ session, defaults, logger }), { logger });
}
