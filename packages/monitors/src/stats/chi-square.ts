/** Regularized upper incomplete gamma Q(a, x) (Numerical Recipes: series below a+1, Lentz continued fraction above). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (a <= 0) return 0;
  const lnGammaA = logGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - lnGammaA));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(-x + a * Math.log(x) - lnGammaA) * h;
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9). */
export function logGamma(x: number): number {
  const g = 7;
  const coefficients = [
    0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
    12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = coefficients[0]!;
  const t = z + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += coefficients[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Survival function of the chi-square distribution with `dof` degrees of freedom. */
export function chiSquareSf(statistic: number, dof: number): number {
  if (dof <= 0) return Number.NaN;
  return gammaQ(dof / 2, statistic / 2);
}

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Pearson's chi-square test of homogeneity on a 2 × k table (baseline counts, current counts), without Yates'
 * correction: `scipy.stats.chi2_contingency([baseline, current], correction=False)`. Categories empty in both rows
 * are dropped; fewer than two categories give statistic 0, p 1.
 */
export function chiSquareHomogeneity(baseline: readonly number[], current: readonly number[]): ChiSquareResult {
  const pairs = baseline.map((b, i) => [b, current[i] ?? 0] as const).filter(([b, c]) => b + c > 0);
  const nb = pairs.reduce((s, [b]) => s + b, 0);
  const nc = pairs.reduce((s, [, c]) => s + c, 0);
  const dof = pairs.length - 1;
  if (dof < 1 || nb === 0 || nc === 0) return { statistic: 0, pValue: 1, dof: Math.max(dof, 0) };
  const total = nb + nc;
  let statistic = 0;
  for (const [b, c] of pairs) {
    const col = b + c;
    const eb = (nb * col) / total;
    const ec = (nc * col) / total;
    statistic += (b - eb) ** 2 / eb + (c - ec) ** 2 / ec;
  }
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}
