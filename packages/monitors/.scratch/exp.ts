import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLakehouse } from "@mlops/lakehouse";

const rows = Number(process.argv[2] ?? 10_000_000);
const lh = await createLakehouse({
  engine: "duckdb",
  path: join(tmpdir(), `mlops-bench-monitors-${rows}`, "lakehouse.duckdb"),
});
const time = async (label: string, sql: string) => {
  const t = performance.now();
  const r = await lh.query(sql);
  console.log(label, Math.round(performance.now() - t), JSON.stringify(r.rows[0]).slice(0, 300));
};
const src = (c: string) =>
  `SELECT 1 AS __w, CAST(${c} AS DOUBLE) AS x FROM main.bench.events WHERE w = 1 UNION ALL SELECT 0 AS __w, CAST(${c} AS DOUBLE) AS x FROM main.bench.events WHERE w = 0`;
const scan = `SELECT count(*) AS n, sum(n1), sum(n2), sum(n3), sum(n4), sum(n5), sum(n6), sum(n7), sum(n8), count(DISTINCT c1), count(DISTINCT c2) FROM main.bench.events`;
await time("warm", scan);
await time("scan", scan);
for (const c of (process.argv[3] ?? "n1,n5").split(",")) {
  await time(
    `groupcount ${c}`,
    `SELECT count(*) FROM (SELECT x, sum(__w) nb, count(*) - sum(__w) nc FROM (${src(c)}) s WHERE x IS NOT NULL GROUP BY x)`,
  );
  await time(
    `group+window ${c}`,
    `WITH g AS (SELECT x, CAST(sum(__w) AS DOUBLE) nb, CAST(count(*) - sum(__w) AS DOUBLE) nc FROM (${src(c)}) s WHERE x IS NOT NULL GROUP BY x),
    c AS (SELECT x, sum(nb) OVER w cb, sum(nc) OVER w cc, lead(x) OVER (ORDER BY x) nx FROM g WINDOW w AS (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))
    SELECT max(abs(cb/5e6 - cc/5e6)) ks, sum(abs(cb/5e6 - cc/5e6) * (nx - x)) w, count(*) FROM c`,
  );
}
await lh.close();
