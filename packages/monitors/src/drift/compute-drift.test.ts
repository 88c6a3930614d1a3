import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLakehouse, type Lakehouse } from "@mlops/lakehouse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDriftCheck, type StatisticValue } from "./compute-drift";
import { sampleFractions, samplingSchema } from "./sampling";

/*
 * Reference values from scipy 1.17.1 / numpy 2.4.6 / Python 3.11.7 on exactly these inputs (the same formulas):
 *
 *   from scipy.stats import ks_2samp, chi2_contingency, wasserstein_distance
 *   from scipy.spatial.distance import jensenshannon
 *   COLORS = ["red", "green", "blue", "teal"]
 *   def base(i): return {"a": ((i * 37) % 101) * 0.25 + (i % 3),
 *                        "b": None if i % 10 == 0 else ((i * i) % 1009) / 7.0,
 *                        "c": COLORS[(i * i) % 4] if i % 5 else COLORS[(i * 3) % 4]}
 *   def cur(j):  return {"a": ((j * 53) % 89) * 0.3 + 2.0,
 *                        "b": None if j % 4 == 0 else ((j * j) % 1013) / 7.0 + 5.0,
 *                        "c": COLORS[(j * 7) % 3 + 1]}
 *   B = [base(i) for i in range(400)]; C = [cur(j) for j in range(300)]    # nulls dropped per column
 *   ks_2samp(xb, xc, method="asymp"); wasserstein_distance(xb, xc)
 *   edges = np.unique(np.percentile(xb, [10, 20, ..., 90]))                 # PSI / JS bins
 *   cb = np.bincount(np.searchsorted(edges, xb, side="left")); cc likewise
 *   pb, pc = max(cb/Σ, 1e-4), max(cc/Σ, 1e-4); psi = Σ (pc - pb) ln(pc / pb); jensenshannon(cb, cc)
 *   chi2_contingency([counts_b, counts_c], correction=False)                 # categories sorted by name
 *   small: ks_2samp(sb, sc, method="asymp"), wasserstein_distance(sb, sc) on the arrays below
 */
const REF = {
  a: {
    ks: 0.10250000000000004,
    ksP: 0.05118793640441055,
    w: 1.7349999999999997,
    psi: 0.09941536061882852,
    js: 0.11052913385468607,
    meanB: 13.475,
    meanC: 15.21,
    distinctB: 109,
    distinctC: 89,
  },
  b: {
    ks: 0.0755555555555556,
    ksP: 0.39070543343082204,
    w: 6.410873015873015,
    psi: 0.14878081916934416,
    js: 0.13481725534496888,
    meanB: 70.1281746031746,
    meanC: 76.53904761904764,
    distinctB: 360,
    distinctC: 225,
  },
  c: { chi2: 301.3888888888889, chi2P: 4.9793410980841e-65, dof: 3, js: 0.5268712364946234, psi: 4.894530381378249 },
  small: { ks: 0.3055555555555556, ksP: 0.6420842241189519, w: 1.7291666666666665 },
};
const SMALL_B = [0.5, 1.25, 2.0, 2.0, 3.5, 4.0, 4.75, 5.5, 6.0, 7.25, 8.0, 9.5];
const SMALL_C = [2.0, 3.0, 4.5, 5.5, 6.5, 7.0, 8.5, 9.0, 10.25];

const COLORS = ["red", "green", "blue", "teal"];
const base = (i: number) => ({
  a: ((i * 37) % 101) * 0.25 + (i % 3),
  b: i % 10 === 0 ? null : ((i * i) % 1009) / 7.0,
  c: i % 5 ? COLORS[(i * i) % 4]! : COLORS[(i * 3) % 4]!,
});
const cur = (j: number) => ({
  a: ((j * 53) % 89) * 0.3 + 2.0,
  b: j % 4 === 0 ? null : ((j * j) % 1013) / 7.0 + 5.0,
  c: COLORS[((j * 7) % 3) + 1]!,
});

const close = (actual: number | undefined, expected: number, rel = 1e-9) =>
  expect(Math.abs((actual ?? Number.NaN) - expected)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected)));

function pick(values: StatisticValue[], column: string, statistic: string): StatisticValue {
  const found = values.find((v) => v.column === column && v.statistic === statistic);
  if (!found) throw new Error(`no ${statistic} for ${column}`);
  return found;
}

describe("runDriftCheck on DuckDB against scipy reference values", () => {
  let dir: string;
  let lakehouse: Lakehouse;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mlops-drift-"));
    lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lakehouse.duckdb") });
    await lakehouse.ensureSchema("main.silver");
    await lakehouse.execute("CREATE TABLE main.silver.ref (grp STRING, a DOUBLE, b DOUBLE, c STRING)");
    const rows = [
      ...Array.from({ length: 400 }, (_, i) => ({ grp: "base", ...base(i) })),
      ...Array.from({ length: 300 }, (_, j) => ({ grp: "cur", ...cur(j) })),
    ];
    await lakehouse.writeRows("main.silver.ref", rows);
    await lakehouse.execute("CREATE TABLE main.silver.small_b (x DOUBLE)");
    await lakehouse.execute("CREATE TABLE main.silver.small_c (x DOUBLE)");
    await lakehouse.writeRows(
      "main.silver.small_b",
      SMALL_B.map((x) => ({ x })),
    );
    await lakehouse.writeRows(
      "main.silver.small_c",
      SMALL_C.map((x) => ({ x })),
    );
  });
  afterAll(async () => {
    await lakehouse?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("matches ks_2samp(asymp), wasserstein_distance, PSI, jensenshannon and chi2_contingency", async () => {
    const report = await runDriftCheck({
      lakehouse,
      table: "main.silver.ref",
      baseline: { where: "grp = 'base'" },
      current: { where: "grp = 'cur'" },
      columns: ["a", "b", "c"],
    });
    expect(report).toMatchObject({ baselineRows: 400, currentRows: 300 });
    for (const column of ["a", "b"] as const) {
      const ref = REF[column];
      const ks = pick(report.values, column, "ks");
      close(ks.value, ref.ks);
      close(ks.pValue, ref.ksP);
      close(pick(report.values, column, "wasserstein").value, ref.w);
      close(pick(report.values, column, "psi").value, ref.psi);
      close(pick(report.values, column, "js_distance").value, ref.js);
      const mean = pick(report.values, column, "mean");
      close(mean.baselineValue, ref.meanB);
      close(mean.currentValue, ref.meanC);
      expect(pick(report.values, column, "distinct_count")).toMatchObject({
        baselineValue: ref.distinctB,
        currentValue: ref.distinctC,
      });
    }
    expect(pick(report.values, "b", "null_rate")).toMatchObject({ baselineValue: 0.1, currentValue: 0.25 });
    close(pick(report.values, "b", "null_rate").value, 0.15);
    const chi = pick(report.values, "c", "chi_square");
    close(chi.value, REF.c.chi2);
    close(chi.pValue, REF.c.chi2P, 1e-7);
    expect(chi.details).toEqual({ dof: REF.c.dof });
    close(pick(report.values, "c", "js_distance").value, REF.c.js);
    close(pick(report.values, "c", "psi").value, REF.c.psi);
  });

  it("compares two tables and matches the small-sample KS branches", async () => {
    const report = await runDriftCheck({
      lakehouse,
      table: "main.silver.small_b",
      baseline: {},
      current: { table: "main.silver.small_c" },
      statistics: ["ks", "wasserstein"],
    });
    close(pick(report.values, "x", "ks").value, REF.small.ks);
    close(pick(report.values, "x", "ks").pValue, REF.small.ksP);
    close(pick(report.values, "x", "wasserstein").value, REF.small.w);
  });

  it("sampling reads a window in full up to its size, and a uniform row sample beyond", async () => {
    const options = {
      lakehouse,
      table: "main.silver.ref",
      baseline: { where: "grp = 'base'" },
      current: { where: "grp = 'cur'" },
      columns: ["a", "b", "c"],
    };
    const exact = await runDriftCheck({ ...options, sampling: "exact" });
    const auto = await runDriftCheck(options);
    expect(auto.values).toEqual(exact.values);
    expect(auto.sample).toBeUndefined();
    const same = await runDriftCheck({ ...options, sampling: { rowsPerWindow: 1_000 } });
    expect(same.values).toEqual(exact.values);

    const sampled = await runDriftCheck({ ...options, sampling: { rowsPerWindow: 150 } });
    expect(sampled.sample).toEqual({ baselineFraction: 150 / 400, currentFraction: 150 / 300 });
    expect(sampled.values.map((v) => [v.column, v.statistic])).toEqual(
      exact.values.map((v) => [v.column, v.statistic]),
    );
    // Profiles stay exact; distribution statistics say what they read and stay within the stated KS bound.
    for (const statistic of ["null_rate", "mean"]) {
      for (const column of ["a", "b"]) {
        expect(pick(sampled.values, column, statistic)).toEqual(pick(exact.values, column, statistic));
      }
    }
    const ks = pick(sampled.values, "a", "ks");
    const read = (ks.details?.sample as { baselineRows: number; currentRows: number }) ?? { baselineRows: 0 };
    expect(read.baselineRows).toBeGreaterThan(100);
    expect(read.baselineRows).toBeLessThan(200);
    expect(read.currentRows).toBeGreaterThan(100);
    expect(read.currentRows).toBeLessThan(200);
    expect(ks.pValue).not.toBe(pick(exact.values, "a", "ks").pValue);
    const bound = ks.details?.errorBound95 as number;
    expect(bound).toBeGreaterThan(0);
    expect(Math.abs(ks.value - pick(exact.values, "a", "ks").value)).toBeLessThanOrEqual(bound);
    expect(pick(sampled.values, "c", "chi_square").details).toMatchObject({ dof: 3, sample: expect.any(Object) });
    // The same rows on a rerun.
    expect((await runDriftCheck({ ...options, sampling: { rowsPerWindow: 150 } })).values).toEqual(sampled.values);
  });

  it("samples rows, not every k-th row: windows that alternate row by row are both sampled; views too", async () => {
    await lakehouse.execute(
      "CREATE TABLE main.silver.alternating AS SELECT i % 2 AS w, CAST(i AS DOUBLE) AS x FROM range(4000) r(i)",
    );
    await lakehouse.execute("CREATE VIEW main.silver.alternating_view AS SELECT * FROM main.silver.alternating");
    for (const table of ["main.silver.alternating", "main.silver.alternating_view"]) {
      const report = await runDriftCheck({
        lakehouse,
        table,
        baseline: { where: "w = 1" },
        current: { where: "w = 0" },
        columns: ["x"],
        sampling: { rowsPerWindow: 400 },
      });
      const ks = pick(report.values, "x", "ks");
      const read = ks.details?.sample as { baselineRows: number; currentRows: number };
      expect(read.baselineRows, table).toBeGreaterThan(300);
      expect(read.currentRows, table).toBeGreaterThan(300);
      // Both windows are uniform over 0..3999: no drift, even on a sample.
      expect(ks.value, table).toBeLessThan(0.15);
      expect(pick(report.values, "x", "mean").value, table).toBe(-1);
    }
    // Windows holding under half the table are also tested in the scan, and still sampled per window.
    const narrow = await runDriftCheck({
      lakehouse,
      table: "main.silver.alternating",
      baseline: { where: "x < 800" },
      current: { where: "x >= 3200" },
      columns: ["x"],
      sampling: { rowsPerWindow: 400 },
    });
    expect(narrow.sample).toEqual({ baselineFraction: 0.5, currentFraction: 0.5 });
    const read = pick(narrow.values, "x", "ks").details?.sample as { baselineRows: number; currentRows: number };
    expect(read.baselineRows).toBeGreaterThan(300);
    expect(read.baselineRows).toBeLessThan(500);
    expect(read.currentRows).toBeGreaterThan(300);
    expect(pick(narrow.values, "x", "ks").value).toBe(1);
    expect(pick(narrow.values, "x", "mean")).toMatchObject({ baselineValue: 399.5, currentValue: 3599.5 });
  });

  it("reads sampling settings: auto by size, exact, or rows per window", () => {
    expect(sampleFractions("auto", 1_000_000, 10)).toEqual({ baseline: 1, current: 1 });
    expect(sampleFractions("auto", 2_000_000, 10)).toEqual({ baseline: 0.025, current: 1 });
    expect(sampleFractions("exact", 9e9, 9e9)).toEqual({ baseline: 1, current: 1 });
    expect(sampleFractions({ rowsPerWindow: 10 }, 40, 5)).toEqual({ baseline: 0.25, current: 1 });
    expect(samplingSchema.safeParse({ rowsPerWindow: 0 }).success).toBe(false);
    expect(samplingSchema.safeParse("sometimes").success).toBe(false);
  });

  it("refuses an empty window and an unknown column with codes", async () => {
    await expect(
      runDriftCheck({ lakehouse, table: "main.silver.ref", baseline: { where: "grp = 'none'" }, current: {} }),
    ).rejects.toMatchObject({ code: "MONITOR_EMPTY_WINDOW" });
    await expect(
      runDriftCheck({ lakehouse, table: "main.silver.ref", baseline: {}, current: {}, columns: ["nope"] }),
    ).rejects.toMatchObject({ code: "MONITOR_COLUMN_NOT_FOUND" });
  });
});
