import { describe, expect, it } from "vitest";
import { isLakehouseError } from "../errors";
import { formatTableName, parseSchemaName, parseTableName, quoteIdentifier, quoteTableName } from "./table-name";

describe("table names", () => {
  it("parses three-level names, quoted or not, lower-casing parts", () => {
    expect(parseTableName("Main.Bronze.Churn")).toEqual({ catalog: "main", schema: "bronze", table: "churn" });
    expect(parseTableName("`main`.`my schema`.`a.b`")).toEqual({ catalog: "main", schema: "my schema", table: "a.b" });
    expect(parseTableName('"main"."s"."t"')).toEqual({ catalog: "main", schema: "s", table: "t" });
    expect(parseTableName(" main . s . t ")).toEqual({ catalog: "main", schema: "s", table: "t" });
  });

  it("fills missing parts from defaults", () => {
    expect(parseTableName("t", { catalog: "main", schema: "default" })).toEqual({
      catalog: "main",
      schema: "default",
      table: "t",
    });
    expect(parseTableName("s.t", { catalog: "dev" })).toEqual({ catalog: "dev", schema: "s", table: "t" });
    expect(parseSchemaName("bronze", { catalog: "main" })).toEqual({ catalog: "main", schema: "bronze" });
  });

  it.each(["", "a..b", "a.b.c.d", "a.", "t; DROP TABLE x", "t -- x", "a.b.'c'", "`unterminated", "x", "a.b\u0000.c"])(
    "rejects %j with LAKEHOUSE_INVALID_NAME",
    (input) => {
      let caught: unknown;
      try {
        parseTableName(input);
      } catch (error) {
        caught = error;
      }
      expect(isLakehouseError(caught, "LAKEHOUSE_INVALID_NAME")).toBe(true);
    },
  );

  it("quotes identifiers safely for each dialect", () => {
    expect(quoteIdentifier('we"ird', "duckdb")).toBe('"we""ird"');
    expect(quoteIdentifier("we`ird", "databricks")).toBe("`we``ird`");
    const name = parseTableName("`a``b`.s.t");
    expect(quoteTableName(name, "databricks")).toBe("`a``b`.`s`.`t`");
    expect(parseTableName(quoteTableName(name, "databricks"))).toEqual(name);
    expect(parseTableName(quoteTableName(name, "duckdb"))).toEqual(name);
  });

  it("formats names for people, quoting only where needed", () => {
    expect(formatTableName({ catalog: "main", schema: "bronze", table: "churn" })).toBe("main.bronze.churn");
    expect(formatTableName({ catalog: "main", schema: "my s", table: "t" })).toBe("main.`my s`.t");
  });
});
