import type { ActionSpec } from "./action-spec";

/**
 * Whether an action can be undone. Fails closed: SQL we cannot read is irreversible. VACUUM removes the files
 * that time travel needs; DROP and TRUNCATE remove data; deleting a model version removes its artifacts.
 */
export function isIrreversible(action: ActionSpec): boolean {
  if (action.kind === "registry.delete_version") return true;
  // promotion and rollback move an alias back; a registration is undone by deleting the version (itself approved)
  if (
    action.kind === "registry.promote" ||
    action.kind === "registry.rollback" ||
    action.kind === "registry.register"
  ) {
    return false;
  }
  if (action.sql === undefined) return action.kind === "lakehouse.sql";
  const statements = stripComments(action.sql)
    .split(";")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (statements.length === 0) return true;
  return statements.some((statement) => IRREVERSIBLE.some((pattern) => pattern.test(statement)));
}

const IRREVERSIBLE = [
  /^vacuum\b/i,
  /^drop\s+(table|schema|database|catalog|view|materialized\s+view)\b/i,
  /^truncate\b/i,
  /\bpurge\b/i,
];

function stripComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/--[^\n]*/g, " ");
}
