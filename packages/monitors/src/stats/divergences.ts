/** Smallest proportion PSI uses for an empty bin, so ln(p/q) stays finite. */
export const PSI_EMPTY_BIN_FLOOR = 1e-4;

function proportions(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Population Stability Index Σ (c − b)·ln(c / b) over bins, on proportions floored at `floor` (empty bins).
 * @param floor @defaultValue {@link PSI_EMPTY_BIN_FLOOR}
 */
export function populationStabilityIndex(
  baseline: readonly number[],
  current: readonly number[],
  floor = PSI_EMPTY_BIN_FLOOR,
): number {
  const b = proportions(baseline);
  const c = proportions(current);
  let psi = 0;
  for (let i = 0; i < b.length; i++) {
    const pb = Math.max(b[i]!, floor);
    const pc = Math.max(c[i] ?? 0, floor);
    psi += (pc - pb) * Math.log(pc / pb);
  }
  return psi;
}

/**
 * Jensen–Shannon distance (natural log), the square root of the JS divergence of the normalised counts:
 * `scipy.spatial.distance.jensenshannon(baseline, current)`.
 */
export function jensenShannonDistance(baseline: readonly number[], current: readonly number[]): number {
  const p = proportions(baseline);
  const q = proportions(current);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    const qi = q[i] ?? 0;
    const m = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / m);
    if (qi > 0) divergence += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}
