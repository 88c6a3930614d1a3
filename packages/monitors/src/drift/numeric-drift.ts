import type { Row } from "@mlops/lakehouse";
import { jensenShannonDistance, populationStabilityIndex } from "../stats/divergences";
import { ksTwoSampleAsymptoticP } from "../stats/kolmogorov";
import { dbl, num } from "./sql-values";

export interface NumericDrift {
  /** Non-null values per window that the statistics used. */
  counts: { baseline: number; current: number };
  psi: number;
  jsDistance: number;
  psiBins: { edges: number[]; baseline: number[]; current: number[] };
  ks: { statistic: number; pValue: number };
  wasserstein: number;
  /** Distinct non-null values per window. */
  distinct: { baseline: number; current: number };
  /** Values seen exactly once in the baseline / current window (for estimates on samples). */
  singletons: { baseline: number; current: number };
  /** Distinct values over both windows: the rows the engine sorted. */
  values: number;
}

/**
 * The SQL of PSI, Jensen–Shannon, two-sample KS (statistic exact, p-value asymptotic as scipy's
 * `ks_2samp(method="asymp")`), Wasserstein-1 and distinct counts of numeric columns: a SELECT that returns one row per
 * column (`__col`), read by {@link readNumericDrift}. `source` yields `__col, __w, x` rows — the column's alias, 1 for
 * the baseline and 0 for the current window, the value as DOUBLE (see longSource); `psiQuantiles` are the baseline
 * quantiles of the PSI bin edges (0.1 … 0.9 for 10 bins).
 * 1. `GROUP BY` the value: counts per window of each distinct value (far fewer rows than the data);
 * 2. window sums in value order, partitioned by column (so the engine runs columns in parallel), give both ECDFs at
 *    every distinct value: KS D = max |F_b − F_c|, W1 = Σ |F_b − F_c|·(x_next − x) (scipy's formula), and the
 *    baseline's order statistics, hence numpy's linear percentiles (`h = (n − 1)·p`, `_lerp` between ranks ⌊h⌋ and
 *    ⌊h⌋ + 1: the PSI edges) and how many values of each window lie at or below each edge.
 * Exact in every statistic; the cost is one hash aggregate over the values and one sort of the distinct ones.
 */
export function numericDriftSql(
  source: string,
  psiQuantiles: readonly number[],
  engine: "duckdb" | "databricks",
): string {
  const order = "PARTITION BY __col ORDER BY x";
  const frame = `${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`;
  const materialized = engine === "duckdb" ? "MATERIALIZED " : "";
  // The value at 0-based rank r is the smallest x whose baseline cumulative count exceeds r.
  const picks = psiQuantiles.flatMap((p, k) => {
    const h = `(tot.tb - 1) * ${dbl(p)}`;
    return [
      `min(x) FILTER (WHERE cb > floor(${h})) AS l${k}`,
      `min(x) FILTER (WHERE cb > least(floor(${h}) + 1, tot.tb - 1)) AS h${k}`,
      `max(${h} - floor(${h})) AS t${k}`,
    ];
  });
  const lerp = (k: number) =>
    `CASE WHEN t${k} >= 0.5 THEN h${k} - (h${k} - l${k}) * (1 - t${k}) ELSE l${k} + (h${k} - l${k}) * t${k} END`;
  const edgeCte =
    psiQuantiles.length > 0
      ? `, e AS (SELECT __col, ${psiQuantiles.map((_, k) => `${lerp(k)} AS e${k}`).join(", ")}
                FROM (SELECT c.__col, ${picks.join(", ")} FROM c JOIN tot ON c.__col = tot.__col GROUP BY c.__col) k)`
      : "";
  const edgeColumns = psiQuantiles.flatMap((_, k) => [
    `max(e.e${k}) AS e${k}`,
    `sum(nb) FILTER (WHERE x <= e.e${k}) AS pb${k}`,
    `sum(nc) FILTER (WHERE x <= e.e${k}) AS pc${k}`,
  ]);
  const diff = "abs(cb / tot.tb - cc / tot.tc)";
  return `WITH g AS (SELECT __col, x, CAST(sum(__w) AS DOUBLE) AS nb, CAST(count(*) - sum(__w) AS DOUBLE) AS nc
                FROM (${source}) src WHERE x IS NOT NULL GROUP BY __col, x),
          c AS ${materialized}(SELECT __col, x, nb, nc, sum(nb) OVER (${frame}) AS cb, sum(nc) OVER (${frame}) AS cc,
                  lead(x) OVER (${order}) AS nx FROM g),
          tot AS (SELECT __col, max(cb) AS tb, max(cc) AS tc FROM c GROUP BY __col)${edgeCte}
     SELECT c.__col AS __col, max(tot.tb) AS n_b, max(tot.tc) AS n_c, max(${diff}) AS ks, sum(${diff} * (nx - x)) AS w,
            count(*) AS n_values, count(*) FILTER (WHERE nb > 0) AS d_b, count(*) FILTER (WHERE nc > 0) AS d_c,
            count(*) FILTER (WHERE nb = 1) AS s_b, count(*) FILTER (WHERE nc = 1) AS s_c
            ${edgeColumns.map((c) => `, ${c}`).join("")}
     FROM c JOIN tot ON c.__col = tot.__col${psiQuantiles.length > 0 ? " JOIN e ON c.__col = e.__col" : ""}
     GROUP BY c.__col`;
}

/** The statistics from the row of {@link numericDriftSql} (same `psiQuantiles`). */
export function readNumericDrift(row: Row, psiQuantiles: readonly number[]): NumericDrift {
  const NB = num(row.n_b) || 0;
  const NC = num(row.n_c) || 0;

  // np.unique(edges), then searchsorted(side="left"): bin i holds edges[i-1] < x <= edges[i].
  const atEdge = new Map<number, { b: number; c: number }>();
  psiQuantiles.forEach((_, k) => {
    const edge = num(row[`e${k}`]);
    if (Number.isFinite(edge)) atEdge.set(edge, { b: num(row[`pb${k}`]) || 0, c: num(row[`pc${k}`]) || 0 });
  });
  const edges = [...atEdge.keys()].sort((a, b) => a - b);
  const psiBaseline: number[] = [];
  const psiCurrent: number[] = [];
  let below = { b: 0, c: 0 };
  for (const edge of edges) {
    const at = atEdge.get(edge)!;
    psiBaseline.push(at.b - below.b);
    psiCurrent.push(at.c - below.c);
    below = at;
  }
  psiBaseline.push(NB - below.b);
  psiCurrent.push(NC - below.c);

  const ks = num(row.ks) || 0;
  return {
    counts: { baseline: NB, current: NC },
    psi: populationStabilityIndex(psiBaseline, psiCurrent),
    jsDistance: jensenShannonDistance(psiBaseline, psiCurrent),
    psiBins: { edges, baseline: psiBaseline, current: psiCurrent },
    ks: { statistic: ks, pValue: NB > 0 && NC > 0 ? ksTwoSampleAsymptoticP(ks, NB, NC) : 1 },
    wasserstein: num(row.w) || 0,
    distinct: { baseline: num(row.d_b) || 0, current: num(row.d_c) || 0 },
    singletons: { baseline: num(row.s_b) || 0, current: num(row.s_c) || 0 },
    values: num(row.n_values) || 0,
  };
}
