import { silentLogger } from "@mlops/core";
import { describe, expect, it } from "vitest";
import { createLakehouse } from "../create-lakehouse";
import { isLakehouseError } from "../errors";
import { createGuardedLakehouse } from "../guarded-lakehouse";
import { lakehouseSuite } from "../testing/lakehouse-suite";
import { createRecordingSession, type Responder } from "../testing/recording-session";
import { createDatabricksDriver } from "./databricks-driver";
import { mapColumns, plainValue } from "./result-mapping";

/** Answers like a warehouse holding one Delta table `main.suite.items` at version 7, partitioned by `name`. */
const warehouse: Responder = ({ sql }) => {
  if (sql.includes("information_schema.tables") && sql.includes("table_name = :table")) {
    return { rows: [{ table_type: "MANAGED" }] };
  }
  if (sql.includes("information_schema.tables")) {
    return {
      rows: [
        { table_name: "items", table_type: "MANAGED" },
        { table_name: "recent", table_type: "VIEW" },
      ],
    };
  }
  if (sql.includes("information_schema.columns")) {
    return {
      rows: [
        { column_name: "id", full_data_type: "bigint", is_nullable: "NO" },
        { column_name: "name", full_data_type: "string", is_nullable: "YES" },
      ],
    };
  }
  if (sql.startsWith("DESCRIBE DETAIL")) return { rows: [{ format: "delta", partitionColumns: ["name"] }] };
  if (sql.startsWith("DESCRIBE HISTORY")) {
    return {
      rows: [
        {
          version: 7n,
          timestamp: new Date("2024-05-01T00:00:00Z"),
          operation: "WRITE",
          userName: "me",
          operationParameters: { mode: "Append" },
        },
        {
          version: 6n,
          timestamp: new Date("2024-04-30T00:00:00Z"),
          operation: "CREATE TABLE",
          userName: null,
          operationParameters: {},
        },
      ],
    };
  }
  if (sql.startsWith("SELECT count(*)")) return { rows: [{ n: 2n }] };
  if (sql === "SHOW CATALOGS") return { rows: [{ catalog: "samples" }, { catalog: "main" }] };
  if (sql.startsWith("SHOW SCHEMAS"))
    return { rows: [{ databaseName: "suite" }, { databaseName: "information_schema" }] };
  if (sql.startsWith("SELECT * FROM big")) return { rows: Array.from({ length: 25 }, (_, i) => ({ i })) };
  if (sql.startsWith("DELETE")) return { rows: [{ num_affected_rows: 1n }] };
  if (sql.startsWith("SELECT * FROM broken")) throw new Error("[UNRESOLVED_COLUMN] x cannot be resolved");
  return undefined;
};

function open() {
  const recording = createRecordingSession(warehouse);
  const driver = createDatabricksDriver({
    session: recording.session,
    defaults: { catalog: "main", schema: "default" },
    logger: silentLogger(),
  });
  return { ...recording, lakehouse: createGuardedLakehouse(driver, { logger: silentLogger() }) };
}

lakehouseSuite(
  "databricks adapter (recording session)",
  async () => {
    const { lakehouse, statements } = open();
    return { lakehouse, sent: () => statements.map((s) => s.sql), close: () => lakehouse.close() };
  },
  { storesData: false },
);

describe("databricks engine at the adapter seam", () => {
  it("records the table version before a destructive statement runs", async () => {
    const { lakehouse, statements } = open();
    const result = await lakehouse.executeDestructive("DELETE FROM main.suite.items WHERE id = 1", {
      approvalGuard: async () => undefined,
    });
    expect(result.versionsBefore).toEqual([
      { table: { catalog: "main", schema: "suite", table: "items" }, version: 7 },
    ]);
    expect(result.rowsAffected).toBe(1);
    const sqls = statements.map((s) => s.sql);
    expect(sqls.indexOf("DESCRIBE HISTORY `main`.`suite`.`items` LIMIT 1")).toBeLessThan(
      sqls.indexOf("DELETE FROM main.suite.items WHERE id = 1"),
    );
    expect(sqls.at(-1)).toBe("DELETE FROM main.suite.items WHERE id = 1");
  });

  it("describes a Delta table: columns, partitioning, row count and version", async () => {
    const { lakehouse } = open();
    expect(await lakehouse.describeTable("main.suite.items")).toEqual({
      name: { catalog: "main", schema: "suite", table: "items" },
      kind: "table",
      columns: [
        { name: "id", type: "BIGINT", nullable: false },
        { name: "name", type: "STRING", nullable: true },
      ],
      partitionColumns: ["name"],
      rowCount: 2,
      version: 7,
      format: "delta",
    });
  });

  it("maps history, catalogs, schemas and tables", async () => {
    const { lakehouse, statements } = open();
    const history = await lakehouse.tableHistory("suite.items", { limit: 2 });
    expect(statements.at(-1)?.sql).toBe("DESCRIBE HISTORY `main`.`suite`.`items` LIMIT 2");
    expect(history[0]).toEqual({
      version: 7,
      timestamp: "2024-05-01T00:00:00.000Z",
      operation: "WRITE",
      user: "me",
      operationParameters: { mode: "Append" },
    });
    expect(history[1]?.user).toBeUndefined();
    expect(await lakehouse.listCatalogs()).toEqual(["main", "samples"]);
    expect(await lakehouse.listSchemas()).toEqual(["suite"]);
    expect(await lakehouse.listTables("main.suite")).toEqual([
      { name: { catalog: "main", schema: "suite", table: "items" }, kind: "table" },
      { name: { catalog: "main", schema: "suite", table: "recent" }, kind: "view" },
    ]);
  });

  it("sends positional and named parameters the way the driver takes them", async () => {
    const { lakehouse, statements } = open();
    await lakehouse.query("SELECT * FROM t WHERE a = ? AND b = ?", [1, new Date("2024-01-01T00:00:00Z")]);
    await lakehouse.query("SELECT * FROM t WHERE a = :a", { a: "x" });
    expect(statements.map((s) => s.params)).toEqual([[1, "2024-01-01T00:00:00.000Z"], { a: "x" }]);
  });

  it("merges with Delta MERGE syntax after approval, recording the version", async () => {
    const { lakehouse, statements } = open();
    const result = await lakehouse.writeRows("main.suite.items", [{ id: 1, name: "A" }], {
      mode: "merge",
      keys: ["id"],
      approvalGuard: async () => undefined,
    });
    expect(result.versionBefore).toBe(7);
    const merge = statements.at(-1)!;
    expect(merge.sql).toBe(
      "MERGE INTO `main`.`suite`.`items` AS t USING (SELECT * FROM VALUES (?, ?) AS s(`id`, `name`)) AS s ON t.`id` = s.`id` WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
    );
    expect(merge.params).toEqual([1, "A"]);
  });

  it("overwrites with INSERT OVERWRITE and ingests CSV with COPY INTO", async () => {
    const { lakehouse, statements } = open();
    await lakehouse.writeRows("main.suite.items", [{ id: 1, name: "a" }], {
      mode: "overwrite",
      approvalGuard: async () => undefined,
    });
    expect(statements.at(-1)?.sql).toBe("INSERT OVERWRITE `main`.`suite`.`items` (`id`, `name`) VALUES (?, ?)");
    await lakehouse.ingestCsv("main.bronze.raw", "/Volumes/main/raw/files/churn.csv", { delimiter: ";" });
    expect(statements.at(-1)?.sql).toBe(
      "COPY INTO `main`.`bronze`.`raw` FROM '/Volumes/main/raw/files/churn.csv' FILEFORMAT = CSV FORMAT_OPTIONS ('header' = 'true', 'inferSchema' = 'true', 'delimiter' = ';') COPY_OPTIONS ('mergeSchema' = 'true')",
    );
  });

  it("streams in batches of the requested size", async () => {
    const { lakehouse } = open();
    const sizes: number[] = [];
    for await (const batch of lakehouse.stream("SELECT * FROM big", undefined, { batchSize: 10 }))
      sizes.push(batch.length);
    expect(sizes).toEqual([10, 10, 5]);
  });

  it("wraps driver errors with the SQL, parameters and cause", async () => {
    const { lakehouse } = open();
    const error = await lakehouse.query("SELECT * FROM broken WHERE x = ?", [1]).catch((e: unknown) => e);
    expect(isLakehouseError(error, "LAKEHOUSE_QUERY_FAILED")).toBe(true);
    expect((error as { context: unknown }).context).toEqual({ sql: "SELECT * FROM broken WHERE x = ?", params: [1] });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it("maps driver values and the Thrift schema", () => {
    expect(plainValue(9007199254740993n)).toBe("9007199254740993");
    expect(plainValue({ toNumber: () => 5 })).toBe(5);
    expect(plainValue([1n, { d: new Date("2024-01-01T00:00:00Z") }])).toEqual([1, { d: "2024-01-01T00:00:00.000Z" }]);
    expect(
      mapColumns({
        columns: [{ columnName: "id", typeDesc: { types: [{ primitiveEntry: { type: 4 } }] } }, { columnName: "x" }],
      }),
    ).toEqual([
      { name: "id", type: "BIGINT" },
      { name: "x", type: "UNKNOWN" },
    ]);
    const bad = (() => {
      try {
        mapColumns({ columns: "nope" });
      } catch (error) {
        return error;
      }
    })();
    expect(isLakehouseError(bad, "LAKEHOUSE_UNEXPECTED_RESPONSE")).toBe(true);
  });

  it("refuses plain HTTP before connecting", async () => {
    const error = await createLakehouse({
      engine: "databricks",
      host: "http://example.com",
      token: "t",
      httpPath: "/sql",
    }).catch((e: unknown) => e);
    expect(isLakehouseError(error, "LAKEHOUSE_CONNECTION_FAILED")).toBe(true);
  });
});
