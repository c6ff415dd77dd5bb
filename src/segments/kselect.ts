/**
 * Choosing k: k-means for every k in a range, scored by inertia (elbow), silhouette,
 * Davies–Bouldin and Calinski–Harabasz. The recommendation is the best silhouette; the
 * reason says whether the elbow and the other indices agree.
 */
import { AppError } from '../errors.js';
import { KMeans, type KMeansOptions } from '../ml/kmeans.js';
import type { Matrix } from '../ml/matrix.js';
import { calinskiHarabasz, daviesBouldin, silhouette } from '../ml/metrics/clustering.js';

export interface KScore {
  k: number;
  inertia: number;
  silhouette: number;
  silhouetteExact: boolean;
  daviesBouldin: number;
  calinskiHarabasz: number;
}

export interface KSelection {
  table: KScore[];
  recommended: number;
  elbow: number | null;
  reason: string;
  models: Map<number, KMeans>;
}

/** The knee of a decreasing curve: the point farthest below the chord from first to last (Kneedle). */
export function elbowK(ks: readonly number[], inertia: readonly number[]): number | null {
  if (ks.length < 3) return null;
  const n = ks.length;
  const x0 = ks[0];
  const x1 = ks[n - 1];
  const y0 = inertia[0];
  const y1 = inertia[n - 1];
  if (y0 === y1) return null;
  let best = -Infinity;
  let at: number | null = null;
  for (let i = 1; i < n - 1; i++) {
    const xn = (ks[i] - x0) / (x1 - x0);
    const yn = (inertia[i] - y1) / (y0 - y1); // 1 at the start, 0 at the end
    const gap = 1 - xn - yn; // distance below the chord
    if (gap > best) {
      best = gap;
      at = ks[i];
    }
  }
  return best > 0 ? at : null;
}

export function selectK(
  X: Matrix,
  range: readonly number[],
  kmeans: Omit<KMeansOptions, 'k'>,
  onStep?: (done: number, total: number) => void,
): KSelection {
  const ks = [...new Set(range)].filter((k) => k >= 2 && k <= X.rows).sort((a, b) => a - b);
  if (ks.length === 0)
    throw new AppError(
      'ARGUMENT_INVALID',
      `no k in ${range.join(',')} fits ${X.rows} rows (need 2 ≤ k ≤ rows)`,
    );
  const table: KScore[] = [];
  const models = new Map<number, KMeans>();
  ks.forEach((k, i) => {
    const km = new KMeans({ ...kmeans, k }).fit(X);
    const s = silhouette(X, km.labels, { seed: kmeans.seed ?? 0 });
    table.push({
      k,
      inertia: km.inertia,
      silhouette: s.score,
      silhouetteExact: s.exact,
      daviesBouldin: daviesBouldin(X, km.labels),
      calinskiHarabasz: calinskiHarabasz(X, km.labels),
    });
    models.set(k, km);
    onStep?.(i + 1, ks.length);
  });
  const bestBy = (key: 'silhouette' | 'daviesBouldin' | 'calinskiHarabasz', lower = false) =>
    table.reduce((a, b) => ((lower ? b[key] < a[key] : b[key] > a[key]) ? b : a)).k;
  const recommended = bestBy('silhouette');
  const elbow = elbowK(
    table.map((t) => t.k),
    table.map((t) => t.inertia),
  );
  const db = bestBy('daviesBouldin', true);
  const ch = bestBy('calinskiHarabasz');
  const row = table.find((t) => t.k === recommended);
  const agree = [
    elbow === recommended ? 'the inertia elbow' : null,
    db === recommended ? 'Davies–Bouldin' : null,
    ch === recommended ? 'Calinski–Harabasz' : null,
  ].filter((x): x is string => x !== null);
  const disagree = [
    elbow !== null && elbow !== recommended ? `elbow at k = ${elbow}` : null,
    db !== recommended ? `Davies–Bouldin prefers ${db}` : null,
    ch !== recommended ? `Calinski–Harabasz prefers ${ch}` : null,
  ].filter((x): x is string => x !== null);
  const reason =
    `k = ${recommended} has the highest silhouette (${row?.silhouette.toFixed(3)}) over k = ${ks[0]}..${ks[ks.length - 1]}` +
    (agree.length ? `; ${agree.join(', ')} agree${agree.length === 1 ? 's' : ''}` : '') +
    (disagree.length ? `; ${disagree.join(', ')}` : '');
  return { table, recommended, elbow, reason, models };
}
