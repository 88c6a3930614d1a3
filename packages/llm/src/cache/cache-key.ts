import { createHash } from "node:crypto";

/** Everything that changes an answer: where it was asked, of which model, what, and how. */
export interface CacheKeyParts {
  endpoint: string;
  model: string;
  messages: unknown;
  parameters: Record<string, unknown>;
}

/** sha256 (hex) of a canonical JSON of the parts: object keys sorted, undefined values dropped. */
export function chatCacheKey(parts: CacheKeyParts): string {
  return createHash("sha256").update(canonicalJson(parts)).digest("hex");
}

/** JSON with object keys sorted, so equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
