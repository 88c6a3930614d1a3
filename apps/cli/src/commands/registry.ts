import { userInfo } from "node:os";
import { createApprovalGuard, createApprovalService, parseApprovalConfig } from "@mlops/approvals";
import { type AppConfig, isMlopsError, MlopsError, silentLogger } from "@mlops/core";
import { openDatabase } from "@mlops/db/client";
import {
  type AliasEvent,
  type AliasMovePlan,
  type AliasMoveResult,
  type ApprovedRegistration,
  createModelRegistry,
  type OutboxEntry,
  type OutboxSyncReport,
  type PendingRegistrationRecord,
  type PromotionComparison,
  parseCriteria,
  type RegistryApprovalAction,
  type RegistryStatus,
  type RunComparison,
  type RunSummary,
} from "@mlops/registry";
import { openTracking, withLocalApprovals } from "@mlops/stack";
import type { Command } from "commander";
import pc from "picocolors";
import type { ApiClient } from "../backend/api-client";
import { apiClientFor } from "../backend/connect";
import { cliEnvironment } from "../env";
import { printJson, printLine, say } from "../output/print";
import { renderTable } from "../output/table";

type ChangeKind = "promote" | "rollback";

/** What the registry and runs commands need: this process (local database) or the running API. */
export interface RegistryBackend {
  description: string;
  status(model: string): Promise<RegistryStatus>;
  compare(model: string): Promise<PromotionComparison>;
  plan(kind: ChangeKind, model: string): Promise<Pick<AliasMovePlan, "action" | "digest">>;
  change(kind: ChangeKind, model: string, options: { approvalId?: string; reason?: string }): Promise<AliasMoveResult>;
  requestApproval(
    plan: { action: RegistryApprovalAction; digest: string },
    reason: string,
    undo: string,
  ): Promise<{ id: string }>;
  /** Registrations waiting for approval (`--require-approval`); `all` includes the finished ones. */
  pending(query: { model?: string; all?: boolean }): Promise<PendingRegistrationRecord[]>;
  getPending(ref: string): Promise<PendingRegistrationRecord>;
  /** Registers a pending registration with the approval of exactly its action. */
  registerPending(ref: string, options: { approvalId?: string }): Promise<ApprovedRegistration>;
  history(model: string): Promise<AliasEvent[]>;
  listRuns(query: { experiment?: string; limit?: number }): Promise<RunSummary[]>;
  showRun(runId: string): Promise<RunSummary & { artifacts: { path: string; is_dir: boolean }[] }>;
  compareRuns(query: { experiment?: string; runIds?: string[] }): Promise<RunComparison>;
  outbox(): Promise<OutboxEntry[]>;
  sync(): Promise<OutboxSyncReport>;
  close(): Promise<void>;
}

const cliActor = () => `cli:${userInfo().username}`;

/** The versions an action touches (a registration has none yet). */
const versionsOf = (action: RegistryApprovalAction): string[] =>
  action.kind === "registry.register" ? [] : [action.change.version];

/** Opens the app database and the tracking server (MLFLOW_TRACKING_URI, else the built-in one in this process). */
async function openLocalBackend(config: AppConfig): Promise<RegistryBackend> {
  const database = await openDatabase({ url: config.databaseUrl, home: config.home });
  const tracking = openTracking(config, database, silentLogger());
  const mlflow = tracking.client;
  const registry = createModelRegistry({ mlflow, db: database.db, criteria: parseCriteria(config.sections.criteria) });
  // The same default policy as every process of the stack: without an approvals: section, the local user approves.
  const approvalsConfig = parseApprovalConfig(withLocalApprovals(config.sections).approvals);
  return {
    description: `local database (${database.kind}), tracking ${tracking.uri}`,
    status: (model) => registry.status(model),
    compare: (model) => registry.compareForPromotion(model),
    plan: (kind, model) => (kind === "promote" ? registry.planPromotion(model) : registry.planRollback(model)),
    change(kind, model, options) {
      const guarded = {
        actor: cliActor(),
        approvalId: options.approvalId,
        reason: options.reason,
        approvalGuard: createApprovalGuard({
          db: database.db,
          actor: cliActor(),
          channel: "cli",
          config: approvalsConfig,
          approvalIdFor: () => options.approvalId,
        }),
      };
      return kind === "promote" ? registry.promote(model, guarded) : registry.rollback(model, guarded);
    },
    async requestApproval(plan, reason, undo) {
      const service = createApprovalService({ db: database.db, config: approvalsConfig });
      return service.request({
        action: plan.action,
        reason,
        risk: { summary: reason, versionsAffected: versionsOf(plan.action), reversible: true, undo },
        requestedBy: cliActor(),
        channel: "cli",
      });
    },
    pending: (query) => registry.pending({ model: query.model, status: query.all ? "all" : undefined }),
    getPending: (ref) => registry.pendingRegistration(ref),
    async registerPending(ref, options) {
      const pending = await registry.pendingRegistration(ref);
      const approvalId = options.approvalId ?? (ref !== pending.id ? ref : undefined);
      return registry.registerApproved(ref, {
        actor: cliActor(),
        approvalId,
        approvalGuard: createApprovalGuard({
          db: database.db,
          actor: cliActor(),
          channel: "cli",
          config: approvalsConfig,
          approvalIdFor: () => approvalId,
        }),
      });
    },
    history: (model) => registry.history(model),
    listRuns: (query) => registry.listRuns(query),
    showRun: (runId) => registry.showRun(runId),
    compareRuns: (query) => registry.compareRuns(query),
    outbox: () => registry.outbox(),
    sync: () => registry.syncOutbox(),
    close: () => database.close(),
  };
}

/** The same operations through the running API's `/v1/registry` and `/v1/runs` routes. */
function remoteBackend(api: ApiClient, token: string | undefined): RegistryBackend {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${api.baseUrl}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          "x-mlops-channel": "cli",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (cause) {
      throw new MlopsError("API_UNREACHABLE", `Cannot reach the API at ${api.baseUrl}.`, { cause });
    }
    const parsed = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; hint?: string; context?: Record<string, unknown> };
    };
    if (!response.ok) {
      throw new MlopsError(
        parsed.error?.code ?? "API_ERROR",
        parsed.error?.message ?? `${method} ${path}: ${response.status}`,
        {
          ...(parsed.error?.hint ? { hint: parsed.error.hint } : {}),
          ...(parsed.error?.context ? { context: parsed.error.context } : {}),
        },
      );
    }
    return parsed as T;
  }
  const m = (model: string) => `/v1/registry/models/${encodeURIComponent(model)}`;
  return {
    description: `the running API at ${api.baseUrl}`,
    status: (model) => call("GET", m(model)),
    compare: (model) => call("GET", `${m(model)}/compare`),
    plan: (kind, model) => call("GET", `${m(model)}/plan/${kind}`),
    change: (kind, model, options) => call("POST", `${m(model)}/${kind}`, options),
    requestApproval: (plan, reason, undo) =>
      call("POST", "/v1/approvals", {
        action: plan.action,
        reason,
        risk: { summary: reason, versionsAffected: versionsOf(plan.action), reversible: true, undo },
      }),
    pending: async (query) => {
      const params = new URLSearchParams();
      if (query.model) params.set("model", query.model);
      if (query.all) params.set("status", "all");
      return (await call<{ pending: PendingRegistrationRecord[] }>("GET", `/v1/registry/pending?${params}`)).pending;
    },
    getPending: (ref) => call("GET", `/v1/registry/pending/${encodeURIComponent(ref)}`),
    registerPending: (ref, options) =>
      call("POST", `/v1/registry/pending/${encodeURIComponent(ref)}/register`, options),
    history: async (model) => (await call<{ events: AliasEvent[] }>("GET", `${m(model)}/history`)).events,
    listRuns: async (query) => {
      const params = new URLSearchParams();
      if (query.experiment) params.set("experiment", query.experiment);
      if (query.limit) params.set("limit", String(query.limit));
      return (await call<{ runs: RunSummary[] }>("GET", `/v1/runs?${params}`)).runs;
    },
    showRun: (runId) => call("GET", `/v1/runs/${encodeURIComponent(runId)}`),
    compareRuns: (query) => call("POST", "/v1/runs/compare", query),
    outbox: async () => (await call<{ entries: OutboxEntry[] }>("GET", "/v1/runs/outbox")).entries,
    sync: () => call("POST", "/v1/runs/sync"),
    close: async () => {},
  };
}

/** The running API when one answers (the embedded database is then held by it), otherwise this process. */
export async function connectRegistry(config: AppConfig, options: { quiet?: boolean } = {}): Promise<RegistryBackend> {
  const api = apiClientFor(config);
  const backend = (await api.isUp())
    ? remoteBackend(api, cliEnvironment().MLOPS_API_TOKEN)
    : await openLocalBackend(config);
  if (!options.quiet) say(`(${backend.description})`);
  return backend;
}

/** Opens a backend, runs `work`, closes it. */
export async function withRegistry<T>(
  loadConfig: () => AppConfig,
  options: { quiet?: boolean },
  work: (backend: RegistryBackend) => Promise<T>,
): Promise<T> {
  const backend = await connectRegistry(loadConfig(), options);
  try {
    return await work(backend);
  } finally {
    await backend.close();
  }
}

const fmt = (value: number | undefined) =>
  value === undefined ? "" : Number.isInteger(value) ? String(value) : value.toFixed(4);
const roleColour = (alias: string) =>
  alias === "champion"
    ? pc.green(alias)
    : alias === "challenger"
      ? pc.yellow(alias)
      : alias === "defeated"
        ? pc.dim(alias)
        : alias;

function printStatus(status: RegistryStatus): void {
  printLine(
    `${pc.bold(status.model)}  ${
      Object.entries(status.aliases)
        .map(([a, v]) => `${roleColour(a)}=v${v}`)
        .join("  ") || "no aliases"
    }`,
  );
  const c = status.criteria;
  printLine(
    pc.dim(
      `criteria: accuracy ≥ ${c.accuracy}, f1 ≥ ${c.f1}, precision ≥ ${c.precision}, recall ≥ ${c.recall}, beat champion by ${c.beatChampionBy}`,
    ),
  );
  printLine(
    renderTable(
      ["version", "aliases", "ready", "accuracy", "f1", "precision", "recall", "validation"],
      status.versions.map((v) => [
        v.version,
        v.aliases.map(roleColour).join(","),
        v.productionReady === undefined ? "" : v.productionReady ? pc.green("yes") : pc.red("no"),
        fmt(v.metrics.accuracy),
        fmt(v.metrics.f1),
        fmt(v.metrics.precision),
        fmt(v.metrics.recall),
        v.validationReason ?? "",
      ]),
    ),
  );
  if (status.awaitingReview)
    printLine(
      pc.yellow(`challenger v${status.aliases.challenger} waits for review: mlops registry promote ${status.model}`),
    );
}

function printComparison(comparison: PromotionComparison): void {
  printLine(
    `${pc.bold(comparison.model)}: challenger v${comparison.challenger.version} vs champion ${comparison.champion ? `v${comparison.champion.version}` : "(none)"}`,
  );
  printLine(
    renderTable(
      ["metric", "champion", "challenger", "difference"],
      comparison.metrics.map((m) => [
        m.key,
        fmt(m.champion),
        fmt(m.challenger),
        m.difference === undefined ? "" : `${m.difference >= 0 ? "+" : ""}${fmt(m.difference)}`,
      ]),
    ),
  );
  for (const [key, value] of Object.entries(comparison.significance)) printLine(`  ${key}: ${value}`);
}

function printMove(kind: ChangeKind, result: AliasMoveResult): void {
  printLine(
    pc.green(
      `✔ ${kind === "promote" ? "promoted" : "rolled back"}: ${result.model} champion is now v${result.champion}`,
    ),
  );
  if (result.defeated) printLine(`  v${result.defeated} is now defeated`);
  if (kind === "promote") printLine("  challenger alias removed");
  printLine(pc.dim(`  approval digest ${result.digest}`));
}

async function guardedChange(
  backend: RegistryBackend,
  kind: ChangeKind,
  model: string,
  options: { approval?: string; reason?: string; requestApproval?: boolean; json?: boolean },
): Promise<void> {
  const plan = await backend.plan(kind, model);
  try {
    const result = await backend.change(kind, model, {
      ...(options.approval ? { approvalId: options.approval } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    });
    if (options.json) printJson(result);
    else printMove(kind, result);
  } catch (error) {
    if (!isMlopsError(error) || !/^APPROVAL_|REGISTRY_APPROVAL_REQUIRED/.test(error.code)) throw error;
    const change = plan.action.change;
    const reason =
      options.reason ??
      (kind === "promote"
        ? `Promote ${model} v${change.version} to champion (replacing v${change.fromVersion ?? "none"})`
        : `Roll back ${model} champion from v${change.fromVersion} to v${change.version}`);
    const request = options.requestApproval
      ? await backend.requestApproval(
          plan,
          reason,
          `mlops registry ${kind === "promote" ? "rollback" : "promote"} ${model}`,
        )
      : undefined;
    if (options.json)
      printJson({ error: error.toJSON(), action: plan.action, digest: plan.digest, approvalRequest: request?.id });
    say(`This ${kind} needs an approval of exactly this action (digest ${plan.digest}):`);
    say(`  ${JSON.stringify(plan.action)}`);
    say(
      request
        ? `Approval requested: ${request.id}. When an approver has approved it: mlops registry ${kind} ${model} --approval ${request.id}`
        : `Ask for one with: mlops registry ${kind} ${model} --request-approval`,
    );
    throw error;
  }
}

/** `mlops registry status|compare|promote|rollback|history`: the champion/challenger lifecycle. */
export function registerRegistry(program: Command, loadConfig: () => AppConfig): void {
  const registry = program
    .command("registry")
    .description("Model versions, aliases and the champion/challenger lifecycle");

  registry
    .command("status")
    .description("Versions, aliases and gate results of a registered model")
    .argument("<model>")
    .option("--json", "print as JSON")
    .action(async (model: string, options: { json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const status = await backend.status(model);
        if (options.json) printJson(status);
        else printStatus(status);
      }),
    );

  registry
    .command("compare")
    .description("The challenger and the champion side by side")
    .argument("<model>")
    .option("--json", "print as JSON")
    .action(async (model: string, options: { json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const comparison = await backend.compare(model);
        if (options.json) printJson(comparison);
        else printComparison(comparison);
      }),
    );

  for (const kind of ["promote", "rollback"] as const) {
    registry
      .command(kind)
      .description(
        kind === "promote"
          ? "Make the challenger champion (the champion becomes defeated); needs an approval"
          : "Give champion back to the previous champion; needs an approval",
      )
      .argument("<model>")
      .option("--approval <id>", "the approval to use (default: an approved request for this exact action)")
      .option("--request-approval", "when there is no approval yet, ask for one")
      .option("--reason <text>", "why (recorded in the alias history)")
      .option("--json", "print as JSON")
      .action(
        async (
          model: string,
          options: { approval?: string; reason?: string; requestApproval?: boolean; json?: boolean },
        ) =>
          withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
            if (kind === "promote" && !options.json) printComparison(await backend.compare(model));
            await guardedChange(backend, kind, model, options);
          }),
      );
  }

  registry
    .command("pending")
    .description("Registrations waiting for approval (experiments run with --require-approval)")
    .option("--model <name>", "only this registered model")
    .option("--all", "also the ones already registered")
    .option("--json", "print as JSON")
    .action(async (options: { model?: string; all?: boolean; json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const pending = await backend.pending({
          ...(options.model ? { model: options.model } : {}),
          ...(options.all ? { all: true } : {}),
        });
        if (options.json) return printJson({ pending });
        if (pending.length === 0) return printLine("No registrations wait for approval.");
        printLine(
          renderTable(
            ["id", "model", "run", "would be", "accuracy", "f1", "approval", "state", "status"],
            pending.map((p) => [
              p.id,
              p.model,
              p.runId,
              p.alias ? roleColour(p.alias) : pc.red("no alias (fails gates)"),
              fmt(p.metrics.accuracy),
              fmt(p.metrics.f1),
              p.approvalId ?? "",
              p.approvalState,
              p.status === "registered" ? pc.green(`v${p.version} ${p.registeredAlias ?? ""}`.trim()) : p.status,
            ]),
          ),
        );
        const open = pending.filter((p) => p.status === "pending");
        if (open.length > 0)
          printLine(pc.dim(`once approved: mlops registry register <id> [--approval <approval id>]`));
      }),
    );

  registry
    .command("register")
    .description("Register a pending registration once its approval is there (through the normal lifecycle)")
    .argument("<pending-id>", "the pending registration (preg_…), or its approval request's id")
    .option("--approval <id>", "the approval to use (default: an approved request for this exact action)")
    .option("--request-approval", "when there is no approval yet, ask for one")
    .option("--json", "print as JSON")
    .action(async (ref: string, options: { approval?: string; requestApproval?: boolean; json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        try {
          const result = await backend.registerPending(ref, options.approval ? { approvalId: options.approval } : {});
          if (options.json) return printJson(result);
          const { outcome } = result;
          if (outcome.status === "registered") {
            printLine(
              pc.green(
                `✔ registered ${outcome.model} v${outcome.version} as ${outcome.alias ?? "a version with no alias (production_ready=false)"}`,
              ),
            );
            if (result.pending.alias !== (outcome.alias ?? null))
              printLine(
                pc.yellow(`  (asked for as ${result.pending.alias ?? "no alias"}; the registry changed since)`),
              );
          } else printLine(outcome.message);
          printLine(pc.dim(`  approval ${result.approvalId ?? "(not used)"}, digest ${result.digest}`));
        } catch (error) {
          if (!isMlopsError(error) || !/^APPROVAL_|REGISTRY_APPROVAL_REQUIRED/.test(error.code)) throw error;
          const pending = await backend.getPending(ref);
          const request = options.requestApproval
            ? await backend.requestApproval(
                pending,
                `Register run ${pending.runId} as a new version of ${pending.model} (would be ${pending.alias ?? "no alias"})`,
                `Delete the new version of ${pending.model} (registry.delete_version, approved on its own).`,
              )
            : undefined;
          if (options.json)
            printJson({
              error: error.toJSON(),
              action: pending.action,
              digest: pending.digest,
              approvalRequest: request?.id,
            });
          say(`This registration needs an approval of exactly this action (digest ${pending.digest}):`);
          say(`  ${JSON.stringify(pending.action)}`);
          say(
            request
              ? `Approval requested: ${request.id}. When an approver has approved it: mlops registry register ${pending.id} --approval ${request.id}`
              : `Approval ${pending.approvalId ?? "(none)"} is ${pending.approvalState}. Ask for a new one with: mlops registry register ${pending.id} --request-approval`,
          );
          throw error;
        }
      }),
    );

  registry
    .command("history")
    .description("Who moved which alias when, with which approval")
    .argument("<model>")
    .option("--json", "print as JSON")
    .action(async (model: string, options: { json?: boolean }) =>
      withRegistry(loadConfig, { quiet: options.json }, async (backend) => {
        const events = await backend.history(model);
        if (options.json) return printJson({ events });
        if (events.length === 0) return printLine(`No alias moves recorded for ${model}.`);
        printLine(
          renderTable(
            ["at", "alias", "change", "cause", "actor", "approval"],
            events.map((e) => [
              e.at,
              roleColour(e.alias),
              e.action === "set"
                ? `${e.previousVersion ? `v${e.previousVersion}` : "∅"} → v${e.version}`
                : `removed from v${e.previousVersion}`,
              e.cause,
              e.actor,
              e.approvalId ?? (e.approvalDigest ? e.approvalDigest.slice(0, 12) : ""),
            ]),
          ),
        );
      }),
    );
}
