import type { ApprovalService } from "@mlops/approvals";
import type { Logger } from "@mlops/core";
import {
  type ExperimentReport,
  type ExperimentStore,
  type ExperimentTrackingPlan,
  modelSpecForRegistry,
} from "@mlops/experiments";
import type { ExperimentRegistration } from "@mlops/queue";
import { type ModelRegistry, promotionAction, type RegistrationOutcome, type RunResult } from "@mlops/registry";

/** Who asks for promotions of the challengers experiments produce. */
export const PROMOTION_REQUESTER = "architect";

/** What became of one model of the experiment in the registry. */
export interface ModelRegistrationSummary {
  /** The experiment's model (`local/tfidf-logreg`). */
  model: string;
  /** The registered model it went to (`news-classifier`). */
  registeredModel: string;
  status: RegistrationOutcome["status"] | "queued" | "not_evaluated";
  version?: string;
  alias?: string;
  role?: string;
  existingVersion?: string;
  productionReady?: boolean;
  validationReason?: string;
  runId?: string;
  /**
   * The approval request: for promoting a new challenger to champion, or (status `pending_approval`) for
   * registering the version at all.
   */
  approvalId?: string;
  /** The pending registration (status `pending_approval`): `mlops registry register <pendingId>` finishes it. */
  pendingId?: string;
  message: string;
}

/** The experiment's models that can become versions, best first (so the best passing one becomes champion). */
export function registrableModels(report: ExperimentReport) {
  const task = report.primaryTask;
  return report.models
    .filter((m) => m.status === "completed" && m[task] !== undefined && m.evaluated > 0)
    .sort((a, b) => (b[task]?.accuracy ?? 0) - (a[task]?.accuracy ?? 0));
}

/** What each registrable model registers with; used for the outbox when MLflow is unreachable. */
export async function deferredRegistrations(
  store: ExperimentStore,
  report: ExperimentReport,
  registration: ExperimentRegistration | undefined,
) {
  const registrations = new Map<string, RunResult["registration"] & object>();
  const specs = new Map<string, RunResult["spec"] & object>();
  if (!registration?.model) return { registrations, specs };
  for (const m of registrableModels(report)) {
    const spec = await modelSpecForRegistry(store, report, m.model);
    if (spec) specs.set(m.model, spec);
    registrations.set(m.model, {
      model: registration.model,
      actor: PROMOTION_REQUESTER,
      register: registration.register,
      requireApproval: registration.requireApproval,
      tags: { track: m.track, experiment_id: report.experimentId, experiment_model: m.model },
    });
  }
  return { registrations, specs };
}

export interface RegisterExperimentOptions {
  store: ExperimentStore;
  registry: ModelRegistry;
  approvals: ApprovalService | undefined;
  logger: Logger;
}

/**
 * Registers each completed model of the experiment as a version of `registration.model`, best first, through the
 * registry's lifecycle (first passing → champion, beating the champion by the margin → challenger, passing →
 * candidate, failing → production_ready=false; duplicates name the existing version). A new challenger gets an
 * approval request for its promotion (requested by `architect`), so it waits for a person.
 */
export async function registerExperimentModels(
  options: RegisterExperimentOptions,
  report: ExperimentReport,
  plan: ExperimentTrackingPlan,
  runIds: ReadonlyMap<string, string>,
  registration: ExperimentRegistration,
): Promise<ModelRegistrationSummary[]> {
  const target = registration.model;
  if (!target) return [];
  const summaries: ModelRegistrationSummary[] = [];
  const registrable = new Set(registrableModels(report).map((m) => m.model));
  for (const m of report.models) {
    if (!registrable.has(m.model)) {
      summaries.push({
        model: m.model,
        registeredModel: target,
        status: "not_evaluated",
        message: `${m.model} has no results to register (${m.status}${m.error ? `: ${m.error}` : ""}).`,
      });
    }
  }
  for (const m of registrableModels(report)) {
    const runId = runIds.get(m.model);
    const child = plan.children.find((c) => c.model === m.model);
    if (!runId || !child) continue;
    const spec = await modelSpecForRegistry(options.store, report, m.model);
    const outcome = await options.registry.register({
      model: target,
      runId,
      metrics: child.metrics,
      ...(spec ? { spec } : {}),
      tags: {
        track: m.track,
        provider: child.params.provider ?? "",
        experiment_id: report.experimentId,
        experiment_model: m.model,
      },
      description: `${m.model} from experiment ${report.experimentId}`,
      actor: PROMOTION_REQUESTER,
      register: registration.register,
      requireApproval: registration.requireApproval,
    });
    const summary: ModelRegistrationSummary = {
      model: m.model,
      registeredModel: target,
      status: outcome.status,
      runId,
      productionReady: outcome.evaluation.productionReady,
      validationReason: outcome.evaluation.validationReason,
      message: outcome.message,
    };
    if (outcome.status === "registered") {
      summary.version = outcome.version;
      summary.role = outcome.role;
      if (outcome.alias) summary.alias = outcome.alias;
      if (outcome.role === "challenger" && options.approvals) {
        summary.approvalId = await requestPromotion(options.approvals, outcome, report.experimentId);
        summary.message += ` Promotion to champion waits for approval ${summary.approvalId}.`;
      }
    } else if (outcome.status === "duplicate") {
      summary.existingVersion = outcome.existingVersion;
    } else if (outcome.status === "pending_approval") {
      summary.role = outcome.pending.role;
      if (outcome.pending.alias) summary.alias = outcome.pending.alias;
      summary.pendingId = outcome.pending.id;
      const approvalId =
        outcome.pending.approvalId ??
        (options.approvals ? await requestRegistration(options, outcome, report.experimentId, m.model) : undefined);
      if (approvalId) {
        summary.approvalId = approvalId;
        summary.message +=
          ` Approval ${approvalId} requested; once approved: mlops registry register ${outcome.pending.id}` +
          ` --approval ${approvalId}`;
      } else {
        summary.message += ` No approvals service here: ask for one, then mlops registry register ${outcome.pending.id}`;
      }
    }
    options.logger.info({ experimentId: report.experimentId, ...summary }, "experiment model registration");
    summaries.push(summary);
  }
  return summaries;
}

const ALIAS_MEANING: Record<string, string> = {
  champion: "champion (the first passing version: the model served)",
  challenger: "challenger (beats the champion by the margin; promotion needs its own approval)",
  candidate: "candidate (passes the gates, does not beat the champion by the margin)",
};

/**
 * Asks for the approval of registering one model's run (`registry.register`, reversible: one approver), says
 * which alias the version would get, and attaches the request to the pending registration.
 */
async function requestRegistration(
  options: RegisterExperimentOptions,
  outcome: RegistrationOutcome & { status: "pending_approval" },
  experimentId: string,
  experimentModel: string,
): Promise<string> {
  const { pending, evaluation } = outcome;
  const alias = pending.alias;
  const would = alias
    ? `alias ${ALIAS_MEANING[alias] ?? alias}`
    : "no alias (production_ready=false: it fails the gates)";
  const request = await options.approvals!.request({
    action: pending.action,
    reason:
      `Register ${experimentModel} (experiment ${experimentId}, run ${pending.input.runId}) as a new version of ` +
      `${pending.target}: ${evaluation.validationReason}.`,
    risk: {
      summary:
        `Registers a new version of ${pending.target} with ${would}` +
        `${evaluation.champion ? `; champion is v${evaluation.champion.version}` : ""}. ` +
        "The lifecycle decides the alias again when it registers (gates, aliases, duplicates).",
      reversible: true,
      undo: `Delete the new version of ${pending.target} (registry.delete_version, approved on its own).`,
    },
    requestedBy: PROMOTION_REQUESTER,
    channel: "worker",
  });
  await options.registry.attachApproval(pending.id, request.id);
  return request.id;
}

async function requestPromotion(
  approvals: ApprovalService,
  outcome: RegistrationOutcome & { status: "registered" },
  experimentId: string,
): Promise<string> {
  const champion = outcome.evaluation.champion?.version;
  const action = promotionAction(outcome.model, outcome.version, champion);
  const gain = outcome.evaluation.accuracyGain;
  const request = await approvals.request({
    action,
    reason:
      `Version ${outcome.version} of ${outcome.model} (experiment ${experimentId}) beats champion ` +
      `v${champion ?? "?"}${gain === undefined ? "" : ` by ${(gain * 100).toFixed(2)} accuracy points`}: ` +
      `${outcome.evaluation.validationReason}.`,
    risk: {
      summary: `Moves alias champion of ${outcome.model} from v${champion ?? "none"} to v${outcome.version}; the old champion becomes defeated.`,
      versionsAffected: [outcome.version, ...(champion ? [champion] : [])],
      reversible: true,
      undo: `mlops registry rollback ${outcome.model}`,
    },
    requestedBy: PROMOTION_REQUESTER,
    channel: "worker",
  });
  return request.id;
}
