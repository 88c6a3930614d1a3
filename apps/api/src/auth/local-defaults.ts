import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withLocalApprovals } from "@mlops/stack";

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

/**
 * Sections for a single-user install: the local user gets a token (stored under MLOPS_HOME) and, when no
 * `approvals:` section exists, is the one approver (the same default the stack applies in every process).
 * Configured sections are kept as they are; tokens configured in `auth:` still work.
 */
export function withLocalDefaults(
  sections: Record<string, unknown>,
  local: { token: string; user: string },
): Record<string, unknown> {
  const auth = (sections.auth ?? {}) as { tokens?: unknown[] };
  return {
    ...withLocalApprovals(sections, local.user),
    auth: { ...auth, tokens: [...(auth.tokens ?? []), { token: local.token, user: local.user }] },
  };
}
