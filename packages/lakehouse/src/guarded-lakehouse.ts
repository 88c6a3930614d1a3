import type { Logger } from "@mlops/core";
import { type DestructiveAction, refuseDestructive, requireApproval, sqlAction } from "./destructive-guard";
import type { EngineDriver } from "./engine-driver";
import { LakehouseError } from "./errors";
import type { Lakehouse, TableDescription, VersionBefore } from "./lakehouse";
import { formatTableName, parseSchemaName, parseTableName, type TableName } from "./names/table-name";
import { classifySql, type SqlClassification } from "./sql/classify-sql";
import type { Row, SqlParams } from "./values";

export interface GuardedLakehouseOptions {
  logger: Logger;
}

/** Wraps an engine driver with the rules every lakehouse follows: classify, refuse or approve, record versions. */
export function createGuardedLakehouse(driver: EngineDriver, { logger }: GuardedLakehouseOptions): Lakehouse {
  const tableName = (name: string | TableName) => parseTableName(name, driver.defaults);

  const checked = (sql: string): SqlClassification => {
    const classification = classifySql(sql);
    if (classification.verdict === "destructive") {
      logger.warn({ sql, reasons: classification.reasons }, "refused destructive SQL without approval");
      refuseDestructive(sql, classification);
    }
    return classification;
  };

  const describe = async (name: TableName): Promise<TableDescription> => {
    const description = await driver.describeTable(name);
    if (description === undefined) {
      throw new LakehouseError("LAKEHOUSE_TABLE_NOT_FOUND", `Table ${formatTableName(name)} does not exist`, {
        hint: "Check the name with listTables, or create the table first.",
        context: { table: formatTableName(name) },
      });
    }
    return description;
  };

  const currentVersion = async (name: TableName): Promise<number | undefined> => {
    if (!driver.capabilities.tableVersions) return undefined;
    return (await driver.describeTable(name))?.version;
  };

  const versionsOf = async (targets: string[]): Promise<VersionBefore[]> => {
    if (!driver.capabilities.tableVersions) return [];
    const found: VersionBefore[] = [];
    for (const target of new Set(targets)) {
      let name: TableName;
      try {
        name = tableName(target);
      } catch {
        continue; // not a table name (a schema, a path): nothing to version
      }
      const version = await currentVersion(name).catch(() => undefined);
      if (version !== undefined) found.push({ table: name, version });
    }
    return found;
  };

  const approveWrite = async (action: DestructiveAction, guard: Parameters<typeof requireApproval>[0]) => {
    logger.info({ action }, "asking for approval of a destructive action");
    await requireApproval(guard, action);
  };

  return {
    engine: driver.engine,
    capabilities: driver.capabilities,
    defaults: driver.defaults,

    async query<T = Row>(sql: string, params?: SqlParams) {
      checked(sql);
      const { columns, rows } = await driver.run(sql, params);
      return { columns, rows: rows as T[] };
    },

    async execute(sql, params) {
      const classification = checked(sql);
      const { rowsAffected } = await driver.run(sql, params);
      return { classification, rowsAffected };
    },

    async executeDestructive(sql, { approvalGuard, params }) {
      const classification = classifySql(sql);
      const action = sqlAction(driver.engine, sql, params, classification);
      await approveWrite(action, approvalGuard);
      const targets = action.type === "lakehouse.sql" ? action.targets : [];
      const versionsBefore = await versionsOf(targets);
      const { rowsAffected } = await driver.run(sql, params);
      logger.info({ sql, versionsBefore }, "ran approved destructive SQL");
      return { classification, rowsAffected, action, versionsBefore };
    },

    stream<T = Row>(sql: string, params?: SqlParams, options: { batchSize?: number } = {}) {
      const batchSize = options.batchSize ?? 10_000;
      if (!Number.isInteger(batchSize) || batchSize < 1) {
        throw new LakehouseError(
          "LAKEHOUSE_INVALID_ARGUMENT",
          `batchSize must be a positive integer, got ${batchSize}`,
        );
      }
      checked(sql);
      return driver.stream(sql, params, batchSize) as AsyncIterable<T[]>;
    },

    listCatalogs: () => driver.listCatalogs(),
    listSchemas: async (catalog) =>
      driver.listSchemas(parseSchemaName({ catalog: catalog ?? driver.defaults.catalog, schema: "_" }).catalog),
    listTables: async (schema) => driver.listTables(parseSchemaName(schema ?? driver.defaults, driver.defaults)),
    describeTable: async (name) => describe(tableName(name)),
    async tableHistory(name, options = {}) {
      const parsed = tableName(name);
      if (!driver.capabilities.tableVersions) {
        await describe(parsed);
        return [];
      }
      return driver.tableHistory(parsed, options.limit ?? 100);
    },
    tableVersion: async (name) => (await describe(tableName(name))).version,
    tableExists: async (name) => (await driver.describeTable(tableName(name))) !== undefined,

    async ensureSchema(name) {
      const parsed = parseSchemaName(name, driver.defaults);
      await driver.ensureSchema(parsed);
      return parsed;
    },

    async writeRows(table, rows, options = {}) {
      const name = tableName(table);
      const mode = options.mode ?? "append";
      const keys = options.keys ?? [];
      if (mode === "merge" && keys.length === 0) {
        throw new LakehouseError("LAKEHOUSE_INVALID_ARGUMENT", "merge needs at least one key column", {
          hint: "Pass keys: the columns that identify a row.",
        });
      }
      let versionBefore: number | undefined;
      const exists = (await driver.describeTable(name)) !== undefined;
      if (mode !== "append" && exists) {
        const action: DestructiveAction = {
          type: "lakehouse.write",
          engine: driver.engine,
          table: formatTableName(name),
          mode,
          keys,
          rowCount: rows.length,
        };
        await approveWrite(action, options.approvalGuard);
        versionBefore = await currentVersion(name);
      }
      await driver.ensureSchema(name);
      const rowsWritten = rows.length === 0 ? 0 : await driver.writeRows(name, rows, mode, keys);
      return { table: name, mode, rowsWritten, versionBefore };
    },

    async ingestCsv(table, path, options = {}) {
      const name = tableName(table);
      const replace = options.mode === "overwrite" && (await driver.describeTable(name)) !== undefined;
      if (replace) {
        await approveWrite(
          {
            type: "lakehouse.write",
            engine: driver.engine,
            table: formatTableName(name),
            mode: "overwrite",
            keys: [],
            source: path,
          },
          options.approvalGuard,
        );
      }
      await driver.ensureSchema(name);
      const rowsWritten = await driver.ingestCsv(name, path, options, replace);
      return { table: name, rowsWritten };
    },

    close: () => driver.close(),
  };
}
