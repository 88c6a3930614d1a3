import { userInfo } from "node:os";

/** The person at this machine, for single-user installs. */
export function localUser(): string {
  try {
    return userInfo().username || "local";
  } catch {
    return "local";
  }
}

/**
 * Without an `approvals:` section, the local user is the one approver and one approval is enough: a single-user
 * install can still say yes to what the agent proposes (the agent, not the person, is the requester). Every process
 * of the stack — API, workers, CLI fallback — applies the same default, so a decision made in one is honoured where
 * the action executes. A configured section is kept as it is.
 */
export function withLocalApprovals(sections: Record<string, unknown>, user = localUser()): Record<string, unknown> {
  if (sections.approvals !== undefined) return sections;
  return { ...sections, approvals: { approvers: { users: [user] }, irreversibleApprovals: 1 } };
}
