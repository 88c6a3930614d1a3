import type { SqlValue } from "@mlops/lakehouse";

/** A double literal both engines read exactly (JS prints the shortest round-trip form). */
export function dbl(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  return `CAST(${String(value)} AS DOUBLE)`;
}

/** A number from a result cell (engines may return big integers and decimals as strings). */
export function num(value: SqlValue | undefined): number {
  if (value === null || value === undefined) return Number.NaN;
  return typeof value === "number" ? value : Number(value);
}

const NUMERIC_TYPE =
  /^(TINYINT|SMALLINT|INT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|LONG|SHORT|BYTE|FLOAT|REAL|DOUBLE|DECIMAL|NUMERIC)\b/i;

/** Whether an engine type name is numeric (drift by distribution) rather than categorical (drift by frequencies). */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.trim());
}
