import { quoteIdentifier } from "../names/table-name";
import { type Token, tokenize } from "../sql/tokenize";
import { catalogAlias } from "./catalog-aliases";

const isName = (t: Token | undefined) => t !== undefined && (t.kind === "word" || t.kind === "quoted");
const isDot = (t: Token | undefined) => t?.kind === "punct" && t.text === ".";
const nameOf = (t: Token) => (t.kind === "word" ? t.text.toLowerCase() : t.value.toLowerCase());

/**
 * Makes Unity Catalog-style SQL run on DuckDB without the user noticing:
 * - the catalog part of `catalog.schema.table` (and of `catalog.schema` after USE / SCHEMA) becomes its DuckDB alias
 *   (`main` → `uc_main`);
 * - backtick-quoted identifiers become double-quoted;
 * - named parameters `:name` become DuckDB's `$name`.
 * Strings and comments are never touched.
 */
export function rewriteForDuckDb(sql: string): string {
  const tokens = tokenize(sql);
  const significantIndexes = tokens.flatMap((t, k) => (t.kind === "whitespace" || t.kind === "comment" ? [] : [k]));
  const sig = significantIndexes.map((k) => tokens[k]!);
  const replace = new Map<number, string>();

  for (let s = 0; s < sig.length; s++) {
    const t = sig[s]!;
    const k = significantIndexes[s]!;
    if (t.kind === "quoted" && t.text.startsWith("`")) replace.set(k, quoteIdentifier(t.value, "duckdb"));
    if (t.kind === "param" && t.text.startsWith(":")) replace.set(k, `$${t.text.slice(1)}`);
    if (!isName(t) || isDot(sig[s - 1])) continue;
    let parts = 1;
    while (isDot(sig[s + parts * 2 - 1]) && isName(sig[s + parts * 2])) parts++;
    let back = s - 1;
    while (sig[back]?.kind === "word" && ["IF", "NOT", "EXISTS"].includes(sig[back]!.value)) back--;
    const previous = sig[back];
    const afterSchemaKeyword = previous?.kind === "word" && ["SCHEMA", "DATABASE", "USE"].includes(previous.value);
    const isCatalog = parts >= 3 || (afterSchemaKeyword && (parts === 2 || previous?.value === "USE"));
    if (isCatalog) {
      const alias = catalogAlias(nameOf(t));
      if (alias !== nameOf(t)) replace.set(k, quoteIdentifier(alias, "duckdb"));
    }
  }
  if (replace.size === 0) return sql;
  return tokens.map((t, k) => replace.get(k) ?? t.text).join("");
}
