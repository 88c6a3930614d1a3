import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DestructiveAction } from "../destructive-guard";
import { isLakehouseError } from "../errors";
import type { Lakehouse } from "../lakehouse";

export interface SuiteHarness {
  lakehouse: Lakehouse;
  /** SQL statements the engine sent so far (from a recording hook or session). */
  sent(): string[];
  close(): Promise<void>;
}

export interface SuiteOptions {
  /** Whether the engine really stores data (DuckDB) or only records SQL (the Databricks adapter fake). */
  storesData: boolean;
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

/**
 * The behaviour every lakehouse engine shares, run once per engine (like drizzle's `pg-common.ts`).
 * `setup` prepares a table `main.suite.items` with rows (1, 'a'), (2, 'b').
 */
export function lakehouseSuite(name: string, setup: () => Promise<SuiteHarness>, options: SuiteOptions): void {
  describe(`lakehouse suite: ${name}`, () => {
    let h: SuiteHarness;
    beforeEach(async () => {
      h = await setup();
    });
    afterEach(async () => {
      await h.close();
    });

    const countItems = async () => (await h.lakehouse.query("SELECT count(*) AS n FROM main.suite.items")).rows[0]?.n;

    it("refuses destructive SQL on execute, query and stream, and runs nothing", async () => {
      const before = h.sent().length;
      for (const attempt of [
        () => h.lakehouse.execute("DROP TABLE main.suite.items"),
        () => h.lakehouse.query("SELECT 1; DELETE FROM main.suite.items"),
        async () => h.lakehouse.stream("TRUNCATE TABLE main.suite.items"),
        () => h.lakehouse.execute("SELECT 'unterminated"),
      ]) {
        const error = await refusal(attempt());
        expect(isLakehouseError(error, "LAKEHOUSE_DESTRUCTIVE_REFUSED")).toBe(true);
      }
      expect(h.sent().slice(before)).toEqual([]);
      if (options.storesData) expect(await countItems()).toBe(2);
    });

    it("refuses executeDestructive without a guard or when the guard throws", async () => {
      const before = h.sent().length;
      const noGuard = await refusal(
        h.lakehouse.executeDestructive("DELETE FROM main.suite.items", { approvalGuard: undefined as never }),
      );
      expect(isLakehouseError(noGuard, "LAKEHOUSE_DESTRUCTIVE_REFUSED")).toBe(true);
      const seen: DestructiveAction[] = [];
      const denied = await refusal(
        h.lakehouse.executeDestructive("DELETE FROM main.suite.items", {
          approvalGuard: async (action) => {
            seen.push(action);
            throw new Error("no approval for this digest");
          },
        }),
      );
      expect(isLakehouseError(denied, "LAKEHOUSE_DESTRUCTIVE_REFUSED")).toBe(true);
      expect((denied as Error).message).toMatch(/no approval for this digest/);
      expect(seen).toEqual([
        expect.objectContaining({
          type: "lakehouse.sql",
          sql: "DELETE FROM main.suite.items",
          targets: ["main.suite.items"],
        }),
      ]);
      expect(h.sent().slice(before)).toEqual([]);
      if (options.storesData) expect(await countItems()).toBe(2);
    });

    it("runs destructive SQL once the guard approves", async () => {
      const result = await h.lakehouse.executeDestructive("DELETE FROM main.suite.items WHERE id = 1", {
        approvalGuard: async () => undefined,
      });
      expect(result.classification.verdict).toBe("destructive");
      expect(h.sent().at(-1)).toBe("DELETE FROM main.suite.items WHERE id = 1");
      if (options.storesData) expect(await countItems()).toBe(1);
    });

    it("refuses overwrite and merge writes without approval, leaving the table intact", async () => {
      for (const mode of ["overwrite", "merge"] as const) {
        const error = await refusal(
          h.lakehouse.writeRows("main.suite.items", [{ id: 9, name: "z" }], { mode, keys: ["id"] }),
        );
        expect(isLakehouseError(error, "LAKEHOUSE_DESTRUCTIVE_REFUSED")).toBe(true);
      }
      if (options.storesData) expect(await countItems()).toBe(2);
    });

    it("validates names before sending anything", async () => {
      const before = h.sent().length;
      const error = await refusal(h.lakehouse.describeTable("main.suite.items; DROP TABLE x"));
      expect(isLakehouseError(error, "LAKEHOUSE_INVALID_NAME")).toBe(true);
      expect(h.sent().slice(before)).toEqual([]);
    });

    if (!options.storesData) return;

    it("queries with positional and named parameters", async () => {
      const positional = await h.lakehouse.query("SELECT id, name FROM main.suite.items WHERE id = ?", [2]);
      expect(positional.rows).toEqual([{ id: 2, name: "b" }]);
      const named = await h.lakehouse.query("SELECT name FROM main.suite.items WHERE id = :id", { id: 1 });
      expect(named.rows).toEqual([{ name: "a" }]);
    });

    it("lists catalogs, schemas and tables with Unity Catalog names", async () => {
      expect(await h.lakehouse.listCatalogs()).toContain("main");
      expect(await h.lakehouse.listSchemas("main")).toContain("suite");
      expect(await h.lakehouse.listTables("main.suite")).toEqual([
        { name: { catalog: "main", schema: "suite", table: "items" }, kind: "table" },
      ]);
    });

    it("describes a table and reports a missing one", async () => {
      const description = await h.lakehouse.describeTable("main.suite.items");
      expect(description.columns.map((c) => c.name)).toEqual(["id", "name"]);
      expect(description.rowCount).toBe(2);
      const error = await refusal(h.lakehouse.describeTable("main.suite.missing"));
      expect(isLakehouseError(error, "LAKEHOUSE_TABLE_NOT_FOUND")).toBe(true);
      expect(await h.lakehouse.tableExists("main.suite.missing")).toBe(false);
    });

    it("appends, merges on keys and overwrites rows", async () => {
      const approve = async () => undefined;
      await h.lakehouse.writeRows("main.suite.items", [{ id: 3, name: "c" }]);
      await h.lakehouse.writeRows(
        "main.suite.items",
        [
          { id: 1, name: "A" },
          { id: 4, name: "d" },
        ],
        { mode: "merge", keys: ["id"], approvalGuard: approve },
      );
      const merged = await h.lakehouse.query("SELECT id, name FROM main.suite.items ORDER BY id");
      expect(merged.rows).toEqual([
        { id: 1, name: "A" },
        { id: 2, name: "b" },
        { id: 3, name: "c" },
        { id: 4, name: "d" },
      ]);
      await h.lakehouse.writeRows("main.suite.items", [{ id: 7, name: "g" }], {
        mode: "overwrite",
        approvalGuard: approve,
      });
      expect((await h.lakehouse.query("SELECT id, name FROM main.suite.items")).rows).toEqual([{ id: 7, name: "g" }]);
    });

    it("streams a large result in batches", async () => {
      const sizes: number[] = [];
      let total = 0;
      for await (const batch of h.lakehouse.stream("SELECT * FROM range(25000) t(i)", undefined, {
        batchSize: 10000,
      })) {
        sizes.push(batch.length);
        total += batch.length;
      }
      expect(sizes).toEqual([10000, 10000, 5000]);
      expect(total).toBe(25000);
    });
  });
}
