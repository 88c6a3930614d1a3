import { describe, expect, it } from "vitest";
import { classifySql } from "./classify-sql";
import { classifierCorpus } from "./fixtures/classifier-corpus";

describe("classifySql corpus", () => {
  it("holds at least 200 cases", () => {
    expect(classifierCorpus.length).toBeGreaterThanOrEqual(200);
  });

  it("classifies every corpus case as expected", () => {
    const failures = classifierCorpus
      .map((c) => ({ ...c, got: classifySql(c.sql) }))
      .filter((c) => c.got.verdict !== c.expected)
      .map(
        (c) => `${JSON.stringify(c.sql)}: expected ${c.expected}, got ${c.got.verdict} (${c.got.reasons.join("; ")})`,
      );
    expect(failures).toEqual([]);
  });
});

describe("classifySql details", () => {
  it("splits statements outside strings and comments and keeps their text", () => {
    const result = classifySql("SELECT 'a;b' -- ;\n; DROP TABLE main.bronze.t; /* ; */ INSERT INTO t VALUES (1)");
    expect(result.statements.map((s) => [s.kind, s.verdict])).toEqual([
      ["SELECT", "read"],
      ["DROP TABLE", "destructive"],
      ["INSERT INTO", "write"],
    ]);
    expect(result.statements[0]!.sql).toBe("SELECT 'a;b' -- ;");
    expect(result.statements[1]!.target).toBe("main.bronze.t");
    expect(result.verdict).toBe("destructive");
    expect(result.reasons).toEqual(["DROP TABLE removes the table and its data"]);
  });

  it("names the target with quotes removed", () => {
    expect(classifySql("DELETE FROM `main`.`silver`.`churn` WHERE x").statements[0]!.target).toBe("main.silver.churn");
    expect(classifySql('TRUNCATE TABLE "a"."b"').statements[0]!.target).toBe("a.b");
    expect(classifySql("INSERT OVERWRITE TABLE g.s.t SELECT 1").statements[0]!.target).toBe("g.s.t");
    expect(classifySql("MERGE INTO s.t USING u ON true WHEN MATCHED THEN DELETE").statements[0]!.target).toBe("s.t");
  });

  it("explains unknown statements and fails closed", () => {
    const result = classifySql("FROBNICATE everything");
    expect(result.verdict).toBe("destructive");
    expect(result.statements[0]!.kind).toBe("UNKNOWN");
    expect(result.reasons[0]).toMatch(/Could not classify .*FROBNICATE.*treated as destructive/);
  });

  it("reports unparseable input as one destructive statement", () => {
    const result = classifySql("SELECT 'oops");
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.kind).toBe("UNPARSEABLE");
    expect(result.reasons[0]).toMatch(/unterminated string/);
  });

  it("mentions the nested statement that made a query destructive", () => {
    const result = classifySql("WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone");
    expect(result.statements[0]!.kind).toBe("WITH … SELECT");
    expect(result.reasons.join(" ")).toMatch(/nested DELETE/);
  });

  it("returns read with no statements for empty input", () => {
    expect(classifySql("  -- nothing\n")).toEqual({ verdict: "read", statements: [], reasons: ["No statements"] });
  });
});
