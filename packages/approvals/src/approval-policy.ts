import type { ActionSpec } from "./action-spec";
import type { ApprovalConfig, ApprovalRule } from "./approval-config";
import { isIrreversible } from "./classify-action";

/** Who may approve one request and how many must; stored with the request. */
export interface ApprovalPolicy {
  /** Every person who may approve (users and members of the allowed groups), sorted. */
  approvers: string[];
  /** The groups that were allowed, for display. */
  groups: string[];
  requiredApprovals: number;
  irreversible: boolean;
  /** The requester never approves their own request. */
  requester: string;
}

function targetMatches(rule: ApprovalRule, target: string): boolean {
  if (!rule.targets) return true;
  return rule.targets.some((t) => (t.endsWith("*") ? target.startsWith(t.slice(0, -1)) : t === target));
}

/**
 * The policy for `action` requested by `requester`: the first matching rule, else the default approvers. An
 * irreversible action (or one the requester says cannot be undone) needs `irreversibleApprovals` people.
 */
export function resolvePolicy(
  config: ApprovalConfig,
  action: ActionSpec,
  requester: string,
  options: { reversible?: boolean } = {},
): ApprovalPolicy {
  const rule = config.rules.find((r) => r.kinds.includes(action.kind) && targetMatches(r, action.target));
  const ruleNamesPeople = rule !== undefined && (rule.users.length > 0 || rule.groups.length > 0);
  const users = ruleNamesPeople ? rule.users : config.approvers.users;
  const groups = ruleNamesPeople ? rule.groups : (config.defaultGroups ?? Object.keys(config.approvers.groups));
  const people = new Set(users);
  for (const group of groups) for (const member of config.approvers.groups[group] ?? []) people.add(member);
  people.delete(requester);
  const irreversible = isIrreversible(action) || options.reversible === false;
  const required = Math.max(rule?.requiredApprovals ?? 1, irreversible ? config.irreversibleApprovals : 1);
  return {
    approvers: [...people].sort(),
    groups: [...groups].sort(),
    requiredApprovals: required,
    irreversible,
    requester,
  };
}

/** Whether `person` may approve under `policy`. */
export function mayApprove(policy: Pick<ApprovalPolicy, "approvers" | "requester">, person: string): boolean {
  return person !== policy.requester && policy.approvers.includes(person);
}
