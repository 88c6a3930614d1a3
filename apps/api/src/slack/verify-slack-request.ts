import { createHmac, timingSafeEqual } from "node:crypto";

/** Remembers signatures already accepted, so a captured request cannot be sent again. */
export interface ReplayGuard {
  /** True the first time `key` is seen within its lifetime; false for a replay. */
  firstSeen(key: string, nowMs: number): boolean;
}

/**
 * In-process replay memory. Signatures only need remembering for the accepted age window: older requests are
 * refused by their timestamp. With several API replicas, put a shared store behind {@link ReplayGuard}.
 */
export function createMemoryReplayGuard(ttlMs: number): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    firstSeen(key, nowMs) {
      for (const [k, expires] of seen) {
        if (expires > nowMs) break;
        seen.delete(k);
      }
      if ((seen.get(key) ?? 0) > nowMs) return false;
      seen.set(key, nowMs + ttlMs);
      return true;
    },
  };
}

export type SlackVerification =
  | { ok: true }
  | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" | "replayed" };

export interface VerifySlackRequestInput {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  nowMs: number;
  /** @defaultValue 300 */
  maxAgeSeconds?: number;
  replay: ReplayGuard;
}

/**
 * Slack's request signing: `v0=` + hex HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the signing secret,
 * compared in constant time; timestamps more than five minutes away are refused, and so is a signature seen before.
 */
export function verifySlackRequest(input: VerifySlackRequestInput): SlackVerification {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: "missing_headers" };
  const age = Math.abs(input.nowMs / 1000 - Number(timestamp));
  if (age > (input.maxAgeSeconds ?? 300)) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(
    `v0=${createHmac("sha256", input.signingSecret).update(`v0:${timestamp}:${input.rawBody}`).digest("hex")}`,
    "utf8",
  );
  const given = Buffer.from(signature, "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: "bad_signature" };
  if (!input.replay.firstSeen(signature, input.nowMs)) return { ok: false, reason: "replayed" };
  return { ok: true };
}
