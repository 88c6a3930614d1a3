import type { Logger } from "@mlops/core";
import { inferColumns, toParam } from "../duckdb/infer-columns";
import type { EngineDriver, RawResult } from "../engine-driver";
import { LakehouseError, queryFailed } from "../errors";
import type { TableDescription, TableHistoryEntry } from "../lakehouse";
import { quoteIdentifier, quoteTableName, type SchemaName, type TableName } from "../names/table-name";
import type { Row, SqlParam, SqlParams } from "../values";
import type { DatabricksOperation, DatabricksSession } from "./databricks-session";
import { mapColumns, mapRows } from "./result-mapping";

export interface DatabricksDriverOptions {
  session: DatabricksSession;
  defaults: SchemaName;
  logger: Logger;
}

const q = (part: string) => quoteIdentifier(part, "databricks");
const literal = (text: string) => `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
const FETCH_ROWS = 10_000;
const INSERT_CHUNK = 200;
const SQL_TYPES = {
  BIGINT: "BIGINT",
  DOUBLE: "DOUBLE",
  BOOLEAN: "BOOLEAN",
  VARCHAR: "STRING",
  TIMESTAMP: "TIMESTAMP",
  JSON: "STRING",
};

const isNotFound = (error: unknown) =>
  /TABLE_OR_VIEW_NOT_FOUND|SCHEMA_NOT_FOUND|NO_SUCH_CATALOG|cannot be found|not found/i.test(
    error instanceof Error
      ? `${error.message} ${String((error.cause as Error | undefined)?.message ?? "")}`
      : String(error),
  );

/** The Databricks SQL engine (Delta tables, Unity Catalog), over a {@link DatabricksSession}. */
export function createDatabricksDriver({ session, defaults, logger }: DatabricksDriverOptions): EngineDriver {
  const start = async (sql: string, params: SqlParams | undefined): Promise<DatabricksOperation> => {
    const options: { namedParameters?: Record<string, SqlParam>; ordinalParameters?: SqlParam[] } = {};
    if (Array.isArray(params)) options.ordinalParameters = params.map(toParam);
    else if (params !== undefined) {
      options.namedParameters = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toParam(v)]));
    }
    logger.debug({ sql }, "databricks statement");
    return session.executeStatement(sql, options);
  };

  const run = async (sql: string, params?: SqlParams): Promise<RawResult> => {
    let operation: DatabricksOperation | undefined;
    try {
      operation = await start(sql, params);
      const rows: Row[] = [];
      do {
        rows.push(...mapRows(await operation.fetchChunk({ maxRows: FETCH_ROWS })));
      } while (await operation.hasMoreRows());
      const columns =
        mapColumns(await operation.getSchema?.()) ??
        Object.keys(rows[0] ?? {}).map((name) => ({ name, type: "UNKNOWN" }));
      const affected = rows.length === 1 ? (rows[0]?.num_affected_rows ?? rows[0]?.num_inserted_rows) : undefined;
      return { columns, rows, rowsAffected: typeof affected === "number" ? affected : undefined };
    } catch (error) {
      if (error instanceof LakehouseError) throw error;
      throw queryFailed(sql, params, error);
    } finally {
      await operation?.close().catch(() => undefined);
    }
  };

  const tableKind = async (name: TableName): Promise<"table" | "view" | undefined> => {
    try {
      const { rows } = await run(
        `SELECT table_type FROM ${q(name.catalog)}.information_schema.tables WHERE table_schema = :schema AND table_name = :table`,
        { schema: name.schema, table: name.table },
      );
      const type = rows[0]?.table_type;
      if (type === undefined) return undefined;
      return String(type).toUpperCase().includes("VIEW") ? "view" : "table";
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  };

  const history = async (name: TableName, limit: number): Promise<TableHistoryEntry[]> => {
    const { rows } = await run(
      `DESCRIBE HISTORY ${quoteTableName(name, "databricks")} LIMIT ${Math.max(1, Math.floor(limit))}`,
    );
    return rows.map((r) => ({
      version: Number(r.version),
      timestamp: String(r.timestamp),
      operation: String(r.operation),
      user: r.userName === null || r.userName === undefined ? undefined : String(r.userName),
      operationParameters: (typeof r.operationParameters === "object" && r.operationParameters !== null
        ? r.operationParameters
        : {}) as Record<string, unknown>,
    }));
  };

  const describeTable = async (name: TableName): Promise<TableDescription | undefined> => {
    const kind = await tableKind(name);
    if (kind === undefined) return undefined;
    const quoted = quoteTableName(name, "databricks");
    const columns = await run(
      `SELECT column_name, full_data_type, is_nullable FROM ${q(name.catalog)}.information_schema.columns
       WHERE table_schema = :schema AND table_name = :table ORDER BY ordinal_position`,
      { schema: name.schema, table: name.table },
    );
    const description: TableDescription = {
      name,
      kind,
      columns: columns.rows.map((c) => ({
        name: String(c.column_name),
        type: String(c.full_data_type).toUpperCase(),
        nullable: c.is_nullable === "YES",
      })),
      partitionColumns: [],
      rowCount: undefined,
      version: undefined,
      format: "view",
    };
    if (kind === "view") return description;
    const detail = (await run(`DESCRIBE DETAIL ${quoted}`)).rows[0] ?? {};
    description.format = String(detail.format ?? "delta");
    description.partitionColumns = Array.isArray(detail.partitionColumns) ? detail.partitionColumns.map(String) : [];
    // count(*) on Delta is answered from the transaction log's statistics.
    description.rowCount = Number((await run(`SELECT count(*) AS n FROM ${quoted}`)).rows[0]?.n);
    if (description.format === "delta") description.version = (await history(name, 1))[0]?.version;
    return description;
  };

  const insertSql = (verb: "INSERT INTO" | "INSERT OVERWRITE", table: string, columns: string[], count: number) =>
    `${verb} ${table} (${columns.map(q).join(", ")}) VALUES ${Array.from({ length: count }, () => `(${columns.map(() => "?").join(", ")})`).join(", ")}`;

  return {
    engine: "databricks",
    capabilities: { tableVersions: true },
    defaults,
    run,

    async *stream(sql, params, batchSize) {
      let operation: DatabricksOperation;
      try {
        operation = await start(sql, params);
      } catch (error) {
        throw queryFailed(sql, params, error);
      }
      try {
        do {
          const rows = mapRows(await operation.fetchChunk({ maxRows: batchSize }));
          if (rows.length > 0) yield rows;
        } while (await operation.hasMoreRows());
      } finally {
        await operation.close().catch(() => undefined);
      }
    },

    async listCatalogs() {
      const { rows } = await run("SHOW CATALOGS");
      return rows.map((r) => String(r.catalog ?? Object.values(r)[0])).sort();
    },
    async listSchemas(catalog) {
      const { rows } = await run(`SHOW SCHEMAS IN ${q(catalog)}`);
      return rows
        .map((r) => String(r.databaseName ?? r.namespace ?? Object.values(r)[0]))
        .filter((s) => s !== "information_schema")
        .sort();
    },
    async listTables(schema) {
      const { rows } = await run(
        `SELECT table_name, table_type FROM ${q(schema.catalog)}.information_schema.tables WHERE table_schema = :schema ORDER BY table_name`,
        { schema: schema.schema },
      );
      return rows.map((r) => ({
        name: { ...schema, table: String(r.table_name) },
        kind: String(r.table_type).toUpperCase().includes("VIEW") ? "view" : "table",
      }));
    },

    describeTable,
    tableHistory: history,

    async ensureSchema(name) {
      await run(`CREATE SCHEMA IF NOT EXISTS ${q(name.catalog)}.${q(name.schema)}`);
    },

    async writeRows(table, rows, mode, keys) {
      const quoted = quoteTableName(table, "databricks");
      const columns = inferColumns(rows);
      const names = columns.map((c) => c.name);
      await run(
        `CREATE TABLE IF NOT EXISTS ${quoted} (${columns.map((c) => `${q(c.name)} ${SQL_TYPES[c.type]}`).join(", ")})`,
      );
      for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
        const chunk = rows.slice(at, at + INSERT_CHUNK);
        const values = chunk.flatMap((row) => names.map((n) => toParam(row[n])));
        if (mode === "merge") {
          const source = `SELECT * FROM VALUES ${chunk.map(() => `(${names.map(() => "?").join(", ")})`).join(", ")} AS s(${names.map(q).join(", ")})`;
          const on = keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(" AND ");
          await run(
            `MERGE INTO ${quoted} AS t USING (${source}) AS s ON ${on} WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`,
            values,
          );
        } else {
          const verb = mode === "overwrite" && at === 0 ? "INSERT OVERWRITE" : "INSERT INTO";
          await run(insertSql(verb, quoted, names, chunk.length), values);
        }
      }
      return rows.length;
    },

    async ingestCsv(table, path, options, replace) {
      const quoted = quoteTableName(table, "databricks");
      await run(`${replace ? "CREATE OR REPLACE TABLE" : "CREATE TABLE IF NOT EXISTS"} ${quoted}`);
      const format = [`'header' = '${options.header ?? true}'`, "'inferSchema' = 'true'"];
      if (options.delimiter !== undefined) format.push(`'delimiter' = ${literal(options.delimiter)}`);
      const result = await run(
        `COPY INTO ${quoted} FROM ${literal(path)} FILEFORMAT = CSV FORMAT_OPTIONS (${format.join(", ")}) COPY_OPTIONS ('mergeSchema' = 'true')`,
      );
      return result.rowsAffected ?? 0;
    },

    close: async () => {
      await session.close();
    },
  };
}
