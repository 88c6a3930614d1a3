/** Kinds of lexical token the classifier and the DuckDB rewriter understand. */
export type TokenKind =
  | "word" // unquoted identifier or keyword
  | "quoted" // "identifier" or `identifier`
  | "string" // 'literal', E'literal', $tag$literal$tag$
  | "number"
  | "param" // ?, $1, $name, :name
  | "comment"
  | "whitespace"
  | "punct" // ( ) , ; .
  | "operator";

export interface Token {
  kind: TokenKind;
  /** Exact source text, quotes included. */
  text: string;
  start: number;
  end: number;
  /** Upper-cased text for words; the unquoted name for quoted identifiers. */
  value: string;
}

export interface TokenizeOptions {
  /**
   * Treat `\` as an escape inside '…' strings (Spark/Databricks) instead of a plain character (ANSI, DuckDB).
   * @defaultValue false
   */
  backslashEscapes?: boolean;
}

/** Thrown for input that cannot be split into tokens (an unterminated string or comment). */
export class TokenizeError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const SPACE = /\s/;

/** Splits SQL into tokens, covering every character of the input. */
export function tokenize(sql: string, options: TokenizeOptions = {}): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string) => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, start, end, value: value ?? text });
  };

  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    const start = i;

    if (SPACE.test(c)) {
      while (i < sql.length && SPACE.test(sql[i]!)) i++;
      push("whitespace", start, i);
    } else if (c === "-" && next === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
      push("comment", start, i);
    } else if (c === "/" && next === "*") {
      i = skipBlockComment(sql, i);
      push("comment", start, i);
    } else if (c === "'" || ((c === "E" || c === "e") && next === "'")) {
      const escapes = options.backslashEscapes === true || c !== "'";
      i = skipQuoted(sql, c === "'" ? i : i + 1, "'", escapes);
      push("string", start, i);
    } else if (c === '"' || c === "`") {
      i = skipQuoted(sql, i, c, false);
      const inner = sql.slice(start + 1, i - 1).replaceAll(c + c, c);
      push("quoted", start, i, inner);
    } else if (c === "$" && next !== undefined && /[A-Za-z_$]/.test(next) && dollarTag(sql, i) !== undefined) {
      const tag = dollarTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      if (close < 0) throw new TokenizeError("unterminated dollar-quoted string", start);
      i = close + tag.length;
      push("string", start, i);
    } else if (c === "$" && next !== undefined && /[A-Za-z0-9_]/.test(next)) {
      i++;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i]!)) i++;
      push("param", start, i);
    } else if (c === "?") {
      i++;
      push("param", start, i);
    } else if (c === ":" && next !== undefined && /[A-Za-z_]/.test(next) && sql[i - 1] !== ":") {
      i++;
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++;
      push("param", start, i);
    } else if (DIGIT.test(c) || (c === "." && next !== undefined && DIGIT.test(next))) {
      while (i < sql.length && /[0-9.eE_xXa-fA-FlLsSyYdDbB]/.test(sql[i]!)) {
        if ((sql[i] === "e" || sql[i] === "E") && (sql[i + 1] === "+" || sql[i + 1] === "-")) i++;
        i++;
      }
      push("number", start, i);
    } else if (WORD_START.test(c)) {
      while (i < sql.length && WORD_PART.test(sql[i]!)) i++;
      push("word", start, i, sql.slice(start, i).toUpperCase());
    } else if ("(),;.[]{}".includes(c)) {
      i++;
      push("punct", start, i);
    } else {
      i++;
      while (i < sql.length && "+-*/<>=!|&%^~@#:".includes(sql[i]!) && !isCommentStart(sql, i)) i++;
      push("operator", start, i);
    }
  }
  return tokens;
}

function isCommentStart(sql: string, i: number): boolean {
  return (sql[i] === "-" && sql[i + 1] === "-") || (sql[i] === "/" && sql[i + 1] === "*");
}

/** Block comments nest in both DuckDB (PostgreSQL grammar) and Spark SQL. */
function skipBlockComment(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql[i] === "/" && sql[i + 1] === "*") {
      depth++;
      i += 2;
    } else if (sql[i] === "*" && sql[i + 1] === "/") {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  throw new TokenizeError("unterminated block comment", start);
}

/** Returns the index after the closing quote; a doubled quote is an escaped quote. */
function skipQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === "\\") {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  throw new TokenizeError(`unterminated ${quote === "'" ? "string" : "quoted identifier"}`, start);
}

function dollarTag(sql: string, start: number): string | undefined {
  const match = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start, start + 64));
  return match?.[0];
}

/** Tokens that carry meaning: no whitespace, no comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== "whitespace" && t.kind !== "comment");
}

/** Splits a token stream into statements on `;` (strings and comments are already single tokens). */
export function splitTokens(tokens: readonly Token[]): Token[][] {
  const statements: Token[][] = [];
  let current: Token[] = [];
  for (const token of tokens) {
    if (token.kind === "punct" && token.text === ";") {
      statements.push(current);
      current = [];
    } else {
      current.push(token);
    }
  }
  statements.push(current);
  return statements.filter((s) => significant(s).length > 0);
}
