import { z } from "zod";

/**
 * How a drift check reads large windows.
 * - `"auto"` (the default): exact while both windows hold at most {@link AUTO_EXACT_MAX_ROWS} rows; above that, the
 *   distribution statistics of a larger window are computed on a uniform row sample of
 *   {@link DEFAULT_SAMPLE_ROWS} rows.
 * - `"exact"`: every statistic over every row, whatever the size.
 * - `{ rowsPerWindow }`: sample any window larger than that many rows.
 * Row counts, null rates, means and accuracy are always exact; only psi, js_distance, ks, wasserstein, chi_square
 * and distinct_count use the sample.
 */
export const samplingSchema = z.union([
  z.literal("auto"),
  z.literal("exact"),
  z.object({ rowsPerWindow: z.number().int().positive() }).strict(),
]);
export type Sampling = z.infer<typeof samplingSchema>;

/** Windows up to this many rows are always read in full by `"auto"`. */
export const AUTO_EXACT_MAX_ROWS = 1_000_000;
/** Rows per window that `"auto"` samples from a larger window. */
export const DEFAULT_SAMPLE_ROWS = 50_000;

/** The fraction of each window to read; 1 reads it all. */
export interface SampleFractions {
  baseline: number;
  current: number;
}

export function sampleFractions(sampling: Sampling, baselineRows: number, currentRows: number): SampleFractions {
  if (sampling === "exact") return { baseline: 1, current: 1 };
  const rows =
    sampling === "auto"
      ? Math.max(baselineRows, currentRows) > AUTO_EXACT_MAX_ROWS
        ? DEFAULT_SAMPLE_ROWS
        : Number.POSITIVE_INFINITY
      : sampling.rowsPerWindow;
  const fraction = (total: number) => (total > rows ? rows / total : 1);
  return { baseline: fraction(baselineRows), current: fraction(currentRows) };
}

/** Fixed seed: a rerun over unchanged data reads the same rows. */
const SEED = 20250101;
/** Resolution of the row-hash sample: fractions are rounded to millionths. */
const HASH_BUCKETS = 1_000_000;

/** Where the sample is taken: in the FROM clause (engine TABLESAMPLE) or as a row predicate in WHERE. */
export interface SampleSql {
  tableSample: string;
  predicate: string | undefined;
}

/**
 * Row-level sampling of `fraction` (0 < fraction < 1) of a relation, deterministic for a fixed table.
 * DuckDB tables: a hash of `rowid` below a cut — uniform over rows, cheap (only the sampled rows' columns are
 * fetched), and not fooled by periodic data as every-k-th-row would be; DuckDB block sampling is cheaper still but
 * takes whole 2,048-row vectors, so clustered data (time order) would bias it. DuckDB views have no rowid: Bernoulli.
 * Databricks: `TABLESAMPLE (p PERCENT) REPEATABLE (seed)`, Spark's row sampler.
 */
export function sampleSql(engine: "duckdb" | "databricks", kind: "table" | "view", fraction: number): SampleSql {
  if (engine === "databricks") {
    const percent = Number((fraction * 100).toPrecision(6));
    return { tableSample: ` TABLESAMPLE (${percent} PERCENT) REPEATABLE (${SEED})`, predicate: undefined };
  }
  if (kind === "view") {
    const percent = Number((fraction * 100).toPrecision(6));
    return { tableSample: ` TABLESAMPLE ${percent}% (bernoulli, ${SEED})`, predicate: undefined };
  }
  return { tableSample: "", predicate: `${ROW_HASH} < ${hashCut(fraction)}` };
}

/** A DuckDB table row's place in [0, HASH_BUCKETS): a row is in a sample of fraction f when it is below hashCut(f). */
export const ROW_HASH = `hash(rowid + ${SEED}) % ${HASH_BUCKETS}`;
export function hashCut(fraction: number): number {
  return fraction >= 1 ? HASH_BUCKETS : Math.max(1, Math.round(fraction * HASH_BUCKETS));
}

/**
 * A bound that |KS on the samples − KS on all rows| stays below with probability ≥ 95%: the Dvoretzky–Kiefer–Wolfowitz
 * inequality gives each sampled window's ECDF within ε = √(ln(2/α) / 2n) of the full one (α = 2.5% per window);
 * D moves by at most the sum. 0 when neither window was sampled.
 */
export function ksSampleErrorBound(sampled: { baseline: number; current: number }, fractions: SampleFractions): number {
  const epsilon = (n: number, fraction: number) =>
    fraction >= 1 || n === 0 ? 0 : Math.sqrt(Math.log(2 / 0.025) / (2 * n));
  return epsilon(sampled.baseline, fractions.baseline) + epsilon(sampled.current, fractions.current);
}
