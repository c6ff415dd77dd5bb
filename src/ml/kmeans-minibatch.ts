/**
 * Mini-batch k-means (Sculley 2010): each step assigns a random batch to the nearest centres
 * and moves each centre towards its batch members with a per-centre learning rate 1/count.
 * Stops after `maxIter` passes' worth of batches or when an epoch moves the centres by at most
 * `tolScaled`; the final labels and inertia come from one full assignment pass.
 */
import type { Matrix } from './matrix.js';
import type { Rng } from './random.js';
import { sqDistRow } from './kmeans-init.js';
import { assignAll } from './kmeans-lloyd.js';

export interface MiniBatchRun {
  maxIter: number;
  batchSize: number;
  rng: Rng;
  tolScaled: number;
}

export function miniBatchKMeans(
  X: Matrix,
  init: Float64Array,
  k: number,
  run: MiniBatchRun,
): { centres: Float64Array; labels: Int32Array; inertia: number; nIter: number } {
  const n = X.rows;
  const d = X.cols;
  const centres = Float64Array.from(init);
  const counts = new Float64Array(k);
  const batch = Math.min(run.batchSize, n);
  const stepsPerEpoch = Math.max(1, Math.ceil(n / batch));
  const batchLabels = new Int32Array(batch);
  const batchIdx = new Int32Array(batch);
  const epochStart = new Float64Array(centres.length);
  let nIter = 0;
  for (let epoch = 0; epoch < run.maxIter; epoch++) {
    nIter = epoch + 1;
    epochStart.set(centres);
    for (let s = 0; s < stepsPerEpoch; s++) {
      for (let b = 0; b < batch; b++) {
        const i = run.rng.int(n);
        batchIdx[b] = i;
        let best = Infinity;
        let arg = 0;
        for (let c = 0; c < k; c++) {
          const dd = sqDistRow(X, i, centres, c * d);
          if (dd < best) {
            best = dd;
            arg = c;
          }
        }
        batchLabels[b] = arg;
      }
      for (let b = 0; b < batch; b++) {
        const c = batchLabels[b];
        counts[c]++;
        const eta = 1 / counts[c];
        const xo = batchIdx[b] * d;
        for (let j = 0; j < d; j++) centres[c * d + j] += eta * (X.data[xo + j] - centres[c * d + j]);
      }
    }
    let shift = 0;
    for (let j = 0; j < centres.length; j++) {
      const t = centres[j] - epochStart[j];
      shift += t * t;
    }
    if (shift <= run.tolScaled) break;
  }
  const labels = new Int32Array(n);
  const inertia = assignAll(X, centres, k, labels);
  return { centres, labels, inertia, nIter };
}
