import type { Lakehouse } from "@mlops/lakehouse";
import { PipelineError } from "../errors";
import type { ColumnSpec } from "../spec/pipeline-spec";
import type { PipelineSql } from "../sql/pipeline-sql";
import type { ColumnShape } from "../store/pipeline-store";

const FAMILIES: [RegExp, string][] = [
  [
    /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|INT[1248]|LONG|SHORT|BYTE|UBIGINT|UINTEGER|USMALLINT|UTINYINT)$/,
    "integer",
  ],
  [/^(DOUBLE|FLOAT|REAL|DECIMAL|NUMERIC|FLOAT[48])$/, "number"],
  [/^(VARCHAR|STRING|TEXT|CHAR|BPCHAR)$/, "string"],
  [/^(BOOLEAN|BOOL)$/, "boolean"],
  [/^DATE$/, "date"],
  [/^(TIMESTAMP|DATETIME|TIMESTAMP WITH TIME ZONE|TIMESTAMPTZ|TIMESTAMP_NTZ)$/, "timestamp"],
];

function family(type: string): string {
  const base = type
    .toUpperCase()
    .replace(/\(.*\)$/, "")
    .trim();
  return FAMILIES.find(([pattern]) => pattern.test(base))?.[1] ?? base;
}

/** Whether a file column read as `found` loads into a declared column of type `declared` without loss. */
export function typeFits(declared: string, found: string): boolean {
  const d = family(declared);
  const f = family(found);
  if (d === f || d === "string") return true;
  if (d === "number" && f === "integer") return true;
  if (d === "timestamp" && f === "date") return true;
  return false;
}

export interface SourceSchemaReport {
  /** File columns not declared: not loaded. */
  extraColumns: string[];
}

/**
 * Checks a source file against the declared columns before anything is loaded: every declared column must be in
 * the file, with a type that fits. Extra file columns are reported and not loaded.
 * @throws PipelineError `PIPELINE_SCHEMA_MISMATCH` listing each problem, with example values that do not fit.
 */
export async function checkSourceSchema(
  lakehouse: Lakehouse,
  sql: PipelineSql,
  readCsv: string,
  declared: ColumnSpec[],
  context: { step: string; file: string },
): Promise<SourceSchemaReport> {
  const { rows } = await lakehouse.query(sql.describeQuery(`SELECT * FROM ${readCsv}`));
  const found = new Map(
    rows.map((r) => [String(r.column_name ?? r.col_name).toLowerCase(), String(r.column_type ?? r.data_type)]),
  );
  const problems: string[] = [];
  for (const column of declared) {
    const type = found.get(column.name.toLowerCase());
    if (type === undefined) {
      problems.push(`${column.name}: declared ${column.type}, missing from the file`);
      continue;
    }
    if (!typeFits(column.type, type)) {
      const examples = await lakehouse
        .query(
          `SELECT DISTINCT CAST(${sql.q(column.name)} AS VARCHAR) AS v FROM ${readCsv} WHERE ${sql.q(column.name)} IS NOT NULL AND TRY_CAST(${sql.q(column.name)} AS ${column.type}) IS NULL LIMIT 3`,
        )
        .then((r) => r.rows.map((x) => JSON.stringify(x.v)))
        .catch(() => []);
      problems.push(
        `${column.name}: declared ${column.type}, the file has ${type}${examples.length ? ` (values such as ${examples.join(", ")})` : ""}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new PipelineError(
      "PIPELINE_SCHEMA_MISMATCH",
      `${context.file} does not match the columns declared for ${context.step}:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      {
        hint: "Fix the file, or declare the column as it is (e.g. VARCHAR in bronze) and clean it in silver.",
        context: { ...context, problems },
      },
    );
  }
  const declaredNames = new Set(declared.map((c) => c.name.toLowerCase()));
  return { extraColumns: [...found.keys()].filter((name) => !declaredNames.has(name)) };
}

/** Columns added, removed or retyped since the previous run. */
export interface SchemaDrift {
  added: ColumnShape[];
  removed: ColumnShape[];
  changed: { name: string; from: string; to: string }[];
}

export function schemaDrift(previous: ColumnShape[] | undefined, current: ColumnShape[]): SchemaDrift | undefined {
  if (previous === undefined) return undefined;
  const before = new Map(previous.map((c) => [c.name.toLowerCase(), c]));
  const after = new Map(current.map((c) => [c.name.toLowerCase(), c]));
  const drift: SchemaDrift = {
    added: current.filter((c) => !before.has(c.name.toLowerCase())),
    removed: previous.filter((c) => !after.has(c.name.toLowerCase())),
    changed: current.flatMap((c) => {
      const old = before.get(c.name.toLowerCase());
      return old && old.type !== c.type ? [{ name: c.name, from: old.type, to: c.type }] : [];
    }),
  };
  return drift.added.length + drift.removed.length + drift.changed.length > 0 ? drift : undefined;
}

export function describeDrift(drift: SchemaDrift): string {
  return [
    ...drift.added.map((c) => `+${c.name} ${c.type}`),
    ...drift.removed.map((c) => `-${c.name}`),
    ...drift.changed.map((c) => `${c.name} ${c.from}→${c.to}`),
  ].join(", ");
}
