/**
 * Ranking metrics for top-k recommendation lists. `actual` is the set of relevant items of one
 * user, `predicted` the ranked recommendation list (item indices, best first, no repeats).
 * The `mean*` functions average over users; a user with no relevant item scores 0 (Kaggle's
 * convention), so callers choose the population (all users, or only users with a relevant item).
 */
import { AppError } from '../../errors.js';

type Items = ArrayLike<number>;

function contains(list: Items, item: number): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === item) return true;
  return false;
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1)
    throw new AppError('ARGUMENT_INVALID', `k: must be an integer ≥ 1, got ${k}`);
}

/**
 * Average precision at k (Kaggle's definition): the sum over the hit positions i ≤ k of
 * precision@i, divided by min(|actual|, k). 0 when `actual` is empty.
 */
export function averagePrecisionAtK(actual: Items, predicted: Items, k: number): number {
  checkK(k);
  if (actual.length === 0) return 0;
  let hits = 0;
  let sum = 0;
  const n = Math.min(k, predicted.length);
  for (let i = 0; i < n; i++) {
    if (contains(actual, predicted[i])) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return sum / Math.min(actual.length, k);
}

/** Normalised discounted cumulative gain at k with binary relevance (gain 1/log2(rank + 1)). */
export function ndcgAtK(actual: Items, predicted: Items, k: number): number {
  checkK(k);
  if (actual.length === 0) return 0;
  let dcg = 0;
  const n = Math.min(k, predicted.length);
  for (let i = 0; i < n; i++) if (contains(actual, predicted[i])) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, actual.length); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

function hitsAtK(actual: Items, predicted: Items, k: number): number {
  let hits = 0;
  const n = Math.min(k, predicted.length);
  for (let i = 0; i < n; i++) if (contains(actual, predicted[i])) hits++;
  return hits;
}

/** Hits in the first k recommendations divided by k. */
export function precisionAtK(actual: Items, predicted: Items, k: number): number {
  checkK(k);
  return hitsAtK(actual, predicted, k) / k;
}

/** Hits in the first k recommendations divided by |actual| (0 when `actual` is empty). */
export function recallAtK(actual: Items, predicted: Items, k: number): number {
  checkK(k);
  return actual.length === 0 ? 0 : hitsAtK(actual, predicted, k) / actual.length;
}

/** Harmonic mean of precision and recall (0 when both are 0). */
export function f1(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

function mean(
  actuals: readonly Items[],
  predicted: readonly Items[],
  k: number,
  fn: (a: Items, p: Items, k: number) => number,
): number {
  if (actuals.length !== predicted.length)
    throw new AppError(
      'ARGUMENT_INVALID',
      `${actuals.length} actual lists but ${predicted.length} recommendation lists`,
    );
  if (actuals.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < actuals.length; i++) sum += fn(actuals[i], predicted[i], k);
  return sum / actuals.length;
}

/** MAP@k: mean of `averagePrecisionAtK` over users. */
export const mapAtK = (a: readonly Items[], p: readonly Items[], k: number) =>
  mean(a, p, k, averagePrecisionAtK);
export const meanNdcgAtK = (a: readonly Items[], p: readonly Items[], k: number) => mean(a, p, k, ndcgAtK);
export const meanPrecisionAtK = (a: readonly Items[], p: readonly Items[], k: number) =>
  mean(a, p, k, precisionAtK);
export const meanRecallAtK = (a: readonly Items[], p: readonly Items[], k: number) =>
  mean(a, p, k, recallAtK);

/** Share of the `nItems` catalogue that appears in at least one top-k list. */
export function coverage(predicted: readonly Items[], nItems: number, k: number): number {
  checkK(k);
  const seen = new Uint8Array(nItems);
  let count = 0;
  for (const list of predicted) {
    const n = Math.min(k, list.length);
    for (let i = 0; i < n; i++) {
      const item = list[i];
      if (item < 0 || item >= nItems)
        throw new AppError('ARGUMENT_INVALID', `item ${item} outside 0..${nItems - 1}`);
      if (!seen[item]) {
        seen[item] = 1;
        count++;
      }
    }
  }
  return nItems === 0 ? Number.NaN : count / nItems;
}

/**
 * Novelty: mean over all recommended items (top k of every list) of −log2 of the item's
 * popularity, where `popularity[item]` is the share of users who hold/added it (in 0..1].
 * Popularities below `floor` count as `floor`.
 */
export function novelty(
  predicted: readonly Items[],
  popularity: ArrayLike<number>,
  k: number,
  floor = 1e-6,
): number {
  checkK(k);
  let sum = 0;
  let count = 0;
  for (const list of predicted) {
    const n = Math.min(k, list.length);
    for (let i = 0; i < n; i++) {
      sum -= Math.log2(Math.max(floor, popularity[list[i]]));
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}
