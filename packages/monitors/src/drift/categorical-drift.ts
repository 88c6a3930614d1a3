import type { Row } from "@mlops/lakehouse";
import { type ChiSquareResult, chiSquareHomogeneity } from "../stats/chi-square";
import { jensenShannonDistance, populationStabilityIndex } from "../stats/divergences";
import { num } from "./sql-values";

/** Categories beyond this many (by frequency over both windows) are counted together as `__other__`. */
export const MAX_CATEGORIES = 200;
export const OTHER_CATEGORY = "__other__";

export interface CategoricalDrift {
  psi: number;
  jsDistance: number;
  chiSquare: ChiSquareResult;
  categories: { value: string; baseline: number; current: number }[];
  /** Distinct non-null values per window (before the `__other__` grouping). */
  distinct: { baseline: number; current: number };
  /** Values seen exactly once in the baseline / current window (for estimates on samples). */
  singletons: { baseline: number; current: number };
}

/**
 * The SQL of categorical columns' frequencies per category and window (per column the top {@link MAX_CATEGORIES},
 * the rest as `__other__`) with their distinct counts: rows `__col, v, nb, nc, d_b, d_c, s_b, s_c`, read per column by
 * {@link readCategoricalDrift}. `source` yields `__col, __w, x` rows with x CAST to STRING (see longSource).
 */
export function categoricalDriftSql(source: string, maxCategories = MAX_CATEGORIES): string {
  return `WITH g AS (SELECT __col, x AS v, sum(__w) AS nb, count(*) - sum(__w) AS nc
                FROM (${source}) src WHERE x IS NOT NULL GROUP BY __col, x),
          r AS (SELECT __col, v, nb, nc, row_number() OVER (PARTITION BY __col ORDER BY nb + nc DESC, v) AS rn,
                  sum(CASE WHEN nb > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY __col) AS d_b,
                  sum(CASE WHEN nc > 0 THEN 1 ELSE 0 END) OVER (PARTITION BY __col) AS d_c,
                  sum(CASE WHEN nb = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY __col) AS s_b,
                  sum(CASE WHEN nc = 1 THEN 1 ELSE 0 END) OVER (PARTITION BY __col) AS s_c
                FROM g)
     SELECT __col, CASE WHEN rn <= ${maxCategories} THEN v ELSE '${OTHER_CATEGORY}' END AS v, sum(nb) AS nb,
            sum(nc) AS nc, max(d_b) AS d_b, max(d_c) AS d_c, max(s_b) AS s_b, max(s_c) AS s_c
     FROM r GROUP BY 1, 2`;
}

/** The tests on the frequencies of {@link categoricalDriftSql}'s rows (in any order; categories are sorted here). */
export function readCategoricalDrift(rows: readonly Row[]): CategoricalDrift {
  const first = rows[0];
  const categories = rows
    .map((r) => ({ value: String(r.v), baseline: num(r.nb), current: num(r.nc) }))
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const baseline = categories.map((c) => c.baseline);
  const current = categories.map((c) => c.current);
  return {
    psi: populationStabilityIndex(baseline, current),
    jsDistance: jensenShannonDistance(baseline, current),
    chiSquare: chiSquareHomogeneity(baseline, current),
    categories,
    distinct: { baseline: num(first?.d_b ?? 0), current: num(first?.d_c ?? 0) },
    singletons: { baseline: num(first?.s_b ?? 0), current: num(first?.s_c ?? 0) },
  };
}
