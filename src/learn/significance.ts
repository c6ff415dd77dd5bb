/**
 * Is the challenger's success rate really different from the champion's? The two-proportion z-test
 * (pooled variance, two-sided) when every expected cell of the 2×2 table is at least 5, else
 * Fisher's exact test (two-sided: the probability of every table with the same margins that is at
 * most as likely as the observed one). The challenger wins at confidence `c` when its rate is
 * higher and the two-sided p-value is below `1 − c`.
 */
import { AppError } from '../errors.js';

export interface ArmCounts {
  /** Offers (or answers) with an outcome. */
  trials: number;
  successes: number;
}

export type Verdict = 'challenger-wins' | 'champion-wins' | 'no-difference' | 'too-few-outcomes';

export interface Comparison {
  test: 'z' | 'fisher';
  championRate: number | null;
  challengerRate: number | null;
  /** Challenger rate minus champion rate. */
  difference: number | null;
  /** z statistic (challenger − champion), null for Fisher's test. */
  z: number | null;
  pValue: number | null;
  verdict: Verdict;
}

/** erfc(x) with fractional error below 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit). */
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
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal cumulative distribution function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function check(name: string, c: ArmCounts): void {
  if (!Number.isInteger(c.trials) || c.trials < 0 || !Number.isInteger(c.successes) || c.successes < 0)
    throw new AppError('ARGUMENT_INVALID', `${name}: trials and successes must be non-negative integers`);
  if (c.successes > c.trials)
    throw new AppError('ARGUMENT_INVALID', `${name}: ${c.successes} successes exceed ${c.trials} trials`);
}

/** Two-sided two-proportion z-test (pooled); z is positive when `b`'s rate is higher. */
export function twoProportionZ(a: ArmCounts, b: ArmCounts): { z: number; pValue: number } {
  check('a', a);
  check('b', b);
  if (a.trials === 0 || b.trials === 0) return { z: 0, pValue: 1 };
  const pa = a.successes / a.trials;
  const pb = b.successes / b.trials;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (pb - pa) / se;
  return { z, pValue: Math.min(1, 2 * normalCdf(-Math.abs(z))) };
}

function logFactorials(n: number): Float64Array {
  const out = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) out[i] = out[i - 1] + Math.log(i);
  return out;
}

/** Two-sided Fisher exact test of the 2×2 table [a.successes, a.failures; b.successes, b.failures]. */
export function fisherExact(a: ArmCounts, b: ArmCounts): number {
  check('a', a);
  check('b', b);
  const n = a.trials + b.trials;
  const k = a.successes + b.successes;
  if (n === 0) return 1;
  const lf = logFactorials(n);
  // P(X = x successes in arm a) under the hypergeometric law with the table's margins.
  const logP = (x: number) =>
    lf[k] -
    lf[x] -
    lf[k - x] +
    (lf[n - k] - lf[a.trials - x] - lf[n - k - a.trials + x]) -
    (lf[n] - lf[a.trials] - lf[n - a.trials]);
  const observed = logP(a.successes);
  let p = 0;
  for (let x = Math.max(0, k - b.trials); x <= Math.min(k, a.trials); x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/**
 * Compares the champion and challenger arms. `minTrials`: below this many outcomes in either arm the
 * verdict is `too-few-outcomes` (the p-value is still reported).
 */
export function compareArms(
  champion: ArmCounts,
  challenger: ArmCounts,
  options: { confidence: number; minTrials?: number },
): Comparison {
  const { confidence } = options;
  if (!(confidence > 0 && confidence < 1))
    throw new AppError('ARGUMENT_INVALID', `confidence ${confidence}: must be in (0, 1)`);
  check('champion', champion);
  check('challenger', challenger);
  const rate = (c: ArmCounts) => (c.trials === 0 ? null : c.successes / c.trials);
  const championRate = rate(champion);
  const challengerRate = rate(challenger);
  const difference = championRate === null || challengerRate === null ? null : challengerRate - championRate;
  const n = champion.trials + challenger.trials;
  const k = champion.successes + challenger.successes;
  const expected = [champion.trials, challenger.trials].flatMap((t) => [(t * k) / n, (t * (n - k)) / n]);
  const small = n === 0 || expected.some((e) => e < 5);
  let z: number | null = null;
  let pValue: number | null = null;
  if (championRate !== null && challengerRate !== null) {
    if (small) pValue = fisherExact(champion, challenger);
    else ({ z, pValue } = twoProportionZ(champion, challenger));
  }
  let verdict: Verdict;
  const minTrials = options.minTrials ?? 1;
  if (pValue === null || difference === null || Math.min(champion.trials, challenger.trials) < minTrials)
    verdict = 'too-few-outcomes';
  else if (pValue >= 1 - confidence || difference === 0) verdict = 'no-difference';
  else verdict = difference > 0 ? 'challenger-wins' : 'champion-wins';
  return { test: small ? 'fisher' : 'z', championRate, challengerRate, difference, z, pValue, verdict };
}
