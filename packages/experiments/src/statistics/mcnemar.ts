/** McNemar's test of two classifiers on the same items. */
export interface McNemarResult {
  /** Items model A got right and B wrong. */
  aOnly: number;
  /** Items B got right and A wrong. */
  bOnly: number;
  method: "exact-binomial" | "chi-square-corrected";
  /** Chi-square statistic (continuity-corrected) when that method is used. */
  statistic: number | undefined;
  pValue: number;
  /** p < alpha. */
  significant: boolean;
  alpha: number;
}

/** Below this many discordant items the exact binomial test is used. */
export const EXACT_BELOW = 25;

/** Complementary error function (Numerical Recipes' erfc, |relative error| < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(X ≥ x) for a chi-square variable with one degree of freedom. */
export function chiSquare1Survival(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

/** Two-sided exact binomial p-value for k successes of n at p = 1/2. */
export function exactBinomialTwoSided(k: number, n: number): number {
  if (n === 0) return 1;
  const low = Math.min(k, n - k);
  let tail = 0;
  let logChoose = 0; // log C(n, 0)
  for (let i = 0; i <= low; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/**
 * McNemar's test on per-item correctness of A and B: exact binomial when there are fewer than 25 discordant items,
 * otherwise chi-square with continuity correction, (|b − c| − 1)² / (b + c).
 */
export function mcnemarTest(a: Uint8Array, b: Uint8Array, alpha = 0.05): McNemarResult {
  if (a.length !== b.length) throw new RangeError("McNemar's test needs the same items for both models");
  let aOnly = 0;
  let bOnly = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] && !b[i]) aOnly++;
    else if (!a[i] && b[i]) bOnly++;
  }
  const n = aOnly + bOnly;
  if (n < EXACT_BELOW) {
    const pValue = exactBinomialTwoSided(aOnly, n);
    return { aOnly, bOnly, method: "exact-binomial", statistic: undefined, pValue, significant: pValue < alpha, alpha };
  }
  const statistic = (Math.abs(aOnly - bOnly) - 1) ** 2 / n;
  const pValue = chiSquare1Survival(statistic);
  return { aOnly, bOnly, method: "chi-square-corrected", statistic, pValue, significant: pValue < alpha, alpha };
}
