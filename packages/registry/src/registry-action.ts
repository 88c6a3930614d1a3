import { createHash } from "node:crypto";

/** Registry changes of existing versions that need a human approval, as the approvals package names them. */
export type RegistryChangeKind = "registry.promote" | "registry.rollback" | "registry.delete_version";
/** Every registry action that needs a human approval. */
export type RegistryActionKind = RegistryChangeKind | "registry.register";

/**
 * A registry change as it will execute: the shape of the approvals package's `ActionSpec` (`kind`, `target`,
 * `change`). Its SHA-256 digest is what a person approves, so it names the versions on both sides of the move.
 */
export interface RegistryActionSpec {
  kind: RegistryChangeKind;
  target: string;
  change: { model: string; version: string; alias?: string; fromVersion?: string };
}

/** What a `registry.register` action registers (the approvals package's `registerParametersSchema`). */
export type RegisterActionParameters = {
  model: string;
  runId: string;
  /** Every metric as logged, numbers. */
  metrics: Record<string, number>;
  /** SHA-256 of the model spec's canonical JSON ({@link specDigest}); absent when no spec is logged. */
  specDigest?: string;
  tags?: Record<string, string>;
  description?: string;
};

/**
 * A registration asked for with `requireApproval`: the run's results become a new version of `target` through
 * the lifecycle. No version exists yet, so it has `parameters` and no `change`.
 */
export interface RegisterActionSpec {
  kind: "registry.register";
  target: string;
  parameters: RegisterActionParameters;
}

/** Any registry action a person approves. */
export type RegistryApprovalAction = RegistryActionSpec | RegisterActionSpec;

/**
 * Refuses (throws) unless the action has a valid approval, which it consumes; `createApprovalGuard` of the
 * approvals package builds one.
 */
export type RegistryApprovalGuard = (action: RegistryApprovalAction) => Promise<unknown>;

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

/**
 * Registering `runId`'s results as a new version of `model`: everything that changes the outcome (metrics, the
 * spec by its digest, tags, description). Keys that are undefined are left out, so the action is canonical.
 */
export function registerAction(input: {
  model: string;
  runId: string;
  metrics: Record<string, number>;
  specDigest?: string | undefined;
  tags?: Record<string, string> | undefined;
  description?: string | undefined;
}): RegisterActionSpec {
  const tags = input.tags && Object.keys(input.tags).length > 0 ? input.tags : undefined;
  return {
    kind: "registry.register",
    target: input.model,
    parameters: {
      model: input.model,
      runId: input.runId,
      metrics: canonical(input.metrics) as Record<string, number>,
      ...(input.specDigest ? { specDigest: input.specDigest } : {}),
      ...(tags ? { tags: canonical(tags) as Record<string, string> } : {}),
      ...(input.description ? { description: input.description } : {}),
    },
  };
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
export function registryActionDigest(action: RegistryApprovalAction): string {
  return sha256Canonical(action);
}

/** SHA-256 (hex) of a model spec's canonical JSON: how a `registry.register` action names the spec it registers. */
export function specDigest(spec: unknown): string {
  return sha256Canonical(spec);
}

function sha256Canonical(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(value)), "utf8")
    .digest("hex");
}
