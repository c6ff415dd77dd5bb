/**
 * Arbitration: among the eligible products, the one the bank prefers is the one with the highest
 *
 *     final score = propensity × value × lever
 *
 * - propensity: the model's score of the product for the client (0..1);
 * - value: the product's `margin` in the catalog; for products outside the catalog (the Santander
 *   products of the recommender) `arbitration.margins` of the policy; else 1;
 * - lever: the product of the weights of every `arbitration.levers` entry naming the product whose
 *   date window (inclusive, UTC) contains today; 1 when none does. A weight of 0 switches the
 *   product off (exclusion `LEVER_ZERO`).
 *
 * Every factor is visible in the item's reason codes: `propensity=0.1200`, `value:margin=18`
 * (or `value:policy=…`, `value:default=1`), `lever:arbitration.levers[0]=1.5` (or `lever:none=1`).
 */
import type { Catalog } from '../offers/catalog.js';
import type { Exclusion } from './eligibility.js';
import type { Policy } from './policy.js';
import { inSet } from './products.js';

export interface Factors {
  propensity: number;
  value: number;
  valueSource: 'margin' | 'policy' | 'default';
  lever: number;
  /** Policy paths of the levers applied. */
  levers: string[];
  score: number;
}

export interface ScoredItem {
  product: string;
  score: number;
  reasons: string[];
}

/** Numbers in reason codes: up to 4 decimals, no trailing zeros beyond what is needed. */
export function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(4)));
}

export function valueOf(
  catalog: Catalog,
  policy: Policy,
  product: string,
): Pick<Factors, 'value' | 'valueSource'> {
  const p = catalog.products.find((x) => x.code === product);
  if (p?.margin !== undefined) return { value: p.margin, valueSource: 'margin' };
  const m = policy.margins.get(product);
  if (m !== undefined) return { value: m, valueSource: 'policy' };
  return { value: 1, valueSource: 'default' };
}

export function leverOf(policy: Policy, product: string, today: string): Pick<Factors, 'lever' | 'levers'> {
  let lever = 1;
  const levers: string[] = [];
  for (const l of policy.levers) {
    if (!inSet(l.products, product)) continue;
    if ((l.from !== null && today < l.from) || (l.to !== null && today > l.to)) continue;
    lever *= l.weight;
    levers.push(l.path);
  }
  return { lever, levers };
}

export function factors(
  catalog: Catalog,
  policy: Policy,
  product: string,
  propensity: number,
  today: string,
): Factors {
  const v = valueOf(catalog, policy, product);
  const l = leverOf(policy, product, today);
  return { propensity, ...v, ...l, score: propensity * v.value * l.lever };
}

export function factorReasons(f: Factors, policy: Policy): string[] {
  const out = [`propensity=${fmt(f.propensity)}`, `value:${f.valueSource}=${fmt(f.value)}`];
  if (f.levers.length === 0) out.push('lever:none=1');
  else
    for (const path of f.levers) {
      const weight = policy.levers.find((l) => l.path === path)?.weight ?? 1;
      out.push(`lever:${path}=${fmt(weight)}`);
    }
  return out;
}

/**
 * Re-ranks items (their `score` is the propensity) by the final score, highest first (ties keep
 * the input order); products switched off by a zero lever are returned as exclusions.
 */
export function arbitrate(
  items: readonly ScoredItem[],
  catalog: Catalog,
  policy: Policy,
  today: string,
): { items: ScoredItem[]; excluded: Exclusion[] } {
  const excluded: Exclusion[] = [];
  const scored: { item: ScoredItem; at: number }[] = [];
  items.forEach((item, at) => {
    const f = factors(catalog, policy, item.product, item.score, today);
    if (f.lever === 0) {
      excluded.push({
        product: item.product,
        rule: 'LEVER_ZERO',
        reason: `lever weight 0 today (${f.levers.join(', ')})`,
      });
      return;
    }
    scored.push({
      item: {
        product: item.product,
        score: f.score,
        reasons: [...item.reasons, ...factorReasons(f, policy)],
      },
      at,
    });
  });
  scored.sort((a, b) => b.item.score - a.item.score || a.at - b.at);
  return { items: scored.map((s) => s.item), excluded };
}

/** Today in UTC as `YYYY-MM-DD`. */
export function utcDate(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}
