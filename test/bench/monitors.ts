/**
 * `pnpm bench:monitors`: every drift statistic for 10 columns over 10,000,000 rows generated in DuckDB SQL (two
 * windows of 5,000,000), beside a single full scan of the same rows and columns (the floor), in the same run.
 * Prints JSON with both times and their ratio (target ≤ 5). Options: --rows N, --keep (reuse the generated file).
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

const runs: number[] = [];
let report: Awaited<ReturnType<typeof runDriftCheck>> | undefined;
for (let k = 0; k < 2; k++) {
  const t = performance.now();
  report = await runDriftCheck({
    lakehouse,
    table: "main.bench.events",
    baseline: { where: "w = 1" },
    current: { where: "w = 0" },
    columns,
  });
  runs.push(performance.now() - t);
}
const statsMs = Math.min(...runs);
const moved = report!.values.filter((v) => v.statistic === "psi" && v.value >= 0.1).map((v) => v.column);
console.log(
  JSON.stringify(
    {
      rows,
      columns: columns.length,
      statistics: report!.values.length,
      queries: report!.queries,
      fullScanMs: Math.round(scanMs),
      allStatisticsMs: Math.round(statsMs),
      ratio: Number((statsMs / scanMs).toFixed(2)),
      target: 5,
      movedColumnsByPsi: moved,
      ksRefinedBins: Object.fromEntries(
        report!.values
          .filter((v) => v.statistic === "ks")
          .map((v) => [v.column, (v.details as { bins: { refined: number; fine: number } }).bins]),
      ),
    },
    null,
    2,
  ),
);
await lakehouse.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
