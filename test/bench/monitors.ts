/**
 * `pnpm bench:monitors`: every drift statistic for 10 columns over 10,000,000 rows generated in DuckDB SQL (two
 * windows of 5,000,000), beside a single full scan of the same rows and columns (the floor), in the same run.
 * Prints JSON with both times and their ratio (target ≤ 5) for the default `sampling: "auto"` (windows over 1,000,000
 * rows: distribution statistics on a 50,000-row uniform sample, profiles exact) and, beside it, for
 * `sampling: "exact"` with the sampled values' largest errors against the exact ones. Options: --rows N, --keep
 * (reuse the generated file), --mode auto|exact|both (default both), --sample-rows N (sample size per window instead
 * of the default).
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLakehouse } from "@mlops/lakehouse";
import { runDriftCheck } from "@mlops/monitors";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const rows = Number(arg("--rows") ?? 10_000_000);
const keep = process.argv.includes("--keep");
const mode = arg("--mode") ?? "both";
const sampleRows = arg("--sample-rows") === undefined ? undefined : Number(arg("--sample-rows"));
const dir = join(tmpdir(), `mlops-bench-monitors-${rows}`);
if (!keep) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const fresh = !existsSync(join(dir, "lakehouse.duckdb"));
const lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lakehouse.duckdb") });

// 8 numeric and 2 categorical columns; in the current half (w = 0) n2 and n5 move and c1 changes its mix.
const u = (k: number) => `(hash(i * ${k} + ${k}) % 1000003) / 1000003.0`;
const columns = ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "c1", "c2"];
if (fresh) {
  const t0 = Date.now();
  await lakehouse.ensureSchema("main.bench");
  await lakehouse.execute(`CREATE TABLE main.bench.events AS
    SELECT CAST(i % 2 AS INTEGER) AS w,
      ${u(3)} * 100 AS n1,
      ${u(5)} * 50 + CASE WHEN i % 2 = 0 THEN 3 ELSE 0 END AS n2,
      CAST(${u(7)} * 72 AS INTEGER) AS n3,
      -ln(1 - ${u(11)} * 0.999999) * 10 AS n4,
      (${u(13)} + ${u(17)}) * CASE WHEN i % 2 = 0 THEN 1.2 ELSE 1 END AS n5,
      ${u(19)} * 1000 AS n6,
      CAST(${u(23)} * 10 AS INTEGER) AS n7,
      sqrt(${u(29)}) AS n8,
      CASE WHEN ${u(31)} < CASE WHEN i % 2 = 0 THEN 0.6 ELSE 0.5 END THEN 'month-to-month' WHEN ${u(37)} < 0.5 THEN 'one-year' ELSE 'two-year' END AS c1,
      'pm_' || CAST(CAST(${u(41)} * 4 AS INTEGER) AS VARCHAR) AS c2
    FROM range(${rows}) r(i)`);
  console.error(`generated ${rows} rows in ${Date.now() - t0} ms`);
}

// Warm the file into memory once, then time the floor: one full scan over the same 10 columns.
const scanSql = `SELECT count(*) AS n, ${columns
  .map((c) => (c.startsWith("c") ? `count(DISTINCT ${c}) AS ${c}` : `sum(${c}) AS ${c}`))
  .join(", ")} FROM main.bench.events`;
await lakehouse.query(scanSql);
const scans: number[] = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  await lakehouse.query(scanSql);
  scans.push(performance.now() - t);
}
const scanMs = Math.min(...scans);

type Report = Awaited<ReturnType<typeof runDriftCheck>>;
/** Wall time of each engine query of the last timed check (profile, sample statements, …). */
let queryMs: number[] = [];
const timedLakehouse = new Proxy(lakehouse, {
  get(target, key, receiver) {
    if (key !== "query") return Reflect.get(target, key, receiver);
    return async (...args: Parameters<typeof lakehouse.query>) => {
      const t = performance.now();
      try {
        return await target.query(...args);
      } finally {
        queryMs.push(Math.round(performance.now() - t));
      }
    };
  },
});
async function timed(exactly: boolean): Promise<{ ms: number; report: Report; queryMs: number[] }> {
  const runs: number[] = [];
  let report: Report | undefined;
  let perQuery: number[] = [];
  for (let k = 0; k < 2; k++) {
    queryMs = [];
    const t = performance.now();
    report = await runDriftCheck({
      lakehouse: timedLakehouse,
      table: "main.bench.events",
      baseline: { where: "w = 1" },
      current: { where: "w = 0" },
      columns,
      sampling: exactly ? "exact" : sampleRows !== undefined ? { rowsPerWindow: sampleRows } : "auto",
    });
    const ms = performance.now() - t;
    if (runs.length === 0 || ms < Math.min(...runs)) perQuery = queryMs;
    runs.push(ms);
  }
  return { ms: Math.min(...runs), report: report!, queryMs: perQuery };
}
const summary = ({ ms, report, queryMs }: { ms: number; report: Report; queryMs: number[] }) => ({
  statistics: report.values.length,
  queries: report.queries,
  queryMs,
  allStatisticsMs: Math.round(ms),
  ratio: Number((ms / scanMs).toFixed(2)),
  movedColumnsByPsi: report.values.filter((v) => v.statistic === "psi" && v.value >= 0.1).map((v) => v.column),
});
const sampled = mode === "exact" ? undefined : await timed(false);
const exact = mode === "auto" ? undefined : await timed(true);
/** Largest |sampled − exact| per statistic (and relative, for distinct counts and p-values). */
function errors(a: Report, e: Report) {
  const worst: Record<string, { abs: number; column: string; exact: number; sampled: number }> = {};
  for (const v of a.values) {
    const x = e.values.find((w) => w.column === v.column && w.statistic === v.statistic);
    if (!x) continue;
    const pairs: [string, number, number][] = [[v.statistic, v.value, x.value]];
    if (v.statistic === "distinct_count") {
      pairs.push(["distinct_count_rel", v.currentValue! / x.currentValue! - 1, 0]);
      pairs.push(["distinct_count_rel", v.baselineValue! / x.baselineValue! - 1, 0]);
    }
    if (v.pValue !== undefined) pairs.push([`${v.statistic}_p`, v.pValue, x.pValue!]);
    for (const [name, av, ev] of pairs) {
      const abs = Math.abs(av - ev);
      if (!worst[name] || abs > worst[name].abs) {
        worst[name] = { abs: Number(abs.toPrecision(3)), column: v.column, exact: ev, sampled: av };
      }
    }
  }
  return worst;
}
/** The largest stated 95% KS error bound of the sampled run. */
const ksBound = (r: Report) =>
  Math.max(0, ...r.values.filter((v) => v.statistic === "ks").map((v) => Number(v.details?.errorBound95 ?? 0)));
const headline = sampled ?? exact!;
console.log(
  JSON.stringify(
    {
      rows,
      columns: columns.length,
      fullScanMs: Math.round(scanMs),
      sampling: sampled ? (sampleRows !== undefined ? { rowsPerWindow: sampleRows } : "auto") : "exact",
      sample: headline.report.sample,
      ...summary(headline),
      target: 5,
      ...(sampled && exact ? { exact: summary(exact) } : {}),
      ...(sampled && exact ? { sampledMaxError: errors(sampled.report, exact.report) } : {}),
      ...(sampled && exact ? { ksErrorBound95: ksBound(sampled.report) } : {}),
    },
    null,
    2,
  ),
);
await lakehouse.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
