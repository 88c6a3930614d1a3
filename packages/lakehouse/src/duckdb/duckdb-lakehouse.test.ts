import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLakehouse } from "../create-lakehouse";
import { isLakehouseError } from "../errors";
import type { Lakehouse } from "../lakehouse";
import { lakehouseSuite } from "../testing/lakehouse-suite";

async function openTemp() {
  const dir = await mkdtemp(join(tmpdir(), "lakehouse-"));
  const lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lake.duckdb") });
  return { dir, lakehouse };
}

lakehouseSuite(
  "duckdb",
  async () => {
    const { dir, lakehouse } = await openTemp();
    await lakehouse.ensureSchema("main.suite");
    await lakehouse.writeRows("main.suite.items", [
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    // DuckDB has no statement hook: record what reached the engine through the public methods.
    const sent: string[] = [];
    const wrapped: Lakehouse = {
      ...lakehouse,
      execute: async (sql, params) => {
        const result = await lakehouse.execute(sql, params);
        sent.push(sql);
        return result;
      },
      executeDestructive: async (sql, options) => {
        const result = await lakehouse.executeDestructive(sql, options);
        sent.push(sql);
        return result;
      },
    };
    return {
      lakehouse: wrapped,
      sent: () => sent,
      close: async () => {
        await lakehouse.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { storesData: true },
);

describe("duckdb engine", () => {
  let dir: string;
  let lakehouse: Lakehouse;
  beforeEach(async () => {
    ({ dir, lakehouse } = await openTemp());
  });
  afterEach(async () => {
    await lakehouse.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("maps Unity Catalog's main catalog and keeps catalogs as files across reopen", async () => {
    await lakehouse.ensureSchema("main.bronze");
    await lakehouse.ensureSchema("dev.bronze");
    await lakehouse.execute("CREATE TABLE main.bronze.t AS SELECT 1 AS x");
    await lakehouse.execute("CREATE TABLE `dev`.`bronze`.`t` AS SELECT 2 AS x");
    expect(await lakehouse.listCatalogs()).toEqual(["dev", "main"]);
    expect(await lakehouse.listSchemas("main")).toEqual(["bronze", "default"]);
    await lakehouse.close();
    lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lake.duckdb") });
    expect(await lakehouse.listCatalogs()).toEqual(["dev", "main"]);
    const { rows } = await lakehouse.query("SELECT a.x AS a, b.x AS b FROM main.bronze.t a, dev.bronze.t b");
    expect(rows).toEqual([{ a: 1, b: 2 }]);
  });

  it("resolves unqualified names in the default catalog and schema", async () => {
    await lakehouse.execute("CREATE TABLE plain AS SELECT 42 AS answer");
    expect((await lakehouse.describeTable("main.default.plain")).rowCount).toBe(1);
    expect((await lakehouse.query("SELECT answer FROM main.default.plain")).rows).toEqual([{ answer: 42 }]);
  });

  it("converts BIGINT and DECIMAL to numbers when exact, strings otherwise", async () => {
    const { rows, columns } = await lakehouse.query(
      `SELECT 42::BIGINT AS big, 9007199254740993::BIGINT AS huge, 1.25::DECIMAL(10,2) AS dec,
              12345678901234567.89::DECIMAL(20,2) AS wide, [1, 2]::BIGINT[] AS list, {'n': 3::BIGINT} AS s`,
    );
    expect(rows).toEqual([
      { big: 42, huge: "9007199254740993", dec: 1.25, wide: "12345678901234567.89", list: [1, 2], s: { n: 3 } },
    ]);
    expect(columns.map((c) => c.type)).toEqual([
      "BIGINT",
      "BIGINT",
      "DECIMAL(10,2)",
      "DECIMAL(20,2)",
      "BIGINT[]",
      'STRUCT("n" BIGINT)',
    ]);
  });

  it("has no table versions and says so", async () => {
    await lakehouse.writeRows("main.default.v", [{ a: 1 }]);
    expect(lakehouse.capabilities.tableVersions).toBe(false);
    expect(await lakehouse.tableVersion("main.default.v")).toBeUndefined();
    expect(await lakehouse.tableHistory("main.default.v")).toEqual([]);
    const result = await lakehouse.executeDestructive("DROP TABLE main.default.v", {
      approvalGuard: async () => undefined,
    });
    expect(result.versionsBefore).toEqual([]);
    expect(await lakehouse.tableExists("main.default.v")).toBe(false);
  });

  it("ingests a CSV inside DuckDB and needs approval to overwrite", async () => {
    const csv = join(dir, "churn.csv");
    await writeFile(csv, "customer_id,tenure,churned\n1,12,true\n2,3,false\n3,40,false\n");
    const first = await lakehouse.ingestCsv("main.bronze.churn", csv);
    expect(first.rowsWritten).toBe(3);
    await lakehouse.ingestCsv("main.bronze.churn", csv);
    expect((await lakehouse.describeTable("main.bronze.churn")).rowCount).toBe(6);
    const refused = await lakehouse.ingestCsv("main.bronze.churn", csv, { mode: "overwrite" }).catch((e: unknown) => e);
    expect(isLakehouseError(refused, "LAKEHOUSE_DESTRUCTIVE_REFUSED")).toBe(true);
    await lakehouse.ingestCsv("main.bronze.churn", csv, { mode: "overwrite", approvalGuard: async () => undefined });
    const description = await lakehouse.describeTable("main.bronze.churn");
    expect(description.rowCount).toBe(3);
    expect(description.columns.map((c) => [c.name, c.type])).toEqual([
      ["customer_id", "BIGINT"],
      ["tenure", "BIGINT"],
      ["churned", "BOOLEAN"],
    ]);
  });

  it("wraps engine errors with the SQL and parameters", async () => {
    const error = await lakehouse
      .query("SELECT nope FROM main.default.missing WHERE x = ?", [1])
      .catch((e: unknown) => e);
    expect(isLakehouseError(error, "LAKEHOUSE_TABLE_NOT_FOUND")).toBe(true);
    const syntax = await lakehouse.query("SELECT FROM WHERE", []).catch((e: unknown) => e);
    expect(isLakehouseError(syntax, "LAKEHOUSE_QUERY_FAILED")).toBe(true);
    expect((syntax as { context: unknown }).context).toEqual({ sql: "SELECT FROM WHERE", params: [] });
  });

  it("rejects catalog names that cannot be files", async () => {
    const error = await lakehouse.ensureSchema("`../evil`.s").catch((e: unknown) => e);
    expect(isLakehouseError(error, "LAKEHOUSE_INVALID_NAME")).toBe(true);
  });
});
