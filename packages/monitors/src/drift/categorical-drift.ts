import type { Lakehouse } from "@mlops/lakehouse";
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
}

/** Frequencies per category and window in one GROUP BY; the tests run on those counts. */
export async function computeCategoricalDrift(
  lakehouse: Lakehouse,
  source: string,
  alias: string,
  maxCategories = MAX_CATEGORIES,
): Promise<CategoricalDrift> {
  const v = `\`${alias}\``;
  const { rows } = await lakehouse.query(
    `WITH g AS (SELECT ${v} AS v, sum(__w) AS nb, count(*) - sum(__w) AS nc
                FROM (${source}) src WHERE ${v} IS NOT NULL GROUP BY ${v}),
          r AS (SELECT v, nb, nc, row_number() OVER (ORDER BY nb + nc DESC, v) AS rn FROM g)
     SELECT CASE WHEN rn <= ${maxCategories} THEN v ELSE '${OTHER_CATEGORY}' END AS v, sum(nb) AS nb, sum(nc) AS nc
     FROM r GROUP BY 1 ORDER BY 1`,
  );
  const categories = rows.map((r) => ({ value: String(r.v), baseline: num(r.nb), current: num(r.nc) }));
  const baseline = categories.map((c) => c.baseline);
  const current = categories.map((c) => c.current);
  return {
    psi: populationStabilityIndex(baseline, current),
    jsDistance: jensenShannonDistance(baseline, current),
    chiSquare: chiSquareHomogeneity(baseline, current),
    categories,
  };
}
