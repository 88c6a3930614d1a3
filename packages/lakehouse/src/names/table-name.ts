import { LakehouseError } from "../errors";
import { significant, tokenize } from "../sql/tokenize";

/** A Unity Catalog three-level name. Parts are lower-case, as Unity Catalog stores them. */
export interface TableName {
  catalog: string;
  schema: string;
  table: string;
}

/** A two-level schema name. */
export interface SchemaName {
  catalog: string;
  schema: string;
}

/** The SQL dialect an identifier is quoted for: DuckDB uses `"x"`, Databricks `` `x` ``. */
export type Dialect = "duckdb" | "databricks";

function invalid(input: string, why: string): LakehouseError {
  return new LakehouseError("LAKEHOUSE_INVALID_NAME", `Invalid name ${JSON.stringify(input)}: ${why}`, {
    hint: "Use catalog.schema.table; quote parts with backticks or double quotes when they hold dots or spaces.",
    context: { name: input },
  });
}

/** Splits a dotted name (quoted parts allowed) into its unquoted parts. */
export function parseNameParts(input: string): string[] {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = significant(tokenize(input));
  } catch {
    throw invalid(input, "unterminated quote");
  }
  const parts: string[] = [];
  let expectPart = true;
  for (const t of tokens) {
    if (expectPart && (t.kind === "word" || t.kind === "quoted")) {
      parts.push(checkPart(input, t.kind === "word" ? t.text : t.value));
      expectPart = false;
    } else if (!expectPart && t.kind === "punct" && t.text === ".") {
      expectPart = true;
    } else {
      throw invalid(input, `unexpected ${JSON.stringify(t.text)}`);
    }
  }
  if (parts.length === 0 || expectPart) throw invalid(input, "a name part is missing");
  return parts;
}

function checkPart(input: string, part: string): string {
  if (part.length === 0) throw invalid(input, "a name part is empty");
  if (part.length > 255) throw invalid(input, "a name part is longer than 255 characters");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(part)) throw invalid(input, "control characters are not allowed");
  return part.toLowerCase();
}

/**
 * Parses `catalog.schema.table` (or `schema.table` / `table` with defaults) into a {@link TableName}.
 * @throws LakehouseError `LAKEHOUSE_INVALID_NAME`
 */
export function parseTableName(input: string | TableName, defaults: Partial<SchemaName> = {}): TableName {
  if (typeof input !== "string") {
    return {
      catalog: checkPart(input.catalog, input.catalog),
      schema: checkPart(input.schema, input.schema),
      table: checkPart(input.table, input.table),
    };
  }
  const parts = parseNameParts(input);
  if (parts.length > 3) throw invalid(input, "more than three parts");
  const [table, schema = defaults.schema, catalog = defaults.catalog] = [...parts].reverse();
  if (schema === undefined || catalog === undefined) throw invalid(input, "catalog or schema missing and no default");
  return { catalog: checkPart(input, catalog), schema: checkPart(input, schema), table: table! };
}

/**
 * Parses `catalog.schema` (or `schema` with a default catalog) into a {@link SchemaName}.
 * @throws LakehouseError `LAKEHOUSE_INVALID_NAME`
 */
export function parseSchemaName(input: string | SchemaName, defaults: { catalog?: string } = {}): SchemaName {
  if (typeof input !== "string")
    return { catalog: checkPart(input.catalog, input.catalog), schema: checkPart(input.schema, input.schema) };
  const parts = parseNameParts(input);
  if (parts.length > 2) throw invalid(input, "a schema name has at most two parts");
  const [schema, catalog = defaults.catalog] = [...parts].reverse();
  if (catalog === undefined) throw invalid(input, "catalog missing and no default");
  return { catalog: checkPart(input, catalog), schema: schema! };
}

/** Quotes one identifier for the dialect, doubling any quote inside it. */
export function quoteIdentifier(part: string, dialect: Dialect): string {
  const q = dialect === "duckdb" ? '"' : "`";
  return `${q}${part.replaceAll(q, q + q)}${q}`;
}

/** The fully quoted three-level name, safe to splice into SQL. */
export function quoteTableName(name: TableName, dialect: Dialect): string {
  return [name.catalog, name.schema, name.table].map((p) => quoteIdentifier(p, dialect)).join(".");
}

/** `catalog.schema.table` for people and logs (parts quoted only where needed). */
export function formatTableName(name: TableName | SchemaName): string {
  const parts = "table" in name ? [name.catalog, name.schema, name.table] : [name.catalog, name.schema];
  return parts.map((p) => (/^[a-z_][a-z0-9_]*$/.test(p) ? p : quoteIdentifier(p, "databricks"))).join(".");
}
