import {
  type DuckDBDecimalType,
  type DuckDBListType,
  type DuckDBStructType,
  type DuckDBType,
  DuckDBTypeId,
  type Json,
} from "@duckdb/node-api";
import type { SqlValue } from "../values";

const BIG_INTEGERS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
]);

/**
 * DuckDB's JSON conversion returns BIGINT/HUGEINT and DECIMAL as strings. Integers become numbers when they are safe
 * integers (else stay strings); DECIMAL becomes a number when its precision is at most 15 digits (exact in a double),
 * else stays a string. Lists and structs are converted element by element.
 */
export function convertValue(value: Json, type: DuckDBType): SqlValue {
  if (value === null) return null;
  if (BIG_INTEGERS.has(type.typeId) && typeof value === "string") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value;
  }
  if (type.typeId === DuckDBTypeId.DECIMAL && typeof value === "string") {
    return (type as DuckDBDecimalType).width <= 15 ? Number(value) : value;
  }
  if ((type.typeId === DuckDBTypeId.LIST || type.typeId === DuckDBTypeId.ARRAY) && Array.isArray(value)) {
    const child = (type as DuckDBListType).valueType;
    return value.map((v) => convertValue(v, child));
  }
  if (type.typeId === DuckDBTypeId.STRUCT && typeof value === "object" && !Array.isArray(value)) {
    const struct = type as DuckDBStructType;
    const out: Record<string, SqlValue> = {};
    struct.entryNames.forEach((entry, k) => {
      out[entry] = convertValue(value[entry] ?? null, struct.entryTypes[k]!);
    });
    return out;
  }
  return value as SqlValue;
}
