import { z } from "zod";
import { LakehouseError } from "../errors";
import type { ColumnInfo, Row, SqlValue } from "../values";

/** Hive `TTypeId` numbers as the Thrift schema reports them. */
const TYPE_NAMES = [
  "BOOLEAN",
  "TINYINT",
  "SMALLINT",
  "INT",
  "BIGINT",
  "FLOAT",
  "DOUBLE",
  "STRING",
  "TIMESTAMP",
  "BINARY",
  "ARRAY",
  "MAP",
  "STRUCT",
  "UNION",
  "USER_DEFINED",
  "DECIMAL",
  "NULL",
  "DATE",
  "VARCHAR",
  "CHAR",
  "INTERVAL_YEAR_MONTH",
  "INTERVAL_DAY_TIME",
];

const schemaResponse = z.object({
  columns: z.array(
    z.object({
      columnName: z.string(),
      typeDesc: z
        .object({ types: z.array(z.object({ primitiveEntry: z.object({ type: z.number() }).optional() }).loose()) })
        .optional(),
    }),
  ),
});

const rowsResponse = z.array(z.record(z.string(), z.unknown()));

/** Columns from the driver's Thrift schema (validated); `undefined` when it sent none. */
export function mapColumns(schema: unknown): ColumnInfo[] | undefined {
  if (schema === null || schema === undefined) return undefined;
  const parsed = schemaResponse.safeParse(schema);
  if (!parsed.success) throw unexpected("result schema", parsed.error);
  return parsed.data.columns.map((c) => {
    const id = c.typeDesc?.types[0]?.primitiveEntry?.type;
    return { name: c.columnName, type: (id === undefined ? undefined : TYPE_NAMES[id]) ?? "UNKNOWN" };
  });
}

/** Rows from `fetchChunk` (validated), with driver values made plain JSON-like values. */
export function mapRows(chunk: unknown): Row[] {
  const parsed = rowsResponse.safeParse(chunk);
  if (!parsed.success) throw unexpected("result rows", parsed.error);
  return parsed.data.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plainValue(v)])));
}

/** BIGINT arrives as `bigint` or an `Int64`: a number when safe, else a string; dates become ISO strings. */
export function plainValue(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plainValue);
  if (typeof value === "object") {
    const toNumber = (value as { toNumber?: () => number }).toNumber;
    if (typeof toNumber === "function") {
      const n = toNumber.call(value);
      return Number.isSafeInteger(n) ? n : String(value);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

function unexpected(what: string, cause: unknown): LakehouseError {
  return new LakehouseError("LAKEHOUSE_UNEXPECTED_RESPONSE", `Databricks returned an unexpected ${what}`, {
    hint: "Check the @databricks/sql driver version; this engine was built against 2.1.0.",
    cause,
  });
}
