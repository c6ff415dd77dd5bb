/**
 * Thompson sampling over phrasings: every phrase id has a Beta(1 + successes, 1 + failures)
 * posterior of its conversion rate (counted from operator feedback); a candidate's score is the mean
 * of one seeded draw per element, and the best-scoring compliant candidate is chosen. Untried
 * phrasings keep wide posteriors, so they keep being tried.
 */
import type { Rng } from '../ml/random.js';

export type ElementStats = Record<string, readonly [successes: number, failures: number]>;

/** A Gamma(shape, 1) draw (Marsaglia & Tsang 2000; shape < 1 by the boost u^(1/shape)). */
export function sampleGamma(rng: Rng, shape: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return sampleGamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/**
 * Candidate indices ordered by their sampled score (mean of one Beta draw per element), best first.
 * The caller takes the first compliant one, so only as many texts are checked as needed.
 */
export function thompsonOrder(
  candidates: readonly { elements: readonly string[] }[],
  stats: ElementStats,
  rng: Rng,
): number[] {
  const scores = candidates.map((c) => {
    let sum = 0;
    for (const e of c.elements) {
      const [s, f] = stats[e] ?? [0, 0];
      sum += sampleBeta(rng, 1 + s, 1 + f);
    }
    return sum / Math.max(1, c.elements.length);
  });
  return scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
}
