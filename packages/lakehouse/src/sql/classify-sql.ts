import { significant, splitTokens, type Token, TokenizeError, tokenize } from "./tokenize";

/** How much harm a statement can do: `read` changes nothing, `write` adds, `destructive` can lose data. */
export type SqlVerdict = "read" | "write" | "destructive";

export interface ClassifiedStatement {
  /** The statement's text, trimmed, without its `;`. */
  sql: string;
  /** What it is, e.g. `SELECT`, `DROP TABLE`, `INSERT OVERWRITE`, `UNKNOWN`. */
  kind: string;
  verdict: SqlVerdict;
  reasons: string[];
  /** The object it acts on as written (unquoted parts joined by dots), where there is one. */
  target?: string;
}

export interface SqlClassification {
  /** The worst verdict of all statements. */
  verdict: SqlVerdict;
  statements: ClassifiedStatement[];
  reasons: string[];
}

const RANK: Record<SqlVerdict, number> = { read: 0, write: 1, destructive: 2 };

/** The worse of two verdicts. */
export function worstVerdict(a: SqlVerdict, b: SqlVerdict): SqlVerdict {
  return RANK[a] >= RANK[b] ? a : b;
}

/**
 * Classifies SQL (DuckDB or Databricks dialect, one or many statements) by the harm it can do.
 * Anything it cannot understand is `destructive` (fail closed).
 */
export function classifySql(sql: string): SqlClassification {
  const plain = classifyText(sql, false);
  // A backslash in a string splits statements differently under Spark (escape) and ANSI rules: take the worse.
  if (!sql.includes("\\")) return plain;
  const spark = classifyText(sql, true);
  return RANK[spark.verdict] > RANK[plain.verdict] ? spark : plain;
}

function classifyText(sql: string, backslashEscapes: boolean): SqlClassification {
  let tokens: Token[];
  try {
    tokens = tokenize(sql, { backslashEscapes });
  } catch (error) {
    const why = error instanceof TokenizeError ? error.message : String(error);
    const reason = `Could not parse the SQL (${why}); treated as destructive`;
    return {
      verdict: "destructive",
      statements: [{ sql: sql.trim(), kind: "UNPARSEABLE", verdict: "destructive", reasons: [reason] }],
      reasons: [reason],
    };
  }
  const statements = splitTokens(tokens).map((part) => {
    const text = part
      .map((t) => t.text)
      .join("")
      .trim();
    return { sql: text, ...classifyStatement(significant(part)) };
  });
  if (statements.length === 0) return { verdict: "read", statements, reasons: ["No statements"] };
  const verdict = statements.reduce<SqlVerdict>((worst, s) => worstVerdict(worst, s.verdict), "read");
  const reasons = [...new Set(statements.filter((s) => s.verdict === verdict).flatMap((s) => s.reasons))];
  return { verdict, statements, reasons };
}

type Classified = Omit<ClassifiedStatement, "sql">;

function result(kind: string, verdict: SqlVerdict, reason: string, target?: string): Classified {
  return target === undefined ? { kind, verdict, reasons: [reason] } : { kind, verdict, reasons: [reason], target };
}

function unknown(tokens: readonly Token[]): Classified {
  const first = tokens[0]?.text ?? "";
  return result(
    "UNKNOWN",
    "destructive",
    `Could not classify a statement starting with "${first}"; treated as destructive`,
  );
}

/** A cursor over one statement's significant tokens. */
class Cursor {
  constructor(
    readonly tokens: readonly Token[],
    public i = 0,
  ) {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t?.kind === "word" && words.includes(t.value);
  }
  accept(...words: string[]): boolean {
    if (!this.isWord(...words)) return false;
    this.i++;
    return true;
  }
  acceptSequence(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) {
      const t = this.peek(k);
      if (t?.kind !== "word" || t.value !== words[k]) return false;
    }
    this.i += words.length;
    return true;
  }
  isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === "punct" && t.text === text;
  }
  /** Index after the `)` matching the `(` at the cursor, or the end. */
  skipParens(): void {
    let depth = 0;
    while (this.i < this.tokens.length) {
      const t = this.tokens[this.i++]!;
      if (t.kind === "punct" && t.text === "(") depth++;
      if (t.kind === "punct" && t.text === ")" && --depth === 0) return;
    }
  }
  rest(): Token[] {
    return this.tokens.slice(this.i);
  }
  /** Reads a dotted object name (`a.b.c`, quoted parts allowed) at the cursor. */
  readName(): string | undefined {
    const parts: string[] = [];
    while (true) {
      const t = this.peek();
      if (t === undefined || (t.kind !== "word" && t.kind !== "quoted")) break;
      parts.push(t.kind === "word" ? t.text : t.value);
      this.i++;
      if (!this.isPunct(".")) break;
      this.i++;
    }
    return parts.length > 0 ? parts.join(".") : undefined;
  }
}

const DML_KEYWORDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE", "DROP", "TRUNCATE"]);

/** Statements hidden in parentheses, e.g. PostgreSQL-style data-modifying CTEs or `EXPLAIN ANALYZE (…)`. */
function nestedStatements(tokens: readonly Token[]): Classified[] {
  const found: Classified[] = [];
  for (let k = 0; k < tokens.length - 1; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1]!;
    if (t.kind === "punct" && t.text === "(" && next.kind === "word" && DML_KEYWORDS.has(next.value)) {
      const cursor = new Cursor(tokens, k);
      cursor.skipParens();
      found.push(classifyStatement(tokens.slice(k + 1, cursor.i - 1)));
    }
  }
  return found;
}

function withNested(main: Classified, tokens: readonly Token[]): Classified {
  let merged = main;
  for (const inner of nestedStatements(tokens)) {
    if (RANK[inner.verdict] > RANK[merged.verdict]) {
      merged = {
        ...merged,
        verdict: inner.verdict,
        reasons: [...merged.reasons, `Contains a nested ${inner.kind}: ${inner.reasons.join("; ")}`],
      };
    }
  }
  return merged;
}

function classifyStatement(tokens: readonly Token[]): Classified {
  const c = new Cursor(tokens);
  // `(SELECT …) UNION (SELECT …)`: look through leading parentheses.
  while (c.isPunct("(")) c.i++;
  const first = c.peek();
  if (first === undefined) return unknown(tokens);
  if (first.kind !== "word") return unknown(tokens.slice(c.i));
  return withNested(classifyFrom(c), tokens);
}

const READ_STARTS: Record<string, string> = {
  SELECT: "SELECT reads data",
  VALUES: "VALUES builds rows without touching tables",
  FROM: "FROM-first SELECT reads data",
  TABLE: "TABLE reads a whole table",
  SHOW: "SHOW lists metadata",
  DESCRIBE: "DESCRIBE reads metadata",
  DESC: "DESCRIBE reads metadata",
  SUMMARIZE: "SUMMARIZE computes statistics over a query",
  LIST: "LIST lists files",
  USE: "USE changes the session's current catalog or schema",
  PIVOT: "PIVOT reads data",
  UNPIVOT: "UNPIVOT reads data",
  COMMIT: "Transaction control",
  ROLLBACK: "Transaction control",
  ABORT: "Transaction control",
  END: "Transaction control",
};

const WRITE_STARTS: Record<string, string> = {
  OPTIMIZE: "OPTIMIZE rewrites files without changing data",
  ANALYZE: "ANALYZE computes and stores statistics",
  REFRESH: "REFRESH updates cached or materialized data",
  CACHE: "CACHE stores a table in the cache",
  UNCACHE: "UNCACHE drops a table from the cache (the data stays)",
  CLEAR: "CLEAR CACHE empties the cache (the data stays)",
  MSCK: "MSCK REPAIR TABLE adds partitions found in storage",
  SET: "SET changes session configuration",
  RESET: "RESET changes session configuration",
  ATTACH: "ATTACH opens another database",
  DETACH: "DETACH closes an attached database (its file stays)",
  CHECKPOINT: "CHECKPOINT flushes the write-ahead log",
  INSTALL: "INSTALL adds an extension",
  LOAD: "LOAD loads an extension",
  EXPORT: "EXPORT DATABASE writes files",
  IMPORT: "IMPORT DATABASE creates tables from files",
  GRANT: "GRANT changes permissions",
  REVOKE: "REVOKE changes permissions",
  DENY: "DENY changes permissions",
  COMMENT: "COMMENT ON changes an object's comment",
  COPY: "COPY loads or exports data",
};

const DESTRUCTIVE_STARTS: Record<string, string> = {
  TRUNCATE: "TRUNCATE removes every row of the table",
  DELETE: "DELETE removes rows",
  UPDATE: "UPDATE changes existing rows",
  MERGE: "MERGE can update and delete existing rows",
  VACUUM: "VACUUM permanently deletes old data files, so earlier versions can no longer be restored",
  RESTORE: "RESTORE replaces the table's current data with an earlier version",
  CALL: "CALL runs a procedure whose effects are unknown",
  FSCK: "FSCK REPAIR TABLE removes file entries from the table's log",
  REORG: "REORG TABLE rewrites data files and can purge deleted data",
  UNDROP: "UNDROP changes which table a name refers to",
  UPSERT: "UPSERT can update existing rows",
  REPLACE: "REPLACE can overwrite existing rows",
};

function classifyFrom(c: Cursor): Classified {
  const word = c.peek()!.value;

  if (word === "WITH") return classifyWith(c);
  if (word === "EXPLAIN") return classifyExplain(c);
  if (word === "BEGIN" || word === "START") return classifyBegin(c);
  if (word === "INSERT") return classifyInsert(c);
  if (word === "CREATE") return classifyCreate(c);
  if (word === "DROP") return classifyDrop(c);
  if (word === "ALTER") return classifyAlter(c);
  if (word === "PRAGMA") return classifyPragma(c);
  if (word === "SELECT") return classifySelect(c);

  if (word === "FROM") {
    // Spark multi-insert: `FROM src INSERT OVERWRITE TABLE t SELECT …`.
    const at = depthZeroWord(c, "INSERT");
    if (at !== undefined) {
      c.i = at;
      return classifyInsert(c);
    }
  }
  const read = READ_STARTS[word];
  if (read !== undefined) return result(word, "read", read);

  if (word === "COPY" || word === "OPTIMIZE" || word === "ANALYZE" || word === "REFRESH") {
    c.i++;
    c.accept("INTO", "TABLE");
    return result(
      word === "COPY" && c.peek(-1)?.value === "INTO" ? "COPY INTO" : word,
      "write",
      WRITE_STARTS[word]!,
      c.readName(),
    );
  }
  const write = WRITE_STARTS[word];
  if (write !== undefined) return result(word, "write", write);

  const destructive = DESTRUCTIVE_STARTS[word];
  if (destructive !== undefined) {
    c.i++;
    c.accept("FROM", "INTO", "TABLE");
    c.accept("TABLE", "ONLY");
    return result(word, "destructive", destructive, c.readName());
  }
  return unknown(c.rest());
}

function depthZeroWord(c: Cursor, word: string): number | undefined {
  let depth = 0;
  for (let k = c.i; k < c.tokens.length; k++) {
    const t = c.tokens[k]!;
    if (t.kind === "punct" && t.text === "(") depth++;
    if (t.kind === "punct" && t.text === ")") depth--;
    if (depth === 0 && t.kind === "word" && t.value === word) return k;
  }
  return undefined;
}

function classifySelect(c: Cursor): Classified {
  // `SELECT … INTO new_table` creates a table (PostgreSQL).
  if (depthZeroWord(c, "INTO") !== undefined) {
    return result("SELECT INTO", "write", "SELECT … INTO creates a table from the query");
  }
  return result("SELECT", "read", "SELECT reads data");
}

/** `WITH [RECURSIVE] name [(cols)] AS [NOT] [MATERIALIZED] (…) [, …] <statement>` */
function classifyWith(c: Cursor): Classified {
  c.i++;
  c.accept("RECURSIVE");
  while (c.peek() !== undefined) {
    if (c.readName() === undefined) return unknown(c.rest());
    if (c.isPunct("(")) c.skipParens();
    if (!c.accept("AS")) return unknown(c.rest());
    c.accept("NOT");
    c.accept("MATERIALIZED");
    if (!c.isPunct("(")) return unknown(c.rest());
    c.skipParens();
    if (c.isPunct(",")) {
      c.i++;
      continue;
    }
    break;
  }
  while (c.isPunct("(")) c.i++;
  const main = c.peek();
  if (main?.kind !== "word") return unknown(c.rest());
  const inner = classifyFrom(c);
  return { ...inner, kind: `WITH … ${inner.kind}` };
}

function classifyExplain(c: Cursor): Classified {
  c.i++;
  // EXPLAIN ANALYZE runs the statement; plain EXPLAIN only plans it.
  let analyze = false;
  while (c.isWord("ANALYZE", "EXTENDED", "FORMATTED", "CODEGEN", "COST", "VERBOSE", "LOGICAL", "PHYSICAL")) {
    if (c.peek()!.value === "ANALYZE") analyze = true;
    c.i++;
  }
  if (c.isPunct("(")) {
    const options = new Cursor(c.rest());
    options.skipParens();
    if (
      c
        .rest()
        .slice(0, options.i)
        .some((t) => t.kind === "word" && t.value === "ANALYZE")
    )
      analyze = true;
    c.i += options.i;
  }
  if (!analyze) return result("EXPLAIN", "read", "EXPLAIN only plans the statement");
  if (c.peek() === undefined) return unknown(c.rest());
  const inner = classifyStatement(c.rest());
  return {
    ...inner,
    kind: `EXPLAIN ANALYZE ${inner.kind}`,
    reasons: ["EXPLAIN ANALYZE runs the statement", ...inner.reasons],
  };
}

function classifyBegin(c: Cursor): Classified {
  c.i++;
  c.accept("TRANSACTION", "WORK");
  if (c.peek() === undefined) return result("BEGIN", "read", "Transaction control");
  // A scripting block (`BEGIN … END`): judge what it runs.
  return classifyStatement(c.rest());
}

function classifyInsert(c: Cursor): Classified {
  c.i++;
  if (c.acceptSequence("OR", "REPLACE")) {
    c.accept("INTO");
    return result("INSERT OR REPLACE", "destructive", "INSERT OR REPLACE overwrites existing rows", c.readName());
  }
  if (c.accept("OVERWRITE")) {
    c.accept("TABLE");
    const target = c.readName();
    return result("INSERT OVERWRITE", "destructive", "INSERT OVERWRITE replaces the existing data", target);
  }
  c.accept("OR");
  c.accept("IGNORE");
  if (!c.accept("INTO")) return unknown(c.rest());
  c.accept("TABLE");
  const target = c.readName();
  const rest = c.rest();
  const has = (...seq: string[]) =>
    rest.some((_, k) => seq.every((w, j) => rest[k + j]?.kind === "word" && rest[k + j]?.value === w));
  if (has("REPLACE", "WHERE") || has("REPLACE", "USING") || has("REPLACE", "ON")) {
    return result("INSERT REPLACE", "destructive", "INSERT INTO … REPLACE replaces the matching existing rows", target);
  }
  if (has("DO", "UPDATE")) {
    return result("INSERT ON CONFLICT UPDATE", "destructive", "ON CONFLICT DO UPDATE changes existing rows", target);
  }
  return result("INSERT INTO", "write", "INSERT INTO adds rows", target);
}

const TABLE_MODIFIERS = [
  "TEMP",
  "TEMPORARY",
  "EXTERNAL",
  "STREAMING",
  "GLOBAL",
  "LOCAL",
  "UNLOGGED",
  "TRANSIENT",
  "PERSISTENT",
  "SECURE",
];

const CREATABLE: Record<string, string> = {
  TABLE: "CREATE TABLE creates a new table",
  SCHEMA: "CREATE SCHEMA creates a schema",
  DATABASE: "CREATE DATABASE creates a schema",
  CATALOG: "CREATE CATALOG creates a catalog",
  VIEW: "CREATE VIEW defines a view",
  FUNCTION: "CREATE FUNCTION defines a function",
  MACRO: "CREATE MACRO defines a macro",
  SEQUENCE: "CREATE SEQUENCE creates a sequence",
  INDEX: "CREATE INDEX builds an index",
  TYPE: "CREATE TYPE defines a type",
  VOLUME: "CREATE VOLUME creates a volume",
  SECRET: "CREATE SECRET stores credentials",
  CONNECTION: "CREATE CONNECTION defines a connection",
  TAG: "CREATE TAG defines a tag",
};

function classifyCreate(c: Cursor): Classified {
  c.i++;
  const orReplace = c.acceptSequence("OR", "REPLACE");
  c.accept("OR");
  c.accept("IGNORE");
  while (c.isWord(...TABLE_MODIFIERS)) c.i++;
  c.accept("UNIQUE");
  const materialized = c.accept("MATERIALIZED");
  if (c.accept("LIVE")) {
    c.accept("TABLE", "VIEW");
    return result("CREATE LIVE TABLE", orReplace ? "destructive" : "write", "Creates a pipeline table", c.readName());
  }
  const object = c.peek();
  if (object?.kind !== "word" || CREATABLE[object.value] === undefined) return unknown(c.rest());
  c.i++;
  c.acceptSequence("IF", "NOT", "EXISTS");
  const target = c.readName();
  const kind = `CREATE ${orReplace ? "OR REPLACE " : ""}${materialized ? "MATERIALIZED " : ""}${object.value}`;
  if (orReplace && object.value === "TABLE") {
    return result(kind, "destructive", "CREATE OR REPLACE TABLE replaces the table and its existing data", target);
  }
  if (orReplace && materialized) {
    return result(kind, "destructive", "CREATE OR REPLACE MATERIALIZED VIEW replaces stored data", target);
  }
  if (orReplace) {
    return result(kind, "write", `CREATE OR REPLACE ${object.value} replaces a definition (no stored data)`, target);
  }
  return result(kind, "write", CREATABLE[object.value]!, target);
}

const DROP_REASONS: Record<string, string> = {
  TABLE: "DROP TABLE removes the table and its data",
  VIEW: "DROP VIEW removes the view",
  SCHEMA: "DROP SCHEMA removes the schema (and with CASCADE, its tables)",
  DATABASE: "DROP DATABASE removes the schema (and with CASCADE, its tables)",
  CATALOG: "DROP CATALOG removes the catalog and everything in it",
};

function classifyDrop(c: Cursor): Classified {
  c.i++;
  c.accept("TEMPORARY", "TEMP", "EXTERNAL");
  c.accept("MATERIALIZED");
  const object = c.peek();
  const objectName = object?.kind === "word" ? object.value : "OBJECT";
  c.i++;
  c.acceptSequence("IF", "EXISTS");
  const reason = DROP_REASONS[objectName] ?? `DROP ${objectName} removes the ${objectName.toLowerCase()}`;
  return result(`DROP ${objectName}`, "destructive", reason, c.readName());
}

function classifyAlter(c: Cursor): Classified {
  c.i++;
  c.accept("MATERIALIZED");
  const object = c.peek();
  const objectName = object?.kind === "word" ? object.value : "OBJECT";
  c.i++;
  c.acceptSequence("IF", "EXISTS");
  const target = c.readName();
  const rest = c.rest();
  const words = rest.filter((t) => t.kind === "word").map((t) => t.value);
  const kind = `ALTER ${objectName}`;
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    const next = words[k + 1];
    if (w === "DROP" && (next === "COLUMN" || next === "COLUMNS" || next === "PARTITION" || next === "IF")) {
      return result(kind, "destructive", `ALTER … DROP ${next === "IF" ? "" : `${next} `}removes data`, target);
    }
    if (w === "REPLACE" && next === "COLUMNS") {
      return result(kind, "destructive", "ALTER … REPLACE COLUMNS drops the columns not listed", target);
    }
  }
  // `ALTER TABLE t DROP c` (COLUMN keyword optional in DuckDB) - anything else after DROP that is a plain name.
  const dropAt = words.indexOf("DROP");
  if (dropAt >= 0) {
    const what = words[dropAt + 1];
    const harmless = ["CONSTRAINT", "DEFAULT", "NOT", "ROW", "PRIMARY", "FOREIGN", "CLUSTER", "TAG", "TAGS", "MASK"];
    if (what === undefined || !harmless.includes(what)) {
      return result(kind, "destructive", "ALTER … DROP removes a column or partition and its data", target);
    }
  }
  return result(kind, "write", `ALTER ${objectName} changes the ${objectName.toLowerCase()}'s definition`, target);
}

const READ_PRAGMAS = new Set([
  "TABLE_INFO",
  "SHOW_TABLES",
  "SHOW_TABLES_EXPANDED",
  "DATABASE_LIST",
  "DATABASE_SIZE",
  "STORAGE_INFO",
  "SHOW",
  "VERSION",
  "PLATFORM",
  "FUNCTIONS",
  "COLLATIONS",
  "METADATA_INFO",
]);

function classifyPragma(c: Cursor): Classified {
  c.i++;
  const name = c.peek();
  if (name?.kind === "word" && READ_PRAGMAS.has(name.value)) return result("PRAGMA", "read", "PRAGMA reads metadata");
  return result("PRAGMA", "destructive", "PRAGMA may change the database; treated as destructive");
}
