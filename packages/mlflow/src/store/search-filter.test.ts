import { describe, expect, it } from "vitest";
import { MlflowError } from "../errors/mlflow-error";
import { parseFilter, parseOrderBy } from "./search-filter";

describe("MLflow search grammar", () => {
  it("parses metrics, params, tags, attributes, backquoted keys, IN lists and AND", () => {
    expect(
      parseFilter(
        "metrics.m > 1 and params.p = 'v' AND tags.`mlflow.runName` LIKE \"r-%\" and attributes.status IN ('FINISHED', 'FAILED') and name ILIKE 'x%' and metric.loss <= -1.5e-3",
      ),
    ).toEqual([
      { entity: "metric", key: "m", op: ">", value: 1 },
      { entity: "param", key: "p", op: "=", value: "v" },
      { entity: "tag", key: "mlflow.runName", op: "LIKE", value: "r-%" },
      { entity: "attribute", key: "status", op: "IN", value: ["FINISHED", "FAILED"] },
      { entity: "attribute", key: "name", op: "ILIKE", value: "x%" },
      { entity: "metric", key: "loss", op: "<=", value: -0.0015 },
    ]);
    expect(parseFilter("tag.`mlflow.prompt.is_prompt` != 'true'")).toEqual([
      { entity: "tag", key: "mlflow.prompt.is_prompt", op: "!=", value: "true" },
    ]);
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter(undefined)).toEqual([]);
  });

  it("refuses OR, unknown entities and dangling clauses with INVALID_PARAMETER_VALUE", () => {
    for (const bad of ["metrics.m > 1 or params.p = 'v'", "foo.x = 'y'", "metrics.m >", "params.p = 'unterminated"]) {
      expect(() => parseFilter(bad)).toThrow(MlflowError);
    }
  });

  it("parses order_by clauses", () => {
    expect(parseOrderBy(["metrics.m DESC", "name", "attributes.start_time asc", "tags.`a b` DESC"])).toEqual([
      { entity: "metric", key: "m", ascending: false },
      { entity: "attribute", key: "name", ascending: true },
      { entity: "attribute", key: "start_time", ascending: true },
      { entity: "tag", key: "a b", ascending: false },
    ]);
  });
});
