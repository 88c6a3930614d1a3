import { createHash } from "node:crypto";

function normalise(value: unknown, path: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} has no JSON form`);
    return value;
  }
  if (Array.isArray(value)) return value.map((item, i) => normalise(item, `${path}[${i}]`));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = normalise(item, `${path}.${key}`);
    }
    return out;
  }
  throw new TypeError(`${path}: a ${typeof value} has no JSON form`);
}

/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code unit), no whitespace, `undefined` members
 * dropped. Two specs that mean the same thing serialise to the same bytes, so they have the same digest.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value, "$"));
}

/** Lower-case hex SHA-256 of the UTF-8 canonical JSON of `value`. */
export function sha256Digest(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value), "utf8").digest("hex");
}
