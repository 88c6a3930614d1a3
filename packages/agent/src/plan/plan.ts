import { canonicalJson, sha256Digest } from "@mlops/approvals";

/** How a tool affects the world, which decides how the graph runs it. */
export type ToolEffect = "read" | "job" | "gated";

/** One tool call of a plan. */
export interface PlanStep {
  /** The tool call id (unique in the thread). */
  id: string;
  tool: string;
  args: Record<string, unknown>;
  effect: ToolEffect;
  /** One line for people. */
  description: string;
}

/** What the planner proposes for one round, shown before anything with side effects runs. */
export interface Plan {
  /** SHA-256 of the canonical JSON of the tool calls (`[{ name, args }]`): what approvals are tied to. */
  digest: string;
  steps: PlanStep[];
  /** `offline command planner` or `model <endpoint>`. */
  planner: string;
  round: number;
}

/** The digest of a list of tool calls: ids and descriptions are left out, so the same calls give the same digest. */
export function planDigest(calls: readonly { tool: string; args: Record<string, unknown> }[]): string {
  return sha256Digest(calls.map((c) => ({ name: c.tool, args: c.args })));
}

export { canonicalJson };
