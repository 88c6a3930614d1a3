import type { Row } from "@mlops/lakehouse";
import { type NumericDrift, readNumericDrift } from "./numeric-drift";
import { dbl, num } from "./sql-values";

/** Equal-width bins per column between its smallest and largest sampled value. */
export const SAMPLE_BINS = 4096;

export interface BinnedNumericDrift extends NumericDrift {
  /**
   * How far above the binned KS the KS computed point by point on the sample can be (the binned value is attained,
   * hence a lower bound; bins holding one distinct value add nothing).
   */
  binningGap: { ks: number };
}

/**
 * The drift statistics of numeric columns from a row sample, with the sort replaced by bins: the engine's window
 * functions cost ~0.2 µs per row and would dominate, so the distinct values are counted once (distinct counts and
 * singletons, as the exact SQL does) and then folded into {@link SAMPLE_BINS} equal-width bins per column, keeping per
 * bin and window the count, the sum and the smallest and largest value. Windows then run over bins, not values:
 * - KS: the ECDF gap at the largest value of each bin (an attained value, so a lower bound); inside a bin it can grow
 *   by at most that bin's mass, which bounds the gap (0 for bins of a single value);
 * - Wasserstein-1: between bins the ECDFs are flat, so those stretches are exact; inside a bin the signed integral of
 *   F_b − F_c is exact from counts and sums (∫ F = F_before·width + (n·max − Σx)/N), and its absolute value is the
 *   bin's share unless the ECDFs cross inside it (then it is less);
 * - PSI edges: the baseline's linear percentiles, with the order statistic interpolated by rank inside its bin, and
 *   each window's count below an edge interpolated likewise.
 * `source` yields `__col, __w, x` rows (x DOUBLE) as for the exact SQL; one row per column comes back.
 */
export function binnedNumericDriftSql(
  source: string,
  psiQuantiles: readonly number[],
  engine: "duckdb" | "databricks",
): string {
  // Both are read twice; DuckDB would otherwise compute them twice.
  const materialized = engine === "duckdb" ? "MATERIALIZED " : "";
  const bins = SAMPLE_BINS;
  const cumulative = "PARTITION BY __col ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
  // Per column: the baseline rank of each PSI quantile (numpy: h = (n − 1)·p), for the edge interpolation in SQL.
  const edgeColumns = psiQuantiles.flatMap((p, k) => {
    const h = `((t.tb - 1) * ${dbl(p)})`;
    // The edge: value at fractional rank h, interpolated inside the bin that holds rank ⌊h⌋ (0-based).
    const inBin = `(cb - nb <= floor(${h}) AND floor(${h}) < cb)`;
    const edge = `CASE WHEN nb <= 1 OR mx = mn THEN mn ELSE mn + (mx - mn) * (${h} - (cb - nb)) / (nb - 1) END`;
    return [`max(CASE WHEN ${inBin} THEN least(${edge}, mx) END) AS e${k}`];
  });
  const below = (k: number, n: string, cum: string) =>
    `sum(CASE WHEN mx <= e.e${k} THEN ${n} WHEN mn > e.e${k} THEN 0
              ELSE ${n} * (e.e${k} - mn) / (mx - mn) END) AS ${cum}${k}`;
  const psiColumns = psiQuantiles.flatMap((_, k) => [
    `max(e.e${k}) AS e${k}`,
    below(k, "nb", "pb"),
    below(k, "nc", "pc"),
  ]);
  const dEnd = "(cb / t.tb - cc / t.tc)";
  const dPrev = "((cb - nb) / t.tb - (cc - nc) / t.tc)";
  const single = "mx = mn";
  const width = "(mx - mn)";
  const signed = `(${dPrev} * ${width} + (nb * mx - sb) / t.tb - (nc * mx - sc) / t.tc)`;
  const reach = `greatest(abs(${dPrev} + nb / t.tb), abs(${dPrev} - nc / t.tc))`;
  return `WITH v AS ${materialized}(SELECT __col, x, CAST(sum(__w) AS DOUBLE) AS nb, CAST(count(*) - sum(__w) AS DOUBLE) AS nc
                FROM (${source}) src WHERE x IS NOT NULL GROUP BY __col, x),
          t AS (SELECT __col, min(x) AS lo, max(x) AS hi, sum(nb) AS tb, sum(nc) AS tc,
                  count(*) AS n_values, count(*) FILTER (WHERE nb > 0) AS d_b, count(*) FILTER (WHERE nc > 0) AS d_c,
                  count(*) FILTER (WHERE nb = 1) AS s_b, count(*) FILTER (WHERE nc = 1) AS s_c
                FROM v GROUP BY __col),
          h AS (SELECT v.__col,
                  CASE WHEN t.hi = t.lo THEN 0
                       ELSE least(CAST(floor((v.x - t.lo) / (t.hi - t.lo) * ${bins}) AS INTEGER), ${bins - 1}) END AS b,
                  sum(v.nb) AS nb, sum(v.nc) AS nc, sum(v.nb * v.x) AS sb, sum(v.nc * v.x) AS sc, min(v.x) AS mn, max(v.x) AS mx
                FROM v JOIN t ON v.__col = t.__col GROUP BY 1, 2),
          c AS ${materialized}(SELECT __col, b, nb, nc, sb, sc, mn, mx, sum(nb) OVER (${cumulative}) AS cb, sum(nc) OVER (${cumulative}) AS cc,
                  lead(mn) OVER (PARTITION BY __col ORDER BY b) AS next_mn
                FROM h),
          e AS (SELECT c.__col${edgeColumns.map((e) => `, ${e}`).join("")} FROM c JOIN t ON c.__col = t.__col GROUP BY c.__col)
     SELECT c.__col AS __col, max(t.tb) AS n_b, max(t.tc) AS n_c, max(t.n_values) AS n_values, max(t.d_b) AS d_b, max(t.d_c) AS d_c,
            max(t.s_b) AS s_b, max(t.s_c) AS s_c,
            max(abs(${dEnd})) AS ks,
            max(CASE WHEN ${single} THEN greatest(abs(${dPrev}), abs(${dEnd})) ELSE greatest(${reach}, abs(${dEnd})) END) AS ks_upper,
            sum(abs(${signed}) + abs(${dEnd}) * coalesce(next_mn - mx, 0)) AS w
            ${psiColumns.map((c) => `, ${c}`).join("")}
     FROM c JOIN t ON c.__col = t.__col${psiQuantiles.length > 0 ? " JOIN e ON c.__col = e.__col" : ""}
     GROUP BY c.__col`;
}

/**
 * The statistics from one row of {@link binnedNumericDriftSql} (same `psiQuantiles`): it returns the columns of the
 * exact SQL (PSI counts at each edge already interpolated inside engine bins), plus `ks_upper`.
 */
export function readBinnedNumericDrift(row: Row, psiQuantiles: readonly number[]): BinnedNumericDrift {
  const drift = readNumericDrift(row, psiQuantiles);
  return { ...drift, binningGap: { ks: Math.max(0, (num(row.ks_upper) || 0) - drift.ks.statistic) } };
}
