import type { Logger } from "@mlops/core";
import { LakehouseError } from "../errors";
import type { DatabricksSession } from "./databricks-session";

export interface ConnectDatabricksOptions {
  host: string;
  token: string;
  httpPath: string;
  catalog: string;
  schema: string;
  logger: Logger;
}

/** Opens a session on a SQL warehouse with the real driver. The driver's own logs go to ours at debug level. */
export async function connectDatabricks(options: ConnectDatabricksOptions): Promise<DatabricksSession> {
  const { logger } = options;
  if (/^http:\/\//i.test(options.host)) {
    throw new LakehouseError("LAKEHOUSE_CONNECTION_FAILED", "Databricks is reached over HTTPS only", {
      hint: "Give the workspace host name without http://, e.g. adb-123.4.azuredatabricks.net.",
      context: { host: options.host },
    });
  }
  const host = options.host.replace(/^https:\/\//i, "").replace(/\/+$/, "");
  const quietLogger = {
    log: (level: string, message: string) => logger.debug({ driver: "databricks", level }, message),
  };
  // Loaded on use: the driver and its native dependencies stay out of processes that never reach Databricks.
  const { default: databricks } = await import("@databricks/sql");
  const client = new databricks.DBSQLClient({ logger: quietLogger as never });
  try {
    await client.connect({ host, path: options.httpPath, token: options.token });
    const session = await client.openSession({ initialCatalog: options.catalog, initialSchema: options.schema });
    return {
      executeStatement: (sql, statementOptions) => session.executeStatement(sql, statementOptions),
      async close() {
        await session.close();
        await client.close();
      },
    };
  } catch (cause) {
    await client.close().catch(() => undefined);
    throw new LakehouseError("LAKEHOUSE_CONNECTION_FAILED", `Could not connect to Databricks at ${host}`, {
      hint: "Check the host, the warehouse HTTP path and that the token is valid.",
      context: { host, httpPath: options.httpPath },
      cause,
    });
  }
}
