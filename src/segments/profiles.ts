/**
 * Segment profiles: size, numeric means and category modes against the whole population, the
 * most distinguishing features (standardised difference; lift = segment / overall) and an
 * automatic name built from the two strongest ("high age · job=retired").
 */
import { categoryColumn, numericColumn, type ColumnSet } from '../ml/preprocessing/columns.js';

export interface NumericProfile {
  column: string;
  mean: number;
  overall: number;
  lift: number;
}

export interface CategoryProfile {
  column: string;
  mode: string;
  share: number;
  overallShare: number;
  lift: number;
}

export interface Distinguishing {
  feature: string;
  /** Standardised difference: (segment − overall) / overall SD, or of a category share. */
  score: number;
  lift: number;
  text: string;
}

export interface SegmentProfile {
  segment: number;
  name: string;
  size: number;
  share: number;
  numeric: NumericProfile[];
  categorical: CategoryProfile[];
  distinguishing: Distinguishing[];
}

function stats(v: Float64Array, idx: Iterable<number>): { mean: number; sd: number } {
  let s = 0;
  let sq = 0;
  let n = 0;
  for (const i of idx) {
    const x = v[i];
    if (Number.isNaN(x)) continue;
    s += x;
    sq += x * x;
    n++;
  }
  if (n === 0) return { mean: NaN, sd: NaN };
  const mean = s / n;
  return { mean, sd: Math.sqrt(Math.max(0, sq / n - mean * mean)) };
}

const missingLabel = (c: string | null) => c ?? '(missing)';

export function profileSegments(
  set: ColumnSet,
  labels: ArrayLike<number>,
  k: number,
  columns: { numeric: readonly string[]; categorical: readonly string[] },
  top = 5,
): SegmentProfile[] {
  const n = labels.length;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[labels[i]].push(i);
  const all = Array.from({ length: n }, (_, i) => i);
  const nums = columns.numeric
    .map((c) => ({ c, v: numericColumn(set, c) }))
    .map(({ c, v }) => ({ c, v, all: stats(v, all) }));
  const cats = columns.categorical.map((c) => {
    const v = categoryColumn(set, c).map(missingLabel);
    const counts = new Map<string, number>();
    for (const x of v) counts.set(x, (counts.get(x) ?? 0) + 1);
    return { c, v, counts };
  });
  const profiles = members.map((idx, segment): SegmentProfile => {
    const numeric: NumericProfile[] = [];
    const dist: Distinguishing[] = [];
    for (const { c, v, all: o } of nums) {
      const s = stats(v, idx);
      numeric.push({ column: c, mean: s.mean, overall: o.mean, lift: o.mean !== 0 ? s.mean / o.mean : NaN });
      if (o.sd > 0 && Number.isFinite(s.mean)) {
        const score = (s.mean - o.mean) / o.sd;
        dist.push({
          feature: c,
          score,
          lift: o.mean !== 0 ? s.mean / o.mean : NaN,
          text: `${score > 0 ? 'high' : 'low'} ${c}`,
        });
      }
    }
    const categorical: CategoryProfile[] = [];
    for (const { c, v, counts } of cats) {
      const seg = new Map<string, number>();
      for (const i of idx) seg.set(v[i], (seg.get(v[i]) ?? 0) + 1);
      let mode = '';
      let modeN = -1;
      for (const [cat, m] of seg) if (m > modeN || (m === modeN && cat < mode)) [mode, modeN] = [cat, m];
      const overall = (counts.get(mode) ?? 0) / n;
      categorical.push({
        column: c,
        mode,
        share: idx.length ? modeN / idx.length : 0,
        overallShare: overall,
        lift: overall ? modeN / idx.length / overall : NaN,
      });
      for (const [cat, m] of seg) {
        const p = (counts.get(cat) ?? 0) / n;
        const ps = m / idx.length;
        if (ps <= p || p >= 1) continue;
        dist.push({
          feature: `${c}=${cat}`,
          score: (ps - p) / Math.sqrt(p * (1 - p)),
          lift: ps / p,
          text: `${c}=${cat}`,
        });
      }
    }
    dist.sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
    const distinguishing = dist.slice(0, top);
    const name =
      distinguishing
        .slice(0, 2)
        .map((d) => d.text)
        .join(' · ') || `segment ${segment}`;
    return {
      segment,
      name,
      size: idx.length,
      share: n ? idx.length / n : 0,
      numeric,
      categorical,
      distinguishing,
    };
  });
  // Names must tell segments apart.
  const seen = new Map<string, number>();
  for (const p of profiles) {
    const count = seen.get(p.name) ?? 0;
    seen.set(p.name, count + 1);
    if (count > 0) p.name = `${p.name} (${p.segment})`;
  }
  return profiles;
}
