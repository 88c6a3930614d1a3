import { type AppConfig, apiBaseUrl, MlopsError } from "@mlops/core";
import type { Command } from "commander";
import pc from "picocolors";
import { cliEnvironment } from "../env";
import { printJson, printLine } from "../output/print";
import { renderTable } from "../output/table";

/** An approval request as the API returns it (the fields the CLI shows). */
export interface ApprovalView {
  id: string;
  state: "pending" | "approved" | "rejected" | "expired" | "used";
  digest: string;
  action: { kind: string; target: string; sql?: string; change?: Record<string, unknown>; parameters?: unknown };
  requestedBy: string;
  requestedVia: string;
  reason: string;
  risk: { summary: string; rowsAffected?: number; versionsAffected?: string[]; reversible: boolean; undo?: string };
  policy: { approvers: string[]; requiredApprovals: number };
  requiredApprovals: number;
  approvals: number;
  decisions: { approver: string; decision: string; channel: string; reason: string | null; at: string }[];
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface ApprovalsClientOptions {
  baseUrl: string;
  /** Bearer token (MLOPS_API_TOKEN). */
  token: string | undefined;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

/** The approvals API over HTTP, as the CLI uses it; decisions are recorded with channel `cli`. */
export function createApprovalsClient(options: ApprovalsClientOptions) {
  const doFetch = options.fetch ?? fetch;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!options.token) {
      throw new MlopsError("UNAUTHORIZED", "No API token for the approvals API.", {
        hint: "Set MLOPS_API_TOKEN to a token from the auth: section of mlops.config.yaml.",
      });
    }
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          "x-mlops-channel": "cli",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (cause) {
      throw new MlopsError("API_UNREACHABLE", `Cannot reach the API at ${options.baseUrl}.`, {
        hint: "Start it with `mlops up`, or set MLOPS_API_URL.",
        cause,
      });
    }
    const text = await response.text();
    let parsed: unknown = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = {};
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; hint?: string } }).error;
      throw new MlopsError(
        error?.code ?? "API_ERROR",
        error?.message ?? `${method} ${path} answered ${response.status}`,
        {
          ...(error?.hint ? { hint: error.hint } : {}),
          context: { status: response.status },
        },
      );
    }
    return parsed as T;
  }
  const at = (id: string) => `/v1/approvals/${encodeURIComponent(id)}`;
  return {
    list: async (state = "pending", limit = 50) =>
      (await call<{ approvals: ApprovalView[] }>("GET", `/v1/approvals?state=${state}&limit=${limit}`)).approvals,
    show: (id: string) => call<ApprovalView>("GET", at(id)),
    approve: (id: string, reason?: string) => call<ApprovalView>("POST", `${at(id)}/approve`, reason ? { reason } : {}),
    reject: (id: string, reason: string) => call<ApprovalView>("POST", `${at(id)}/reject`, { reason }),
  };
}

function stateColour(state: string): string {
  if (state === "approved" || state === "used") return pc.green(state);
  if (state === "rejected" || state === "expired") return pc.red(state);
  return pc.yellow(state);
}

function printApproval(a: ApprovalView): void {
  printLine(`${pc.bold(a.action.kind)} on ${pc.bold(a.action.target)}  ${a.id}  ${stateColour(a.state)}`);
  printLine(`  digest:    ${a.digest}`);
  printLine(`  requested: by ${a.requestedBy} via ${a.requestedVia} at ${a.createdAt}; expires ${a.expiresAt}`);
  printLine(`  reason:    ${a.reason}`);
  const affected = [
    a.risk.rowsAffected !== undefined ? `${a.risk.rowsAffected} rows` : undefined,
    a.risk.versionsAffected?.length ? `versions ${a.risk.versionsAffected.join(", ")}` : undefined,
  ].filter(Boolean);
  printLine(`  risk:      ${a.risk.summary}${affected.length ? ` (${affected.join(", ")})` : ""}`);
  printLine(`  undo:      ${a.risk.reversible ? (a.risk.undo ?? "reversible") : pc.red("cannot be undone")}`);
  printLine(`  approvals: ${a.approvals} of ${a.requiredApprovals} from ${a.policy.approvers.join(", ") || "nobody"}`);
  if (a.action.sql) printLine(`  sql:\n    ${a.action.sql.split("\n").join("\n    ")}`);
  if (a.action.change) printLine(`  change:    ${JSON.stringify(a.action.change)}`);
  if (a.action.parameters) printLine(`  params:    ${JSON.stringify(a.action.parameters)}`);
  for (const d of a.decisions) {
    printLine(
      `  ${d.decision === "approve" ? pc.green("✔") : pc.red("✘")} ${d.approver} via ${d.channel} at ${d.at}${d.reason ? `: ${d.reason}` : ""}`,
    );
  }
  if (a.usedAt) printLine(`  used at ${a.usedAt}`);
}

/**
 * `mlops approvals list|show|approve|reject`: human decisions on destructive and promotion steps, through the
 * running API (bearer token from MLOPS_API_TOKEN).
 */
export function registerApprovals(
  program: Command,
  loadConfig: () => AppConfig,
  readToken: () => string | undefined = () => cliEnvironment().MLOPS_API_TOKEN,
): void {
  const client = () => createApprovalsClient({ baseUrl: apiBaseUrl(loadConfig()), token: readToken() });
  const approvals = program.command("approvals").description("Decide on destructive and promotion steps");

  approvals
    .command("list")
    .description("Approval requests (pending by default)")
    .option("--state <state>", "pending, approved, rejected, expired, used or all", "pending")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 50)
    .option("--json", "print as JSON")
    .action(async (options: { state: string; limit: number; json?: boolean }) => {
      const list = await client().list(options.state, options.limit);
      if (options.json) return printJson({ approvals: list });
      if (list.length === 0)
        return printLine(`No ${options.state === "all" ? "" : `${options.state} `}approval requests.`);
      printLine(
        renderTable(
          ["id", "state", "kind", "target", "by", "approvals", "expires", "digest"],
          list.map((a) => [
            a.id,
            stateColour(a.state),
            a.action.kind,
            a.action.target,
            a.requestedBy,
            `${a.approvals}/${a.requiredApprovals}`,
            a.expiresAt,
            a.digest.slice(0, 12),
          ]),
        ),
      );
    });

  approvals
    .command("show")
    .description("One request: the full action, its digest, the risk and the decisions")
    .argument("<id>")
    .option("--json", "print as JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const approval = await client().show(id);
      if (options.json) printJson(approval);
      else printApproval(approval);
    });

  approvals
    .command("approve")
    .description("Approve a request (as the user of your API token)")
    .argument("<id>")
    .option("--reason <text>", "why (optional)")
    .option("--json", "print as JSON")
    .action(async (id: string, options: { reason?: string; json?: boolean }) => {
      const approval = await client().approve(id, options.reason);
      if (options.json) printJson(approval);
      else printApproval(approval);
    });

  approvals
    .command("reject")
    .description("Reject a request, saying why")
    .argument("<id>")
    .requiredOption("--reason <text>", "why it is rejected")
    .option("--json", "print as JSON")
    .action(async (id: string, options: { reason: string; json?: boolean }) => {
      const approval = await client().reject(id, options.reason);
      if (options.json) printJson(approval);
      else printApproval(approval);
    });
}
