import { LakehouseError } from "./errors";
import type { EngineKind } from "./lakehouse";
import type { SqlClassification } from "./sql/classify-sql";
import type { SqlParams } from "./values";

/** A destructive action as a plain, canonical spec: what a person approves (the approvals package digests it). */
export type DestructiveAction =
  | {
      type: "lakehouse.sql";
      engine: EngineKind;
      sql: string;
      params: SqlParams | undefined;
      /** Objects the statements act on, as written. */
      targets: string[];
      reasons: string[];
    }
  | {
      type: "lakehouse.write";
      engine: EngineKind;
      table: string;
      mode: "overwrite" | "merge";
      keys: string[];
      /** Rows to write (writeRows) … */
      rowCount?: number;
      /** … or the file to load (ingestCsv). */
      source?: string;
    };

/**
 * Resolves when an approval exists for exactly this action; throws otherwise. Injected by the caller
 * (`@mlops/approvals` supplies one that checks and consumes the approval).
 */
export type DestructiveGuard = (action: DestructiveAction) => Promise<void>;

export function sqlAction(
  engine: EngineKind,
  sql: string,
  params: SqlParams | undefined,
  classification: SqlClassification,
): DestructiveAction {
  const targets = classification.statements.flatMap((s) => (s.target === undefined ? [] : [s.target]));
  return { type: "lakehouse.sql", engine, sql, params, targets, reasons: classification.reasons };
}

/** Refuses destructive SQL on a path that has no guard. */
export function refuseDestructive(sql: string, classification: SqlClassification): never {
  throw new LakehouseError(
    "LAKEHOUSE_DESTRUCTIVE_REFUSED",
    `Refused destructive SQL: ${classification.reasons.join("; ")}`,
    {
      hint: "Run it through executeDestructive with an approval guard, after a person approves it.",
      context: { sql, statements: classification.statements.map((s) => ({ kind: s.kind, verdict: s.verdict })) },
    },
  );
}

/** Asks the guard; any failure (or no guard) becomes `LAKEHOUSE_DESTRUCTIVE_REFUSED` and nothing runs. */
export async function requireApproval(guard: DestructiveGuard | undefined, action: DestructiveAction): Promise<void> {
  if (typeof guard !== "function") {
    throw new LakehouseError("LAKEHOUSE_DESTRUCTIVE_REFUSED", "Refused a destructive action: no approval guard given", {
      hint: "Pass approvalGuard; destructive actions need a person's approval.",
      context: { action },
    });
  }
  try {
    await guard(action);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new LakehouseError("LAKEHOUSE_DESTRUCTIVE_REFUSED", `Refused a destructive action: ${why}`, {
      hint: "Ask for an approval of exactly this action, then run it again.",
      context: { action },
      cause,
    });
  }
}
