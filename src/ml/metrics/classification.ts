/**
 * Classification metrics on typed arrays: ROC-AUC (ties averaged), log loss, Brier score,
 * accuracy and a reliability table for calibration reports.
 */
import { AppError } from '../../errors.js';

type Num = ArrayLike<number>;

function checkSameLength(a: Num, b: Num, what: string): void {
  if (a.length !== b.length) {
    throw new AppError('ARGUMENT_INVALID', `${what}: ${a.length} labels but ${b.length} scores`);
  }
}

/**
 * Area under the ROC curve for binary labels (1 = positive, anything else negative), by the
 * rank-sum formula with tied scores given their average rank. Returns NaN when one class is absent.
 */
export function rocAuc(labels: Num, scores: Num, weights?: Num): number {
  checkSameLength(labels, scores, 'rocAuc');
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let neg = 0;
  let rankSumPos = 0; // weighted sum over positives of the weighted count of negatives ranked below
  let i = 0;
  let negBelow = 0;
  while (i < n) {
    let j = i;
    let tiePos = 0;
    let tieNeg = 0;
    while (j < n && scores[order[j]] === scores[order[i]]) {
      const k = order[j];
      const w = weights ? weights[k] : 1;
      if (labels[k] === 1) tiePos += w;
      else tieNeg += w;
      j++;
    }
    rankSumPos += tiePos * (negBelow + tieNeg / 2);
    negBelow += tieNeg;
    pos += tiePos;
    neg += tieNeg;
    i = j;
  }
  if (pos === 0 || neg === 0) return Number.NaN;
  return rankSumPos / (pos * neg);
}

/** Mean binary log loss; probabilities are clipped to [eps, 1 − eps]. */
export function logLoss(labels: Num, probs: Num, weights?: Num, eps = 1e-15): number {
  checkSameLength(labels, probs, 'logLoss');
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i]));
    const w = weights ? weights[i] : 1;
    sum -= w * (labels[i] === 1 ? Math.log(p) : Math.log(1 - p));
    wsum += w;
  }
  return wsum === 0 ? Number.NaN : sum / wsum;
}

/**
 * Mean multiclass log loss: `probs` is row-major `n × k`, `labels` holds class indices.
 */
export function multiLogLoss(labels: Num, probs: Num, k: number, weights?: Num, eps = 1e-15): number {
  if (probs.length !== labels.length * k) {
    throw new AppError(
      'ARGUMENT_INVALID',
      `multiLogLoss: ${probs.length} probabilities for ${labels.length}×${k}`,
    );
  }
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - eps, Math.max(eps, probs[i * k + labels[i]]));
    const w = weights ? weights[i] : 1;
    sum -= w * Math.log(p);
    wsum += w;
  }
  return wsum === 0 ? Number.NaN : sum / wsum;
}

/** Mean squared error between binary outcomes and predicted probabilities. */
export function brierScore(labels: Num, probs: Num): number {
  checkSameLength(labels, probs, 'brierScore');
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const d = probs[i] - (labels[i] === 1 ? 1 : 0);
    sum += d * d;
  }
  return labels.length === 0 ? Number.NaN : sum / labels.length;
}

/** Share of positions where the two label arrays agree. */
export function accuracy(truth: Num, predicted: Num): number {
  checkSameLength(truth, predicted, 'accuracy');
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) hits++;
  return truth.length === 0 ? Number.NaN : hits / truth.length;
}

export interface ReliabilityBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly meanPredicted: number;
  readonly observedRate: number;
}

/** Equal-width reliability table over [0, 1]; empty bins are omitted. */
export function reliabilityTable(labels: Num, probs: Num, bins = 10): ReliabilityBin[] {
  checkSameLength(labels, probs, 'reliabilityTable');
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(probs[i] * bins)));
    count[b]++;
    sumP[b] += probs[i];
    sumY[b] += labels[i] === 1 ? 1 : 0;
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    if (count[b] === 0) continue;
    out.push({
      from: b / bins,
      to: (b + 1) / bins,
      count: count[b],
      meanPredicted: sumP[b] / count[b],
      observedRate: sumY[b] / count[b],
    });
  }
  return out;
}
