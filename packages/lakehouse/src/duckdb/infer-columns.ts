import type { Row, SqlParam, SqlValue } from "../values";

export interface InferredColumn {
  name: string;
  /** DuckDB type used when the table is created from rows. */
  type: "BIGINT" | "DOUBLE" | "BOOLEAN" | "VARCHAR" | "TIMESTAMP" | "JSON";
}

/** Column names in first-seen order across all rows, with a DuckDB type that fits every value. */
export function inferColumns(rows: readonly Row[]): InferredColumn[] {
  const kinds = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const seen = kinds.get(name) ?? new Set<string>();
      if (value !== null && value !== undefined) seen.add(kindOf(value));
      kinds.set(name, seen);
    }
  }
  return [...kinds].map(([name, seen]) => ({ name, type: typeFor(seen) }));
}

function kindOf(value: SqlValue | Date | bigint): string {
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "double";
  if (typeof value === "bigint") return "integer";
  if (value instanceof Date) return "timestamp";
  if (typeof value === "object") return "json";
  return typeof value;
}

function typeFor(seen: Set<string>): InferredColumn["type"] {
  if (seen.size === 0) return "VARCHAR";
  if ([...seen].every((k) => k === "integer")) return "BIGINT";
  if ([...seen].every((k) => k === "integer" || k === "double")) return "DOUBLE";
  if (seen.size === 1 && seen.has("boolean")) return "BOOLEAN";
  if (seen.size === 1 && seen.has("timestamp")) return "TIMESTAMP";
  if (seen.size === 1 && seen.has("json")) return "JSON";
  return "VARCHAR";
}

/** A row value as a bindable parameter (nested values as JSON text, dates as ISO strings). */
export function toParam(value: unknown): SqlParam {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return value as SqlParam;
}
