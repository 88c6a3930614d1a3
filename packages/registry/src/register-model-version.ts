import { systemClock } from "@mlops/core";
import { isMlflowError, type ModelVersion } from "@mlops/mlflow";
import { z } from "zod";
import { recordAliasEvents } from "./alias-history";
import {
  evaluateVersion,
  GATED_METRICS,
  isSameResult,
  type LifecycleRole,
  type VersionEvaluation,
  type VersionMetrics,
} from "./evaluate-version";
import { logModelSpec } from "./log-model-spec";
import { MODEL_ARTIFACT_PATH, type ModelSpecInput, parseModelSpec, specTags } from "./model-spec";
import { recordPendingRegistration } from "./pending-registrations";
import { DEFAULT_CRITERIA } from "./production-criteria";
import { type RegisterActionSpec, registerAction, registryActionDigest, specDigest } from "./registry-action";
import type { RegistryDeps } from "./registry-deps";
import { RegistryError } from "./registry-error";
import { aliasMap, findModel, listVersions, tracked, versionMetrics } from "./tracking-calls";

const metricsSchema = z
  .object(
    Object.fromEntries(GATED_METRICS.map((m) => [m, z.number().min(0).max(1)])) as Record<
      (typeof GATED_METRICS)[number],
      z.ZodNumber
    >,
  )
  .catchall(z.number());

export interface RegisterVersionInput {
  /** Registered model name (`news-classifier`, or `catalog.schema.model` on Unity Catalog). */
  model: string;
  /** The run whose results these are. */
  runId: string;
  /** accuracy, f1, precision, recall (fractions) and any others (latency_p95_ms, cost_per_1k_usd…). */
  metrics: Record<string, number>;
  /** When given, logged as the run's `model/` artifact before registering. */
  spec?: ModelSpecInput;
  /** Extra version tags (track, provider…). */
  tags?: Record<string, string>;
  description?: string;
  /** Who registers (recorded in the alias history). @defaultValue "registry" */
  actor?: string;
  /** `false` (`--no-register`) evaluates and tags the run but registers nothing. @defaultValue true */
  register?: boolean;
  /** Ask before registering: returns the pending registration instead of registering. @defaultValue false */
  requireApproval?: boolean;
}

/**
 * What registering would do, for a person to confirm: recorded (once per digest) in the app database, where
 * `registerApproved(id)` registers it through the lifecycle once the approval of exactly `action` is there.
 */
export interface PendingRegistration {
  /** The pending registration's id (`preg_…`): `mlops registry register <id>`. */
  id: string;
  kind: "registry.register";
  target: string;
  role: LifecycleRole;
  alias: string | undefined;
  input: Omit<RegisterVersionInput, "requireApproval">;
  /** The action a person approves, and the SHA-256 of its canonical JSON. */
  action: RegisterActionSpec;
  digest: string;
  /** The approval request already attached (a retry finds the first one), if any. */
  approvalId: string | undefined;
}

/** Internal: how `registerApproved` runs the lifecycle with its approval check right before the version is made. */
export interface RegisterHooks {
  /** Called after the gates and the duplicate check, before anything is registered; throws to refuse. */
  beforeRegister?: () => Promise<{ approvalId: string | undefined; digest: string }>;
}

interface OutcomeBase {
  model: string;
  runId: string;
  evaluation: VersionEvaluation;
  /** One line for people. */
  message: string;
}

export type RegistrationOutcome =
  | (OutcomeBase & { status: "registered"; version: string; role: LifecycleRole; alias: string | undefined })
  | (OutcomeBase & { status: "duplicate"; existingVersion: string })
  | (OutcomeBase & { status: "skipped" })
  | (OutcomeBase & { status: "pending_approval"; pending: PendingRegistration });

function parseMetrics(metrics: Record<string, number>): VersionMetrics {
  const result = metricsSchema.safeParse(metrics);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new RegistryError("REGISTRY_INVALID_INPUT", `Invalid metrics: ${fields}`, {
      hint: "accuracy, f1, precision and recall are required, as fractions between 0 and 1.",
    });
  }
  return result.data as VersionMetrics;
}

function findDuplicate(versions: ModelVersion[], metrics: VersionMetrics, tolerance: number): ModelVersion | undefined {
  return versions.find((v) => {
    const m = versionMetrics(v);
    return (
      m.accuracy !== undefined &&
      m.f1 !== undefined &&
      isSameResult({ accuracy: m.accuracy, f1: m.f1 }, metrics, tolerance)
    );
  });
}

/**
 * Evaluates a run's results against the production criteria and registers it as a new version of `model` with
 * the alias its results earn: the first passing version becomes `champion`, one beating the champion by the
 * margin `challenger`, any other passing one `candidate`; a failing one is registered with no alias. Every
 * version (and the run) is tagged `production_ready` and `validation_reason`. A version with the same accuracy and
 * F1 (within the tolerance) as an existing one is not registered: the outcome names that version.
 */
export async function registerModelVersion(
  deps: RegistryDeps,
  input: RegisterVersionInput,
  hooks: RegisterHooks = {},
): Promise<RegistrationOutcome> {
  const criteria = deps.criteria ?? DEFAULT_CRITERIA;
  const clock = deps.clock ?? systemClock;
  const metrics = parseMetrics(input.metrics);
  const { model, runId } = input;
  if (!model.trim()) throw new RegistryError("REGISTRY_INVALID_INPUT", "A model name is required.");
  const spec = input.spec === undefined ? undefined : parseModelSpec(input.spec);

  const existing = await findModel(deps, model);
  const versions = existing ? await listVersions(deps, model) : [];
  const aliases = existing ? aliasMap(existing) : {};
  const championVersion = aliases.champion;
  const championMetrics = championVersion
    ? versionMetrics(versions.find((v) => v.version === championVersion) ?? ({ tags: [] } as unknown as ModelVersion))
    : undefined;
  const champion =
    championVersion && championMetrics?.accuracy !== undefined
      ? { version: championVersion, accuracy: championMetrics.accuracy }
      : undefined;
  const evaluation = evaluateVersion(metrics, criteria, champion);
  const base = { model, runId, evaluation };

  await tracked(deps, async () => {
    await deps.mlflow.runs.logBatch(runId, {
      tags: [
        { key: "production_ready", value: String(evaluation.productionReady) },
        { key: "validation_reason", value: evaluation.validationReason },
      ],
    });
  });
  const source = spec ? await logModelSpec(deps, runId, spec) : `runs:/${runId}/${MODEL_ARTIFACT_PATH}`;

  const duplicate = findDuplicate(versions, metrics, criteria.duplicateTolerance);
  if (duplicate) {
    return {
      ...base,
      status: "duplicate",
      existingVersion: duplicate.version,
      message: `Not registered: version ${duplicate.version} of ${model} has the same accuracy and F1 (±${criteria.duplicateTolerance}).`,
    };
  }
  if (input.register === false) {
    return { ...base, status: "skipped", message: `Not registered (register: false); would be ${evaluation.role}.` };
  }
  const alias = evaluation.role === "rejected" ? undefined : evaluation.role;
  if (input.requireApproval) {
    const { requireApproval: _ignored, register: _register, ...rest } = input;
    const stored = { ...rest, metrics, ...(spec ? { spec } : {}) };
    const action = registerAction({
      model,
      runId,
      metrics,
      specDigest: spec ? specDigest(spec) : undefined,
      tags: input.tags,
      description: input.description,
    });
    const digest = registryActionDigest(action);
    const record = await recordPendingRegistration(deps.db, {
      model,
      runId,
      input: stored,
      action,
      digest,
      role: evaluation.role,
      alias,
      validationReason: evaluation.validationReason,
      requestedBy: input.actor ?? "registry",
      clock,
    });
    return {
      ...base,
      status: "pending_approval",
      pending: {
        id: record.id,
        kind: "registry.register",
        target: model,
        role: evaluation.role,
        alias,
        input: stored,
        action,
        digest,
        approvalId: record.approvalId ?? undefined,
      },
      message:
        `Waiting for approval: would register ${model} as ${alias ?? "a version with no alias (production_ready=false)"} ` +
        `(pending registration ${record.id}).`,
    };
  }
  const approval = hooks.beforeRegister ? await hooks.beforeRegister() : undefined;

  const version = await tracked(deps, async () => {
    if (!existing) {
      try {
        await deps.mlflow.registeredModels.create({ name: model });
      } catch (error) {
        if (!isMlflowError(error, "RESOURCE_ALREADY_EXISTS")) throw error;
      }
    }
    const tags = {
      ...input.tags,
      ...(spec ? specTags(spec) : {}),
      ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`metric.${k}`, String(v)])),
      production_ready: String(evaluation.productionReady),
      validation_reason: evaluation.validationReason,
      lifecycle_role: evaluation.role,
    };
    const created = await deps.mlflow.modelVersions.create({
      name: model,
      source,
      runId,
      ...(input.description ? { description: input.description } : {}),
      tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    });
    if (alias) await deps.mlflow.aliases.set(model, alias, created.version);
    return created.version;
  });
  if (alias) {
    await recordAliasEvents(
      deps.db,
      [
        {
          model,
          alias,
          action: "set",
          version,
          previousVersion: aliases[alias] ?? null,
          actor: input.actor ?? "registry",
          cause: "registration",
          reason: evaluation.validationReason,
          approvalId: approval?.approvalId,
          approvalDigest: approval?.digest,
        },
      ],
      clock,
    );
  }
  return {
    ...base,
    status: "registered",
    version,
    role: evaluation.role,
    alias,
    message: `Registered ${model} version ${version} as ${alias ?? "rejected (production_ready=false, no alias)"}.`,
  };
}
