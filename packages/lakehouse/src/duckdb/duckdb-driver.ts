import { mkdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBResultReader, type DuckDBValue } from "@duckdb/node-api";
import type { Logger } from "@mlops/core";
import type { EngineDriver, RawResult } from "../engine-driver";
import { LakehouseError, queryFailed } from "../errors";
import type { TableDescription, TableSummary } from "../lakehouse";
import { formatTableName, quoteIdentifier, type SchemaName, type TableName } from "../names/table-name";
import type { Row, SqlParams } from "../values";
import { catalogAlias, catalogFromAlias, checkCatalogName } from "./catalog-aliases";
import { convertValue } from "./convert-value";
import { inferColumns, toParam } from "./infer-columns";
import { rewriteForDuckDb } from "./rewrite-sql";

export interface DuckDbDriverOptions {
  path: string;
  defaultCatalog: string;
  defaultSchema: string;
  logger: Logger;
}

const q = (part: string) => quoteIdentifier(part, "duckdb");
const qualified = (name: TableName) => `${q(catalogAlias(name.catalog))}.${q(name.schema)}.${q(name.table)}`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
const INSERT_CHUNK = 500;

/** Opens the DuckDB engine: `path` holds the default catalog; every other catalog is a file beside it. */
export async function createDuckDbDriver(options: DuckDbDriverOptions): Promise<EngineDriver> {
  const { path, logger } = options;
  const defaults = { catalog: checkCatalogName(options.defaultCatalog), schema: options.defaultSchema };
  const dir = dirname(path);
  const stem = basename(path, extname(path));
  const fileFor = (catalog: string) => (catalog === defaults.catalog ? path : join(dir, `${stem}.${catalog}.duckdb`));

  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(":memory:", { temp_directory: join(dir, `${stem}.tmp`) });
  const connection = await instance.connect();
  const attached = new Set<string>();
  let queue: Promise<unknown> = Promise.resolve();

  /** One statement at a time on the shared connection; a unit may hold it for several statements. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const toValues = (params: SqlParams | undefined): DuckDBValue[] | Record<string, DuckDBValue> | undefined => {
    if (params === undefined) return undefined;
    if (Array.isArray(params)) return params.map((p) => toParam(p) as DuckDBValue);
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toParam(v) as DuckDBValue]));
  };

  const readRows = (reader: DuckDBResultReader): Row[] => {
    const types = reader.columnTypes();
    const names = reader.columnNames();
    return reader.getRowsJson().map((values) => {
      const row: Row = {};
      names.forEach((name, k) => {
        row[name] = convertValue(values[k] ?? null, types[k]!);
      });
      return row;
    });
  };

  const runOn = async (conn: DuckDBConnection, sql: string, params?: SqlParams): Promise<RawResult> => {
    let rewritten = sql;
    try {
      rewritten = rewriteForDuckDb(sql);
      const reader = await conn.runAndReadAll(rewritten, toValues(params));
      const columns = reader.columnNames().map((name, k) => ({ name, type: reader.columnType(k).toString() }));
      return { columns, rows: readRows(reader), rowsAffected: reader.rowsChanged };
    } catch (error) {
      throw translateError(error, sql, params);
    }
  };
  const run = (sql: string, params?: SqlParams) => exclusive(() => runOn(connection, sql, params));

  const attach = async (catalog: string) => {
    if (attached.has(catalog)) return;
    checkCatalogName(catalog);
    await runOn(connection, `ATTACH ${literal(fileFor(catalog))} AS ${q(catalogAlias(catalog))}`);
    attached.add(catalog);
  };

  const ensureSchema = (name: SchemaName) =>
    exclusive(async () => {
      await attach(name.catalog);
      await runOn(connection, `CREATE SCHEMA IF NOT EXISTS ${q(catalogAlias(name.catalog))}.${q(name.schema)}`);
    });

  // Attach the default catalog and every catalog file already beside it, then make defaults current.
  await attach(defaults.catalog);
  const prefix = `${stem}.`;
  for (const file of await readdir(dir)) {
    if (file.startsWith(prefix) && file.endsWith(".duckdb")) {
      const catalog = file.slice(prefix.length, -".duckdb".length);
      if (/^[a-z_][a-z0-9_]*$/.test(catalog)) await attach(catalog);
    }
  }
  await ensureSchema(defaults);
  const useDefaults = `USE ${q(catalogAlias(defaults.catalog))}.${q(defaults.schema)}`;
  await run(useDefaults);
  logger.debug({ path, catalogs: [...attached] }, "duckdb lakehouse opened");

  const describeTable = async (name: TableName): Promise<TableDescription | undefined> => {
    if (!attached.has(name.catalog)) return undefined;
    const where = [catalogAlias(name.catalog), name.schema, name.table];
    const found = await run(
      `SELECT 'table' AS kind FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?
       UNION ALL SELECT 'view' FROM duckdb_views() WHERE database_name = ? AND schema_name = ? AND view_name = ?`,
      [...where, ...where],
    );
    const kind = found.rows[0]?.kind;
    if (kind !== "table" && kind !== "view") return undefined;
    const columns = await run(
      `SELECT column_name, data_type, is_nullable FROM duckdb_columns()
       WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index`,
      where,
    );
    const rowCount =
      kind === "table" ? Number((await run(`SELECT count(*) AS n FROM ${qualified(name)}`)).rows[0]?.n) : undefined;
    return {
      name,
      kind,
      columns: columns.rows.map((c) => ({
        name: String(c.column_name),
        type: String(c.data_type),
        nullable: c.is_nullable === true,
      })),
      partitionColumns: [],
      rowCount,
      version: undefined,
      format: "duckdb",
    };
  };

  const insertChunks = async (target: string, rows: readonly Row[], columns: string[]) => {
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      const chunk = rows.slice(start, start + INSERT_CHUNK);
      const placeholders = chunk.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ");
      const values = chunk.flatMap((row) => columns.map((c) => toParam(row[c])));
      await runOn(connection, `INSERT INTO ${target} (${columns.map(q).join(", ")}) VALUES ${placeholders}`, values);
    }
  };

  return {
    engine: "duckdb",
    capabilities: { tableVersions: false },
    defaults,
    run,

    async *stream(sql, params, batchSize) {
      const conn = await instance.connect();
      try {
        await runOn(conn, useDefaults);
        let result: Awaited<ReturnType<DuckDBConnection["stream"]>>;
        try {
          result = await conn.stream(rewriteForDuckDb(sql), toValues(params));
        } catch (error) {
          throw translateError(error, sql, params);
        }
        const types = result.columnTypes();
        const names = result.columnNames();
        let batch: Row[] = [];
        for await (const rows of result.yieldRowsJson()) {
          for (const values of rows) {
            const row: Row = {};
            names.forEach((name, k) => {
              row[name] = convertValue(values[k] ?? null, types[k]!);
            });
            batch.push(row);
            if (batch.length >= batchSize) {
              yield batch;
              batch = [];
            }
          }
        }
        if (batch.length > 0) yield batch;
      } finally {
        conn.closeSync();
      }
    },

    async listCatalogs() {
      const { rows } = await run("SELECT database_name FROM duckdb_databases() WHERE NOT internal");
      return rows
        .map((r) => catalogFromAlias(String(r.database_name)))
        .filter((c): c is string => c !== undefined)
        .sort();
    },

    async listSchemas(catalog) {
      if (!attached.has(catalog)) return [];
      const { rows } = await run(
        `SELECT s.schema_name, (SELECT count(*) FROM duckdb_tables() t
           WHERE t.database_name = s.database_name AND t.schema_name = s.schema_name) AS tables
         FROM duckdb_schemas() s WHERE s.database_name = ? ORDER BY s.schema_name`,
        [catalogAlias(catalog)],
      );
      // DuckDB's own `main` schema exists in every file; show it only when someone put tables in it.
      return rows
        .filter((r) => !["information_schema", "pg_catalog"].includes(String(r.schema_name)))
        .filter((r) => r.schema_name !== "main" || Number(r.tables) > 0)
        .map((r) => String(r.schema_name));
    },

    async listTables(schema) {
      if (!attached.has(schema.catalog)) return [];
      const args = [catalogAlias(schema.catalog), schema.schema];
      const { rows } = await run(
        `SELECT table_name AS name, 'table' AS kind FROM duckdb_tables() WHERE database_name = ? AND schema_name = ?
         UNION ALL SELECT view_name, 'view' FROM duckdb_views() WHERE database_name = ? AND schema_name = ? AND NOT internal
         ORDER BY name`,
        [...args, ...args],
      );
      return rows.map(
        (r): TableSummary => ({
          name: { catalog: schema.catalog, schema: schema.schema, table: String(r.name) },
          kind: r.kind === "view" ? "view" : "table",
        }),
      );
    },

    describeTable,
    tableHistory: async () => [],
    ensureSchema,

    writeRows: (table, rows, mode, keys) =>
      exclusive(async () => {
        const target = qualified(table);
        const columns = inferColumns(rows);
        const names = columns.map((c) => c.name);
        const stage = q(`__lakehouse_stage_${Math.random().toString(36).slice(2)}`);
        await runOn(
          connection,
          `CREATE TEMP TABLE ${stage} (${columns.map((c) => `${q(c.name)} ${c.type}`).join(", ")})`,
        );
        try {
          await insertChunks(stage, rows, names);
          const exists =
            (
              await runOn(
                connection,
                `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?`,
                [catalogAlias(table.catalog), table.schema, table.table],
              )
            ).rows[0]?.n === 1;
          if (!exists) {
            await runOn(connection, `CREATE TABLE ${target} AS SELECT * FROM ${stage}`);
            return rows.length;
          }
          await runOn(connection, "BEGIN TRANSACTION");
          try {
            if (mode === "overwrite") await runOn(connection, `DELETE FROM ${target}`);
            if (mode === "merge") {
              const on = keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(" AND ");
              const set = names.filter((n) => !keys.includes(n)).map((n) => `${q(n)} = s.${q(n)}`);
              await runOn(
                connection,
                `MERGE INTO ${target} AS t USING ${stage} AS s ON ${on}
                 ${set.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${set.join(", ")}` : ""}
                 WHEN NOT MATCHED THEN INSERT (${names.map(q).join(", ")}) VALUES (${names.map((n) => `s.${q(n)}`).join(", ")})`,
              );
            } else {
              await runOn(connection, `INSERT INTO ${target} BY NAME SELECT * FROM ${stage}`);
            }
            await runOn(connection, "COMMIT");
          } catch (error) {
            await runOn(connection, "ROLLBACK").catch(() => undefined);
            throw error;
          }
          return rows.length;
        } finally {
          await runOn(connection, `DROP TABLE IF EXISTS ${stage}`);
        }
      }),

    ingestCsv: (table, file, options, replace) =>
      exclusive(async () => {
        const settings = [`header = ${options.header ?? true}`];
        if (options.delimiter !== undefined) settings.push(`delim = ${literal(options.delimiter)}`);
        const source = `read_csv(${literal(file)}, ${settings.join(", ")})`;
        const target = qualified(table);
        const exists =
          (
            await runOn(
              connection,
              `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?`,
              [catalogAlias(table.catalog), table.schema, table.table],
            )
          ).rows[0]?.n === 1;
        const sql = !exists
          ? `CREATE TABLE ${target} AS SELECT * FROM ${source}`
          : replace
            ? `CREATE OR REPLACE TABLE ${target} AS SELECT * FROM ${source}`
            : `INSERT INTO ${target} BY NAME SELECT * FROM ${source}`;
        const result = await runOn(connection, sql);
        logger.debug({ table: formatTableName(table), file }, "csv ingested in duckdb");
        // CREATE TABLE AS reports its row count as a `Count` row, not as rows changed.
        return Number(result.rows[0]?.Count ?? result.rowsAffected ?? 0);
      }),

    async close() {
      await queue;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function translateError(error: unknown, sql: string, params: unknown): LakehouseError {
  if (error instanceof LakehouseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const missing = /Table with name (\S+) does not exist/.exec(message);
  if (missing) {
    return new LakehouseError("LAKEHOUSE_TABLE_NOT_FOUND", `Table ${missing[1]} does not exist`, {
      hint: "Check the name with listTables, or create the table first.",
      context: { sql, params },
      cause: error,
    });
  }
  return queryFailed(sql, params, error);
}
