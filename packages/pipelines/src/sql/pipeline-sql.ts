import { type EngineKind, quoteIdentifier, quoteTableName, type TableName } from "@mlops/lakehouse";
import type { ColumnSpec } from "../spec/pipeline-spec";

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** SQL the pipeline runner generates, per engine (DuckDB embedded, Databricks SQL). */
export function pipelineSql(engine: EngineKind) {
  const dialect = engine === "duckdb" ? "duckdb" : "databricks";
  const q = (part: string) => quoteIdentifier(part, dialect);
  const t = (name: TableName) => quoteTableName(name, dialect);
  const partitioned = (columns: string[]) =>
    engine === "databricks" && columns.length > 0 ? ` PARTITIONED BY (${columns.map(q).join(", ")})` : "";
  const keep = (condition: string) => `coalesce((${condition}), false)`;

  return {
    q,
    table: t,
    literal,
    keep,
    /**
     * A table function reading a CSV file: every column as text when `asText` (so the declared types decide, not
     * the engine's guess: DuckDB reads Yes/No as BOOLEAN), else with the engine's inferred types.
     */
    readCsv(path: string, options: { header: boolean; delimiter?: string | undefined }, asText = true): string {
      if (engine === "duckdb") {
        const settings = [`header = ${options.header}`];
        if (asText) settings.push("all_varchar = true");
        if (options.delimiter !== undefined) settings.push(`delim = ${literal(options.delimiter)}`);
        return `read_csv(${literal(path)}, ${settings.join(", ")})`;
      }
      const settings = [`format => 'csv'`, `header => ${options.header}`];
      if (asText) settings.push("inferColumnTypes => false");
      if (options.delimiter !== undefined) settings.push(`sep => ${literal(options.delimiter)}`);
      return `read_files(${literal(path)}, ${settings.join(", ")})`;
    },
    /** The file's columns and types as the engine reads them. */
    describeQuery: (select: string) => (engine === "duckdb" ? `DESCRIBE ${select}` : `DESCRIBE QUERY ${select}`),
    /** Bronze: the declared columns, cast to their declared types, plus ingestion metadata. */
    sourceSelect(readCsv: string, columns: ColumnSpec[], sourcePath: string): string {
      const cols = columns.map((c) => `CAST(${q(c.name)} AS ${c.type}) AS ${q(c.name)}`);
      return `SELECT ${cols.join(", ")}, current_timestamp AS _ingested_at, ${literal(sourcePath)} AS _source_file FROM ${readCsv}`;
    },
    createAs: (target: TableName, select: string, partitionBy: string[] = []) =>
      `CREATE TABLE ${t(target)}${partitioned(partitionBy)} AS ${select}`,
    count: (table: TableName) => `SELECT count(*) AS n FROM ${t(table)}`,
    /** One pass over the staging table counting, per expectation, the rows that break it. */
    expectationCounts(table: TableName, conditions: string[]): string {
      const parts = conditions.map((c, k) => `sum(CASE WHEN ${keep(c)} THEN 0 ELSE 1 END) AS e${k}`);
      return `SELECT count(*) AS total${parts.map((p) => `, ${p}`).join("")} FROM ${t(table)}`;
    },
    keepRows: (from: TableName, conditions: string[]) =>
      `SELECT * FROM ${t(from)} WHERE ${conditions.map(keep).join(" AND ")}`,
    duplicateKeys: (table: TableName, keys: string[]) =>
      `SELECT count(*) AS n FROM (SELECT ${keys.map(q).join(", ")} FROM ${t(table)} GROUP BY ${keys.map(q).join(", ")} HAVING count(*) > 1) d`,
    append: (target: TableName, stage: TableName) => `INSERT INTO ${t(target)} BY NAME SELECT * FROM ${t(stage)}`,
    merge(target: TableName, stage: TableName, columns: string[], keys: string[]): string {
      const on = keys.map((k) => `t.${q(k)} = s.${q(k)}`).join(" AND ");
      const set = columns.filter((c) => !keys.includes(c)).map((c) => `${q(c)} = s.${q(c)}`);
      return [
        `MERGE INTO ${t(target)} AS t USING ${t(stage)} AS s ON ${on}`,
        set.length > 0 ? `WHEN MATCHED THEN UPDATE SET ${set.join(", ")}` : "",
        `WHEN NOT MATCHED THEN INSERT (${columns.map(q).join(", ")}) VALUES (${columns.map((c) => `s.${q(c)}`).join(", ")})`,
      ]
        .filter(Boolean)
        .join(" ");
    },
    /** Replaces the whole table in one statement (the swap of a staging table into place). */
    overwrite: (target: TableName, stage: TableName, partitionBy: string[] = []) =>
      `CREATE OR REPLACE TABLE ${t(target)}${partitioned(partitionBy)} AS SELECT * FROM ${t(stage)}`,
    /** Replaces the rows of a date range in one statement. */
    replaceRange(target: TableName, stage: TableName, column: string, from: string, to: string): string {
      const range = `${q(column)} BETWEEN CAST(${literal(from)} AS DATE) AND CAST(${literal(to)} AS DATE)`;
      if (engine === "databricks") {
        return `INSERT INTO ${t(target)} REPLACE WHERE ${range} SELECT * FROM ${t(stage)} WHERE ${range}`;
      }
      return `CREATE OR REPLACE TABLE ${t(target)} AS SELECT * FROM ${t(target)} WHERE NOT ${keep(range)} UNION ALL BY NAME SELECT * FROM ${t(stage)} WHERE ${range}`;
    },
    /** Moves a staging table into place under the target's name (same catalog and schema). */
    renameInto: (stage: TableName, target: TableName) =>
      engine === "duckdb"
        ? `ALTER TABLE ${t(stage)} RENAME TO ${q(target.table)}`
        : `ALTER TABLE ${t(stage)} RENAME TO ${t(target)}`,
    drop: (table: TableName) => `DROP TABLE IF EXISTS ${t(table)}`,
  };
}

export type PipelineSql = ReturnType<typeof pipelineSql>;
