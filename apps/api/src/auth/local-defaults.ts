import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";

/** The file where the API keeps the local user's token; the CLI reads it when MLOPS_API_TOKEN is unset. */
export function localTokenPath(home: string): string {
  return join(home, "api-token");
}

/** Reads the local token, creating it (owner-only) on first start. */
export function ensureLocalToken(home: string): string {
  const path = localTokenPath(home);
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(home, { recursive: true });
  const token = randomBytes(24).toString("hex");
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}

export function localUser(): string {
  try {
    return userInfo().username || "local";
  } catch {
    return "local";
  }
}

/**
 * Sections for a single-user install: the local user gets a token (stored under MLOPS_HOME) and, when no
 * `approvals:` section exists, is the one approver, with one approval enough for everything. Configured
 * sections are kept as they are; tokens configured in `auth:` still work.
 */
export function withLocalDefaults(
  sections: Record<string, unknown>,
  local: { token: string; user: string },
): Record<string, unknown> {
  const auth = (sections.auth ?? {}) as { tokens?: unknown[] };
  return {
    ...sections,
    auth: { ...auth, tokens: [...(auth.tokens ?? []), { token: local.token, user: local.user }] },
    approvals: sections.approvals ?? { approvers: { users: [local.user] }, irreversibleApprovals: 1 },
  };
}
