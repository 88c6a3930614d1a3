/**
 * `pnpm bench:lakehouse [csv] [rows]`: the churn CSV (default /work/shared/data/telco_churn.csv) scaled to 1,000,000
 * rows inside DuckDB (rows are replicated in SQL, never in Node), run through the churn pipeline bronze → silver →
 * gold, beside one plain `CREATE TABLE AS SELECT * FROM read_csv(…)` in the same DuckDB: the floor for our
 * overhead. Prints JSON with rows/s of each and their ratio. Not part of `pnpm test`.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import { createLakehouse } from "@mlops/lakehouse";
import { createPipelineStore, loadPipeline, runPipeline } from "@mlops/pipelines";

const source = process.argv[2] ?? "/work/shared/data/telco_churn.csv";
const target = Number(process.argv[3] ?? 1_000_000);
if (!existsSync(source)) {
  process.stderr.write(`No CSV at ${source}: pass the Telco churn CSV as the first argument.\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "bench-lakehouse-"));
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const seconds = (ms: number) => Math.round(ms) / 1000;

try {
  const lakehouse = await createLakehouse({ engine: "duckdb", path: join(dir, "lake.duckdb") });
  const database = await openDatabase({ home: join(dir, "app") });
  const store = createPipelineStore(database.db);

  // Scale the file in DuckDB: each copy gets its own customerID so keys stay unique.
  const scaled = join(dir, "telco_scaled.csv");
  const original = Number(
    (await lakehouse.query(`SELECT count(*) AS n FROM read_csv(${literal(source)}, header = true)`)).rows[0]?.n,
  );
  const copies = Math.ceil(target / original);
  const t0 = performance.now();
  await lakehouse.execute(
    `COPY (SELECT * REPLACE (customerID || '-' || CAST(r.i AS VARCHAR) AS customerID)
           FROM read_csv(${literal(source)}, header = true, all_varchar = true), range(${copies}) r(i)
           LIMIT ${target}) TO ${literal(scaled)} (HEADER, DELIMITER ',')`,
  );
  const scaleMs = performance.now() - t0;

  // The floor: one CREATE TABLE AS over the same file.
  await lakehouse.ensureSchema("main.bench");
  const t1 = performance.now();
  await lakehouse.execute(
    `CREATE TABLE main.bench.plain_ctas AS SELECT * FROM read_csv(${literal(scaled)}, header = true)`,
  );
  const ctasMs = performance.now() - t1;
  const ctasRows = Number((await lakehouse.query("SELECT count(*) AS n FROM main.bench.plain_ctas")).rows[0]?.n);

  const pipeline = loadPipeline("churn", { sources: { source: scaled } });
  const t2 = performance.now();
  const result = await runPipeline(pipeline, { lakehouse, store, logger: silentLogger() });
  const pipelineMs = performance.now() - t2;
  const bronze = result.steps[0]!.rowsWritten;

  process.stdout.write(
    `${JSON.stringify(
      {
        benchmark: "lakehouse: churn CSV through bronze → silver → gold on DuckDB",
        source,
        rows: bronze,
        machine: { cpus: cpus().length, node: process.version },
        scaleSeconds: seconds(scaleMs),
        plainCtas: { seconds: seconds(ctasMs), rows: ctasRows, rowsPerSecond: Math.round(ctasRows / (ctasMs / 1000)) },
        pipeline: {
          seconds: seconds(pipelineMs),
          rowsPerSecond: Math.round(bronze / (pipelineMs / 1000)),
          steps: result.steps.map((s) => ({
            step: s.step,
            layer: s.layer,
            rowsIn: s.rowsIn,
            rowsWritten: s.rowsWritten,
            seconds: seconds(s.durationMs),
            expectations: Object.fromEntries(s.expectations.map((e) => [e.name, `${e.outcome}:${e.failedRows}`])),
          })),
        },
        ratio: Math.round((pipelineMs / ctasMs) * 100) / 100,
        ratioMeaning: "pipeline seconds / plain CTAS seconds (the pipeline reads the file once and writes 4 tables)",
      },
      null,
      2,
    )}\n`,
  );
  await lakehouse.close();
  await database.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
