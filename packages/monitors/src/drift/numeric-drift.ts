import type { EngineKind, Lakehouse } from "@mlops/lakehouse";
import { jensenShannonDistance, populationStabilityIndex } from "../stats/divergences";
import { ksTwoSampleAsymptoticP } from "../stats/kolmogorov";
import { dbl, num } from "./sql-values";

/** Bins of the first pass: enough that few need the exact second pass, few enough to come back cheaply. */
const MAX_FINE_BINS = 16_384;
const ROWS_PER_FINE_BIN = 32;
/** Candidate bins per refinement query (they travel as a VALUES list). */
const REFINE_CHUNK = 2_000;

export interface NumericDriftInput {
  lakehouse: Lakehouse;
  /** `SELECT __w, <alias> …` over both windows (see windowSource), with the column already CAST to DOUBLE. */
  source: string;
  alias: string;
  /** Non-null counts of the baseline and current windows, and min/max over both. */
  nb: number;
  nc: number;
  lo: number;
  hi: number;
  /** Interior PSI bin edges: baseline quantiles, sorted, duplicates removed. */
  psiEdges: number[];
}

export interface NumericDrift {
  psi: number;
  jsDistance: number;
  psiBins: { edges: number[]; baseline: number[]; current: number[] };
  ks: { statistic: number; pValue: number };
  wasserstein: number;
  /** Fine bins and how many needed the exact pass: the cost of exactness. */
  bins: { fine: number; refined: number };
}

export function quantileAggregate(engine: EngineKind, expression: string, quantiles: number[], filter: string) {
  const list = quantiles.map((p) => dbl(p)).join(", ");
  return engine === "duckdb"
    ? `quantile_cont(${expression}, [${list}]) FILTER (WHERE ${filter})`
    : `percentile(${expression}, array(${list})) FILTER (WHERE ${filter})`;
}

/**
 * PSI, Jensen–Shannon, two-sample KS (statistic exact, p-value asymptotic as scipy's `ks_2samp(method="asymp")`)
 * and Wasserstein-1, pushed down as SQL. Two passes, neither bringing rows into Node:
 * 1. one GROUP BY over fine equal-width bins × PSI bins: counts and sums per window;
 * 2. for the few fine bins where the ECDF difference could exceed the maximum seen at bin edges (KS), or could
 *    change sign inside the bin (Wasserstein), the exact ECDF over the distinct values in those bins, by window
 *    functions. Outside those bins both statistics follow exactly from the bin counts and sums.
 */
export async function computeNumericDrift(input: NumericDriftInput): Promise<NumericDrift> {
  const { lakehouse, source, alias, nb: NB, nc: NC, lo, hi, psiEdges } = input;
  const total = NB + NC;
  const K = hi > lo ? Math.max(1, Math.min(MAX_FINE_BINS, Math.ceil(total / ROWS_PER_FINE_BIN))) : 1;
  const width = hi > lo ? (hi - lo) / K : 1;
  const x = `\`${alias}\``;
  const binExpr = `CAST(least(${K - 1}, floor((${x} - ${dbl(lo)}) / ${dbl(width)})) AS BIGINT)`;
  const psiCase =
    psiEdges.length === 0
      ? "0"
      : `CASE ${psiEdges.map((e, i) => `WHEN ${x} <= ${dbl(e)} THEN ${i}`).join(" ")} ELSE ${psiEdges.length} END`;
  const nonNull = `SELECT __w, ${x} FROM (${source}) src WHERE ${x} IS NOT NULL`;
  const histogram = await lakehouse.query(
    `SELECT ${binExpr} AS b, ${psiCase} AS p, sum(__w) AS nb, count(*) - sum(__w) AS nc,
       sum(CASE WHEN __w = 1 THEN ${x} - ${dbl(lo)} ELSE ${dbl(0)} END) AS sb,
       sum(CASE WHEN __w = 0 THEN ${x} - ${dbl(lo)} ELSE ${dbl(0)} END) AS sc
     FROM (${nonNull}) s GROUP BY 1, 2`,
  );

  const psiBaseline = new Array<number>(psiEdges.length + 1).fill(0);
  const psiCurrent = new Array<number>(psiEdges.length + 1).fill(0);
  const fb = new Float64Array(K);
  const fc = new Float64Array(K);
  const sb = new Float64Array(K);
  const sc = new Float64Array(K);
  for (const row of histogram.rows) {
    const b = num(row.b);
    const p = num(row.p);
    psiBaseline[p]! += num(row.nb);
    psiCurrent[p]! += num(row.nc);
    fb[b]! += num(row.nb);
    fc[b]! += num(row.nc);
    sb[b]! += num(row.sb);
    sc[b]! += num(row.sc);
  }

  // Pass 1 in Node over K bins: ECDF difference at bin edges, and which bins need the exact pass.
  const before: { cb: number; cc: number }[] = [];
  let cb = 0;
  let cc = 0;
  let d0 = 0;
  for (let b = 0; b < K; b++) {
    before.push({ cb, cc });
    cb += fb[b]!;
    cc += fc[b]!;
    d0 = Math.max(d0, Math.abs(cb / NB - cc / NC));
  }
  const refine = new Set<number>();
  let wasserstein = 0;
  const exactW = new Map<number, number>();
  for (let b = 0; b < K; b++) {
    const { cb: cb0, cc: cc0 } = before[b]!;
    const lower = cb0 / NB - (cc0 + fc[b]!) / NC;
    const upper = (cb0 + fb[b]!) / NB - cc0 / NC;
    if (Math.max(Math.abs(lower), Math.abs(upper)) > d0 + 1e-15) refine.add(b);
    if (lower < 0 && upper > 0) {
      refine.add(b);
    } else {
      const r = (b + 1) * width;
      const integral = (cb0 / NB - cc0 / NC) * width + (fb[b]! * r - sb[b]!) / NB - (fc[b]! * r - sc[b]!) / NC;
      exactW.set(b, Math.abs(integral));
    }
  }

  // Pass 2: exact ECDF inside the candidate bins.
  let ks = d0;
  const candidates = [...refine].sort((a, b) => a - b);
  for (let start = 0; start < candidates.length; start += REFINE_CHUNK) {
    const chunk = candidates.slice(start, start + REFINE_CHUNK);
    const values = chunk
      .map((b) => `(${b}, ${before[b]!.cb}, ${before[b]!.cc}, ${dbl(lo + (b + 1) * width)})`)
      .join(", ");
    const diff = `abs(cb / ${dbl(NB)} - cc / ${dbl(NC)})`;
    const exact = await lakehouse.query(
      `WITH o AS (SELECT * FROM (VALUES ${values}) AS v(b, cb0, cc0, r)),
       f AS (SELECT ${binExpr} AS b, ${x} AS x, __w FROM (${nonNull}) s),
       g AS (SELECT f.b, f.x, sum(f.__w) AS nb, count(*) - sum(f.__w) AS nc FROM f JOIN o ON f.b = o.b GROUP BY f.b, f.x),
       c AS (SELECT g.b, g.x, o.r,
               o.cb0 + sum(g.nb) OVER (PARTITION BY g.b ORDER BY g.x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cb,
               o.cc0 + sum(g.nc) OVER (PARTITION BY g.b ORDER BY g.x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cc,
               lead(g.x) OVER (PARTITION BY g.b ORDER BY g.x) AS nx
             FROM g JOIN o ON g.b = o.b)
       SELECT b, max(${diff}) AS ks, sum(${diff} * (coalesce(nx, r) - x)) AS w, min(x) AS min_x FROM c GROUP BY b`,
    );
    for (const row of exact.rows) {
      const b = num(row.b);
      ks = Math.max(ks, num(row.ks));
      const { cb: cb0, cc: cc0 } = before[b]!;
      const left = lo + b * width;
      exactW.set(b, num(row.w) + Math.abs(cb0 / NB - cc0 / NC) * Math.max(0, num(row.min_x) - left));
    }
  }
  for (const w of exactW.values()) wasserstein += w;

  return {
    psi: populationStabilityIndex(psiBaseline, psiCurrent),
    jsDistance: jensenShannonDistance(psiBaseline, psiCurrent),
    psiBins: { edges: psiEdges, baseline: psiBaseline, current: psiCurrent },
    ks: { statistic: ks, pValue: ksTwoSampleAsymptoticP(ks, NB, NC) },
    wasserstein,
    bins: { fine: K, refined: candidates.length },
  };
}
