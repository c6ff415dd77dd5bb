/**
 * RFM scoring for activity tables: recency (lower is better), frequency and monetary (sum of
 * the listed columns) each cut into quintile scores 1..5 by mid-rank (tied values share a
 * score), then named by the usual RFM segment map (Champions, Loyal, At risk, Hibernating, …).
 */
import { numericColumn, type ColumnSet } from '../ml/preprocessing/columns.js';

export interface RfmColumns {
  recency: string;
  frequency: string;
  monetary: string[];
}

export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segment: string[];
}

export interface RfmSummaryRow {
  segment: string;
  clients: number;
  share: number;
  meanRecency: number;
  meanFrequency: number;
  meanMonetary: number;
}

/**
 * Quintile score of each value: 1 + ⌊5 · (midRank − 0.5) / n⌋ over present values, so equal values
 * share a score; `higherIsBetter = false` reverses the order. Missing values get `missingScore`.
 */
export function quintileScores(
  values: Float64Array,
  higherIsBetter: boolean,
  missingScore: number,
): Uint8Array {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) present.push(i);
  present.sort((a, b) => (higherIsBetter ? values[a] - values[b] : values[b] - values[a]));
  const out = new Uint8Array(values.length).fill(missingScore);
  const n = present.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[present[j + 1]] === values[present[i]]) j++;
    const mid = (i + j) / 2 + 0.5; // 0.5-based mid-rank of the tie group
    const score = Math.min(5, 1 + Math.floor((5 * mid) / n));
    for (let t = i; t <= j; t++) out[present[t]] = score;
    i = j + 1;
  }
  return out;
}

/** Ordered rules: the first whose bounds hold names the client. */
export const RFM_SEGMENTS: readonly {
  name: string;
  r: [number, number];
  f: [number, number];
  m?: [number, number];
}[] = [
  { name: 'Champions', r: [4, 5], f: [4, 5], m: [4, 5] },
  { name: 'Loyal', r: [3, 5], f: [4, 5] },
  { name: 'Potential loyalists', r: [4, 5], f: [2, 3] },
  { name: 'New', r: [5, 5], f: [1, 1] },
  { name: 'Promising', r: [4, 4], f: [1, 1] },
  { name: 'Need attention', r: [3, 3], f: [3, 3] },
  { name: 'About to sleep', r: [3, 3], f: [1, 2] },
  { name: 'Cannot lose them', r: [1, 1], f: [5, 5], m: [4, 5] },
  { name: 'At risk', r: [1, 2], f: [3, 5] },
  { name: 'Hibernating', r: [2, 2], f: [1, 2] },
  { name: 'Lost', r: [1, 1], f: [1, 2] },
];

export function rfmSegmentName(r: number, f: number, m: number): string {
  const within = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;
  const hit = RFM_SEGMENTS.find((s) => within(r, s.r) && within(f, s.f) && (!s.m || within(m, s.m)));
  return hit ? hit.name : 'Others';
}

/** Recency, frequency and monetary values: missing activity counts as none (0), missing recency as the worst score. */
export function rfmValues(
  set: ColumnSet,
  cols: RfmColumns,
): { recency: Float64Array; frequency: Float64Array; monetary: Float64Array } {
  const recency = numericColumn(set, cols.recency);
  const frequency = numericColumn(set, cols.frequency).map((v) => (Number.isNaN(v) ? 0 : v));
  const monetary = new Float64Array(set.rows.length);
  for (const c of cols.monetary)
    numericColumn(set, c).forEach((v, i) => (monetary[i] += Number.isNaN(v) ? 0 : v));
  return { recency, frequency, monetary };
}

export function rfmScores(set: ColumnSet, cols: RfmColumns): RfmScores {
  const { recency, frequency, monetary } = rfmValues(set, cols);
  const r = quintileScores(recency, false, 1);
  const f = quintileScores(frequency, true, 1);
  const m = quintileScores(monetary, true, 1);
  const segment = Array.from(r, (rv, i) => rfmSegmentName(rv, f[i], m[i]));
  return { r, f, m, segment };
}

export function rfmSummary(set: ColumnSet, cols: RfmColumns, scores: RfmScores): RfmSummaryRow[] {
  const { recency, frequency, monetary } = rfmValues(set, cols);
  const groups = new Map<string, number[]>();
  scores.segment.forEach((s, i) => {
    const g = groups.get(s);
    if (g) g.push(i);
    else groups.set(s, [i]);
  });
  const mean = (v: Float64Array, idx: number[]) => {
    let s = 0;
    let n = 0;
    for (const i of idx)
      if (!Number.isNaN(v[i])) {
        s += v[i];
        n++;
      }
    return n ? s / n : NaN;
  };
  return [...groups.entries()]
    .map(([segment, idx]) => ({
      segment,
      clients: idx.length,
      share: idx.length / set.rows.length,
      meanRecency: mean(recency, idx),
      meanFrequency: mean(frequency, idx),
      meanMonetary: mean(monetary, idx),
    }))
    .sort((a, b) => b.clients - a.clients);
}
