interface Token {
  kind: "word" | "quoted" | "punct" | "other";
  /** Upper-case for words, unquoted for quoted identifiers. */
  value: string;
}

const KEYWORDS = new Set([
  "WHERE",
  "GROUP",
  "ORDER",
  "HAVING",
  "LIMIT",
  "QUALIFY",
  "WINDOW",
  "UNION",
  "EXCEPT",
  "INTERSECT",
  "JOIN",
  "INNER",
  "LEFT",
  "RIGHT",
  "FULL",
  "CROSS",
  "OUTER",
  "ANTI",
  "SEMI",
  "NATURAL",
  "ON",
  "USING",
  "LATERAL",
  "POSITIONAL",
  "ASOF",
  "SELECT",
  "FROM",
  "WITH",
  "AS",
  "OFFSET",
  "FETCH",
  "PIVOT",
  "UNPIVOT",
  "TABLESAMPLE",
  "USING",
]);

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (c === "/" && sql[i + 1] === "*") {
      let depth = 0;
      while (i < sql.length) {
        if (sql[i] === "/" && sql[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (sql[i] === "*" && sql[i + 1] === "/") {
          i += 2;
          if (--depth === 0) break;
        } else i++;
      }
    } else if (c === "'") {
      i++;
      while (i < sql.length && !(sql[i] === "'" && sql[i + 1] !== "'")) i += sql[i] === "'" ? 2 : 1;
      i++;
      tokens.push({ kind: "other", value: "'" });
    } else if (c === '"' || c === "`") {
      let j = i + 1;
      let value = "";
      while (j < sql.length) {
        if (sql[j] === c && sql[j + 1] === c) {
          value += c;
          j += 2;
        } else if (sql[j] === c) break;
        else value += sql[j++];
      }
      tokens.push({ kind: "quoted", value });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      tokens.push({ kind: "word", value: sql.slice(i, j).toUpperCase() });
      i = j;
    } else if ("(),.;".includes(c)) {
      tokens.push({ kind: "punct", value: c });
      i++;
    } else {
      tokens.push({ kind: "other", value: c });
      i++;
    }
  }
  return tokens;
}

/**
 * The tables a query reads: names after FROM and JOIN (comma joins included), as lower-case dotted parts, without
 * CTE names and table functions (`read_csv(…)`). Good enough to derive a pipeline's DAG from its SELECTs.
 */
export function tableReferences(sql: string): string[][] {
  const raw = sql.replace(/\$\{[^}]*\}/g, "x");
  const tokens = tokenize(raw);
  const ctes = new Set<string>();
  // `WITH a AS (…), b AS (…)`: names followed by AS ( at depth of the WITH.
  for (let k = 0; k + 2 < tokens.length; k++) {
    const t = tokens[k]!;
    const next = tokens[k + 1]!;
    const after = tokens[k + 2]!;
    const previous = tokens[k - 1];
    const introduces = previous?.value === "WITH" || previous?.value === "," || previous?.value === "RECURSIVE";
    if (introduces && (t.kind === "word" || t.kind === "quoted") && next.value === "AS" && after.value === "(") {
      ctes.add(t.value.toLowerCase());
    }
  }
  const found: string[][] = [];
  const isName = (t: Token | undefined) =>
    t !== undefined && (t.kind === "quoted" || (t.kind === "word" && !KEYWORDS.has(t.value)));
  const readRef = (k: number): { parts: string[]; next: number } | undefined => {
    const parts: string[] = [];
    let j = k;
    while (isName(tokens[j])) {
      parts.push(tokens[j]!.value.toLowerCase());
      j++;
      if (tokens[j]?.value !== ".") break;
      j++;
    }
    if (parts.length === 0) return undefined;
    if (tokens[j]?.value === "(") return { parts: [], next: j }; // a table function
    return { parts, next: j };
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "word" || (t.value !== "FROM" && t.value !== "JOIN")) continue;
    let j = k + 1;
    for (;;) {
      const ref = readRef(j);
      if (ref === undefined) break;
      if (ref.parts.length > 0 && !(ref.parts.length === 1 && ctes.has(ref.parts[0]!))) found.push(ref.parts);
      j = ref.next;
      if (tokens[j]?.value === "AS") j++;
      if (isName(tokens[j]) && tokens[j + 1]?.value !== ".") j++;
      if (t.value !== "FROM" || tokens[j]?.value !== ",") break;
      j++;
    }
  }
  const unique = new Map(found.map((p) => [p.join("."), p]));
  return [...unique.values()];
}
