import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { numericDriftSql, readNumericDrift } from "./numeric-drift";
import { binnedNumericDriftSql, readBinnedNumericDrift, SAMPLE_BINS } from "./numeric-drift-binned";

const QUANTILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/** The binned statistics against the point-by-point ones on the same rows. */
describe("binned numeric drift (for samples) against the exact SQL", () => {
  let dir: string;
  let lakehouse: Lakehouse;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlops-binned-"));
    lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lakehouse.duckdb") });
    await lakehouse.ensureSchema("main.silver");
    // 20,000 rows per window: a continuous column that moves, a heavy-tailed one, an integer one with ties.
    await lakehouse.execute(`CREATE TABLE main.silver.values AS
      SELECT i % 2 AS w,
        (hash(i * 3 + 1) % 100003) / 100003.0 * 10 + CASE WHEN i % 2 = 0 THEN 0.4 ELSE 0 END AS cont,
        -ln(1 - (hash(i * 5 + 2) % 100003) / 100003.0 * 0.9999) * 3 AS tail,
        CAST((hash(i * 7 + 3) % 100003) / 100003.0 * (CASE WHEN i % 2 = 0 THEN 12 ELSE 10 END) AS INTEGER) AS ties
      FROM range(40000) r(i)`);
  });
  afterAll(async () => {
    await lakehouse?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const source = ["cont", "tail", "ties"]
    .map((c, i) => `SELECT ${i} AS __col, w AS __w, CAST(${c} AS DOUBLE) AS x FROM main.silver.values`)
    .join(" UNION ALL ");

  it("brackets KS, and stays within a hair of Wasserstein, PSI and JS; integer columns come out exact", async () => {
    const exact = (await lakehouse.query(numericDriftSql(source, QUANTILES, "duckdb"))).rows;
    const binned = (await lakehouse.query(binnedNumericDriftSql(source, QUANTILES, "duckdb"))).rows;
    for (const column of [0, 1, 2]) {
      const e = readNumericDrift(exact.find((r) => Number(r.__col) === column)!, QUANTILES);
      const b = readBinnedNumericDrift(binned.find((r) => Number(r.__col) === column)!, QUANTILES);
      expect(b.counts).toEqual(e.counts);
      expect(b.distinct).toEqual(e.distinct);
      expect(b.singletons).toEqual(e.singletons);
      // The binned KS is an ECDF gap that occurs, so at most the exact one; the gap bounds how much more it can be.
      expect(b.ks.statistic).toBeLessThanOrEqual(e.ks.statistic + 1e-12);
      expect(e.ks.statistic).toBeLessThanOrEqual(b.ks.statistic + b.binningGap.ks + 1e-12);
      expect(b.binningGap.ks).toBeLessThan(0.01);
      expect(Math.abs(b.wasserstein - e.wasserstein)).toBeLessThanOrEqual(0.01 * e.wasserstein + 1e-9);
      expect(Math.abs(b.psi - e.psi)).toBeLessThan(0.002);
      expect(Math.abs(b.jsDistance - e.jsDistance)).toBeLessThan(0.005);
      if (column === 2) {
        // Fewer distinct values than bins: every bin holds one value and every statistic is exact.
        expect(b.binningGap.ks).toBe(0);
        expect(b.ks.statistic).toBeCloseTo(e.ks.statistic, 12);
        expect(b.wasserstein).toBeCloseTo(e.wasserstein, 9);
        expect(b.psiBins).toEqual(e.psiBins);
      }
    }
    // The moved columns read as moved.
    const moved = readBinnedNumericDrift(binned.find((r) => Number(r.__col) === 0)!, QUANTILES);
    expect(moved.ks.statistic).toBeGreaterThan(0.03);
    expect(SAMPLE_BINS).toBeGreaterThan(1000);
  });

  it("a column with one value everywhere has no drift", async () => {
    const constant = "SELECT 0 AS __col, w AS __w, CAST(5 AS DOUBLE) AS x FROM main.silver.values";
    const [row] = (await lakehouse.query(binnedNumericDriftSql(constant, QUANTILES, "duckdb"))).rows;
    const b = readBinnedNumericDrift(row!, QUANTILES);
    expect(b).toMatchObject({ psi: 0, jsDistance: 0, wasserstein: 0, ks: { statistic: 0 } });
  });
});
