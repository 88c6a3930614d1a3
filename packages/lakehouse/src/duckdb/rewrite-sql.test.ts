import { describe, expect, it } from "vitest";
import { rewriteForDuckDb } from "./rewrite-sql";

describe("rewriteForDuckDb", () => {
  it.each([
    ["SELECT * FROM main.bronze.t", 'SELECT * FROM "uc_main".bronze.t'],
    ["SELECT * FROM `main`.`bronze`.`t`", 'SELECT * FROM "uc_main"."bronze"."t"'],
    ['SELECT main.bronze.t.id FROM "MAIN".bronze.t', 'SELECT "uc_main".bronze.t.id FROM "uc_main".bronze.t'],
    ["CREATE SCHEMA IF NOT EXISTS main.silver", 'CREATE SCHEMA IF NOT EXISTS "uc_main".silver'],
    ["USE main.bronze", 'USE "uc_main".bronze'],
    ["USE main", 'USE "uc_main"'],
    ["SELECT * FROM dev.bronze.t", "SELECT * FROM dev.bronze.t"],
    ["SELECT main.x FROM t", "SELECT main.x FROM t"],
    ["SELECT 'main.bronze.t' -- main.a.b", "SELECT 'main.bronze.t' -- main.a.b"],
    ["SELECT * FROM t WHERE a = :a AND b = ?", "SELECT * FROM t WHERE a = $a AND b = ?"],
    ["SELECT x::int FROM t", "SELECT x::int FROM t"],
    ["SELECT * FROM system.bronze.t", 'SELECT * FROM "uc_system".bronze.t'],
  ])("%s", (input, expected) => {
    expect(rewriteForDuckDb(input)).toBe(expected);
  });
});
