/**
 * Segment priorities: churn risk × value. Value is each client's mean percentile rank over the
 * value columns (so money and counts combine); risk is a churn probability from a panel model,
 * or a proxy named in `riskSource`. The priority ranks segments for retention work.
 */
import { numericColumn, type ColumnSet } from '../ml/preprocessing/columns.js';

export interface SegmentPriority {
  segment: number;
  name: string;
  size: number;
  churnRisk: number | null;
  value: number | null;
  priority: number | null;
  rank: number | null;
}

/** Percentile rank in [0, 1] of each value (ties share their mid-rank; missing → 0). */
export function percentileRanks(v: Float64Array): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) idx.push(i);
  idx.sort((a, b) => v[a] - v[b]);
  const out = new Float64Array(v.length);
  const n = idx.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && v[idx[j + 1]] === v[idx[i]]) j++;
    const r = n > 1 ? (i + j) / 2 / (n - 1) : 0.5;
    for (let t = i; t <= j; t++) out[idx[t]] = r;
    i = j + 1;
  }
  return out;
}

/** Mean percentile rank over `columns` per row, or null when none is present in the set. */
export function valueScores(set: ColumnSet, columns: readonly string[]): Float64Array | null {
  const present = columns.filter((c) => set.columns.includes(c));
  if (present.length === 0) return null;
  const out = new Float64Array(set.rows.length);
  for (const c of present)
    percentileRanks(numericColumn(set, c)).forEach((r, i) => (out[i] += r / present.length));
  return out;
}

function segmentMeans(values: Float64Array | null, labels: ArrayLike<number>, k: number): (number | null)[] {
  if (!values) return new Array<number | null>(k).fill(null);
  const sum = new Float64Array(k);
  const n = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(values[i])) continue;
    sum[labels[i]] += values[i];
    n[labels[i]]++;
  }
  return Array.from(sum, (s, c) => (n[c] ? s / n[c] : null));
}

export function segmentPriorities(
  labels: ArrayLike<number>,
  names: readonly string[],
  value: Float64Array | null,
  risk: Float64Array | null,
): SegmentPriority[] {
  const k = names.length;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < labels.length; i++) sizes[labels[i]]++;
  const v = segmentMeans(value, labels, k);
  const r = segmentMeans(risk, labels, k);
  const rows: SegmentPriority[] = names.map((name, segment) => {
    const pv = v[segment];
    const pr = r[segment];
    const priority = pv === null && pr === null ? null : (pv ?? 1) * (pr ?? 1);
    return { segment, name, size: sizes[segment], churnRisk: pr, value: pv, priority, rank: null };
  });
  [...rows]
    .filter((p) => p.priority !== null)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))
    .forEach((p, i) => (p.rank = i + 1));
  return rows;
}
