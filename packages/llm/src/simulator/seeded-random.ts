import { createHash } from "node:crypto";

/** A number in [0, 1) that depends only on the parts: the same text and seed always give the same draw. */
export function hashToUnit(...parts: Array<string | number>): number {
  const digest = createHash("sha256").update(parts.join("\u0000")).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** A small seeded PRNG (mulberry32) for draws that follow request order: errors, latency jitter. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
