/** A value as it comes back from a lakehouse query (see the README for how numbers are converted). */
export type SqlValue = string | number | boolean | null | SqlValue[] | { [key: string]: SqlValue };

/** A value that can be bound to a query parameter. */
export type SqlParam = string | number | boolean | null | bigint | Date;

/** Positional (`?`) or named (`:name`) parameters; named parameters work on both engines. */
export type SqlParams = readonly SqlParam[] | Readonly<Record<string, SqlParam>>;

/** One result row: column name → value. */
export type Row = Record<string, SqlValue>;

/** A column of a result or a table. */
export interface ColumnInfo {
  name: string;
  /** The engine's type name, upper-case, e.g. `BIGINT`, `DECIMAL(10,2)`, `STRING`. */
  type: string;
}
