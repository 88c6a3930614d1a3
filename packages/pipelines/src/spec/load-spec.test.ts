import { describe, expect, it } from "vitest";
import { renderMermaid, renderSvg } from "../dag/render-dag";
import { tableReferences } from "../dag/sql-references";
import { isPipelineError, PipelineError } from "../errors";
import { loadPipeline, parsePipeline } from "./load-spec";

function specError(run: () => unknown): PipelineError {
  try {
    run();
  } catch (error) {
    if (error instanceof PipelineError) return error;
    throw error;
  }
  throw new Error("expected a PipelineError");
}

const yaml = (tables: string) => `name: demo\ncatalog: main\ntables:\n${tables}`;

describe("pipeline specs", () => {
  it("names the YAML path of every problem", () => {
    const error = specError(() =>
      parsePipeline(
        yaml(`  - name: a
    layer: bronze
    sql: SELECT 1 AS x
    expectations:
      - { name: ok, condition: "x > 0", action: explode }
  - name: b
    layer: platinum
    sql: SELECT 1
  - name: c
    layer: silver
    sql: SELECT 1
    mode: merge
`),
      ),
    );
    expect(error.code).toBe("PIPELINE_SPEC_INVALID");
    expect(error.message).toContain("tables[0].expectations[0].action");
    expect(error.message).toContain("tables[1].layer");
    expect(error.message).toContain("tables[2].keys: merge needs at least one key column");
  });

  it("refuses SQL that is not one read-only SELECT, and conditions that smuggle statements", () => {
    const error = specError(() =>
      parsePipeline(
        yaml(`  - name: a
    layer: bronze
    sql: "SELECT 1; DROP TABLE main.gold.x"
  - name: b
    layer: silver
    sql: SELECT * FROM main.bronze.a
    expectations:
      - { name: sneaky, condition: "1 = 1); DELETE FROM main.gold.x; SELECT (1", action: warn }
`),
      ),
    );
    expect(error.message).toContain("tables[0].sql: must be one read-only SELECT");
    expect(error.message).toContain("tables[1].expectations[0].condition");
  });

  it("derives dependencies from the tables the SQL reads and orders the steps", () => {
    const pipeline = parsePipeline(
      yaml(`  - name: report
    layer: gold
    sql: |
      WITH recent AS (SELECT * FROM main.silver.clean WHERE d > 1)
      SELECT r.*, l.name FROM recent r, main.bronze.raw b JOIN main.ref.lookup l ON r.k = l.k
  - name: clean
    layer: silver
    sql: SELECT * FROM "main"."bronze"."raw" -- FROM main.gold.nothing
  - name: raw
    layer: bronze
    sql: SELECT * FROM read_csv('x.csv')
`),
    );
    expect(pipeline.steps.map((s) => s.name)).toEqual(["raw", "clean", "report"]);
    const report = pipeline.steps[2]!;
    expect(report.dependsOn.sort()).toEqual(["clean", "raw"]);
    expect(report.externalInputs).toEqual(["main.ref.lookup"]);
    expect(report.tableName).toBe("main.gold.report");
    expect(tableReferences("SELECT * FROM a.b.c x, d.e.f AS y LEFT JOIN (SELECT 1 FROM g.h.i) z ON true")).toEqual([
      ["a", "b", "c"],
      ["d", "e", "f"],
      ["g", "h", "i"],
    ]);
  });

  it("finds cycles and names them", () => {
    const error = specError(() =>
      parsePipeline(
        yaml(`  - { name: a, layer: silver, sql: "SELECT * FROM main.gold.b" }
  - { name: b, layer: gold, sql: "SELECT * FROM main.silver.a" }
`),
      ),
    );
    expect(isPipelineError(error, "PIPELINE_CYCLE")).toBe(true);
    expect(error.message).toMatch(/a → b → a|b → a → b/);
  });

  it("asks for full names where a short reference would resolve elsewhere", () => {
    const error = specError(() =>
      parsePipeline(
        yaml(`  - { name: a, layer: bronze, sql: "SELECT 1 AS x" }
  - { name: b, layer: silver, sql: "SELECT * FROM a" }
`),
      ),
    );
    expect(error.message).toContain("refer to a by its full name");
  });

  it("ships the news and churn pipelines, with a DAG picture", () => {
    const churn = loadPipeline("churn");
    expect(churn.steps.map((s) => `${s.spec.layer}:${s.name}`)).toEqual([
      "bronze:customers_raw",
      "silver:customers",
      "gold:churn_features",
      "gold:churn_labels",
    ]);
    expect(churn.steps[0]!.sourcePath).toMatch(/fixtures\/telco_churn_sample\.csv$/);
    const news = loadPipeline("news", { sources: { source: "/data/other.csv" } });
    expect(news.steps[0]!.sourcePath).toBe("/data/other.csv");
    expect(news.steps[2]).toMatchObject({ kind: "score", dependsOn: ["articles"] });
    expect(renderMermaid(news)).toContain("articles --> article_predictions");
    const svg = renderSvg(news);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("main.news_gold.article_predictions");
    expect(specError(() => loadPipeline("nope")).code).toBe("PIPELINE_NOT_FOUND");
  });
});
