import { createHash } from "node:crypto";

/** Registry actions that need a human approval, as the approvals package names them. */
export type RegistryActionKind = "registry.promote" | "registry.rollback" | "registry.delete_version";

/**
 * A registry change as it will execute: the shape of the approvals package's `ActionSpec` (`kind`, `target`,
 * `change`). Its SHA-256 digest is what a person approves, so it names the versions on both sides of the move.
 */
export interface RegistryActionSpec {
  kind: RegistryActionKind;
  target: string;
  change: { model: string; version: string; alias?: string; fromVersion?: string };
}

/**
 * Refuses (throws) unless the action has a valid approval, which it consumes; `createApprovalGuard` of the
 * approvals package builds one.
 */
export type RegistryApprovalGuard = (action: RegistryActionSpec) => Promise<unknown>;

/** Challenger → champion: `version` takes `champion` from `fromVersion`. */
export function promotionAction(
  model: string,
  challengerVersion: string,
  championVersion?: string,
): RegistryActionSpec {
  return {
    kind: "registry.promote",
    target: model,
    change: {
      model,
      version: challengerVersion,
      alias: "champion",
      ...(championVersion ? { fromVersion: championVersion } : {}),
    },
  };
}

/** Back to the previous champion: `version` takes `champion` back from `fromVersion`. */
export function rollbackAction(model: string, previousVersion: string, currentVersion: string): RegistryActionSpec {
  return {
    kind: "registry.rollback",
    target: model,
    change: { model, version: previousVersion, alias: "champion", fromVersion: currentVersion },
  };
}

export function deleteVersionAction(model: string, version: string): RegistryActionSpec {
  return { kind: "registry.delete_version", target: model, change: { model, version } };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = canonical(item);
    }
    return out;
  }
  return value;
}

/** SHA-256 (hex) of the action's canonical JSON (keys sorted, no whitespace): the digest approvals are keyed by. */
export function registryActionDigest(action: RegistryActionSpec): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(action)), "utf8")
    .digest("hex");
}
