import { invalidParameter } from "../errors/mlflow-error";

/*
 * MLflow's search grammar, the subset its clients use: `<entity>.<key> <op> <value>` clauses joined by AND, e.g.
 * `metrics.acc > 0.9 and params.model = 'llama' and tags.`mlflow.runName` LIKE 'r-%' and status = 'FINISHED'`,
 * and order-by clauses such as `metrics.acc DESC`.
 */

export type FilterEntity = "metric" | "param" | "tag" | "attribute" | "dataset";
export type FilterOperator = "=" | "!=" | ">" | ">=" | "<" | "<=" | "LIKE" | "ILIKE" | "IN" | "NOT IN";

export interface FilterClause {
  entity: FilterEntity;
  key: string;
  op: FilterOperator;
  value: string | number | string[];
}

export interface OrderClause {
  entity: FilterEntity;
  key: string;
  ascending: boolean;
}

const ENTITY_PREFIXES: Record<string, FilterEntity> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

type Token =
  | { kind: "ident"; text: string }
  | { kind: "string"; text: string }
  | { kind: "number"; value: number }
  | { kind: "op"; text: string }
  | { kind: "punct"; text: "(" | ")" | "," };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw invalidParameter(`Invalid filter '${input}': ${why} at position ${i}.`);
  };
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || ch === '"') {
      let text = "";
      i++;
      while (i < input.length && input[i] !== ch) {
        if (input[i] === "\\" && i + 1 < input.length) i++;
        text += input[i];
        i++;
      }
      if (i >= input.length) fail("unterminated string");
      i++;
      tokens.push({ kind: "string", text });
    } else if ("(),".includes(ch)) {
      tokens.push({ kind: "punct", text: ch as "(" | ")" | "," });
      i++;
    } else if ("=!<>".includes(ch)) {
      const two = input.slice(i, i + 2);
      const op = ["!=", ">=", "<=", "<>", "=="].includes(two) ? two : ch;
      if (op === "!") fail("unknown operator '!'");
      tokens.push({ kind: "op", text: op === "<>" ? "!=" : op === "==" ? "=" : op });
      i += op.length;
    } else if (/[-+\d.]/.test(ch) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(input.slice(i))) {
      const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(input.slice(i)) as RegExpExecArray;
      tokens.push({ kind: "number", value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_`]/.test(ch)) {
      // An identifier: dotted segments, each plain or `backquoted` (keys may contain dots and spaces).
      let text = "";
      while (i < input.length) {
        const c = input[i] as string;
        if (c === "`") {
          const end = input.indexOf("`", i + 1);
          if (end < 0) fail("unterminated backquote");
          text += `\u0000${input.slice(i + 1, end)}\u0000`;
          i = end + 1;
        } else if (/[A-Za-z0-9_.\-/:]/.test(c)) {
          text += c;
          i++;
        } else if ((c === '"' || c === "'") && text.endsWith(".")) {
          const end = input.indexOf(c, i + 1);
          if (end < 0) fail("unterminated quoted key");
          text += `\u0000${input.slice(i + 1, end)}\u0000`;
          i = end + 1;
        } else break;
      }
      const upper = text.toUpperCase();
      if (upper === "AND" || upper === "LIKE" || upper === "ILIKE" || upper === "IN" || upper === "NOT") {
        tokens.push({ kind: "op", text: upper });
      } else tokens.push({ kind: "ident", text });
    } else fail(`unexpected character '${ch}'`);
  }
  return tokens;
}

/** Splits `metrics.acc` / `tags.`a.b`` / `status` into entity and key. Bare names are attributes. */
function parseIdentifier(raw: string, source: string): { entity: FilterEntity; key: string } {
  const dot = raw.indexOf(".");
  const quoted = raw.indexOf("\u0000");
  if (dot < 0 || (quoted >= 0 && quoted < dot)) return { entity: "attribute", key: raw.replaceAll("\u0000", "") };
  const prefix = raw.slice(0, dot).toLowerCase();
  const entity = ENTITY_PREFIXES[prefix];
  if (!entity) {
    throw invalidParameter(
      `Invalid entity type '${prefix}' in '${source}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset'].`,
    );
  }
  const key = raw.slice(dot + 1).replaceAll("\u0000", "");
  if (!key) throw invalidParameter(`Missing key after '${prefix}.' in '${source}'.`);
  return { entity, key };
}

/** Parses a filter string into clauses (all joined by AND). An empty filter gives no clauses. */
export function parseFilter(filter: string | undefined | null): FilterClause[] {
  if (!filter?.trim()) return [];
  const tokens = tokenize(filter);
  const clauses: FilterClause[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw invalidParameter(`Invalid filter '${filter}': ${why}.`);
  };
  while (i < tokens.length) {
    const ident = tokens[i++];
    if (ident?.kind !== "ident") fail("expected an identifier such as metrics.acc");
    const { entity, key } = parseIdentifier((ident as { text: string }).text, filter);
    let opToken = tokens[i++];
    if (opToken?.kind !== "op" || opToken.text === "AND") fail(`expected a comparator after '${key}'`);
    let op = (opToken as { text: string }).text;
    if (op === "NOT") {
      opToken = tokens[i++];
      if (opToken?.kind !== "op" || opToken.text !== "IN") fail("expected IN after NOT");
      op = "NOT IN";
    }
    let value: FilterClause["value"];
    if (op === "IN" || op === "NOT IN") {
      if (tokens[i]?.kind !== "punct" || (tokens[i] as { text: string }).text !== "(") fail("expected ( after IN");
      i++;
      const items: string[] = [];
      for (;;) {
        const item = tokens[i++];
        if (item?.kind === "string") items.push(item.text);
        else if (item?.kind === "number") items.push(String(item.value));
        else fail("expected a quoted value in the IN list");
        const next = tokens[i++];
        if (next?.kind === "punct" && next.text === ")") break;
        if (next?.kind !== "punct" || next.text !== ",") fail("expected , or ) in the IN list");
      }
      value = items;
    } else {
      const v = tokens[i++];
      if (v?.kind === "string") value = v.text;
      else if (v?.kind === "number") value = v.value;
      else value = fail(`expected a value after '${key} ${op}'`);
    }
    clauses.push({ entity, key, op: op as FilterOperator, value });
    if (i < tokens.length) {
      const and = tokens[i++];
      if (and?.kind !== "op" || and.text !== "AND") fail("clauses must be joined by AND (OR is not supported)");
    }
  }
  return clauses;
}

/** Parses order-by clauses such as `metrics.acc DESC`, `name ASC`, `start_time`. */
export function parseOrderBy(orderBy: readonly string[] | undefined): OrderClause[] {
  return (orderBy ?? [])
    .filter((clause) => clause.trim())
    .map((clause) => {
      const match = /^(.*?)(?:\s+(ASC|DESC))?\s*$/i.exec(clause.trim()) as RegExpExecArray;
      const tokens = tokenize(match[1] as string);
      const ident = tokens[0];
      if (tokens.length !== 1 || ident?.kind !== "ident")
        throw invalidParameter(`Invalid order_by clause '${clause}'.`);
      return { ...parseIdentifier(ident.text, clause), ascending: (match[2] ?? "ASC").toUpperCase() === "ASC" };
    });
}
