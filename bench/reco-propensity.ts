/**
 * "Who adds any product next month": ROC-AUC of a binary GBDT on March 2016 features predicting an
 * addition in April, on `../shared/data/santander/santander_mar_apr_2016.csv` (92,627 clients),
 * split by client (seeded, 80/20; early stopping on 10 % of the training clients). Side by side:
 * the number of products owned (a one-feature baseline) and the GBDT on client attributes only.
 * Single thread.
 *
 *   npm run bench:reco-propensity -- [--file F] [--seed 1]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closeDuck, openDuck } from '../src/data/duckdb.js';
import { attachDataset } from '../src/data/dataset-view.js';
import { ingest } from '../src/data/ingest/ingest.js';
import { GradientBoosting } from '../src/ml/gbdt/index.js';
import { takeRows, type Matrix } from '../src/ml/matrix.js';
import { rocAuc } from '../src/ml/metrics/classification.js';
import { Rng } from '../src/ml/random.js';
import { addedMask, presentAt } from '../src/reco/examples.js';
import { buildFeatures, featureNames } from '../src/reco/features.js';
import { ATTRIBUTES } from '../src/reco/history.js';
import { loadTrainingData } from '../src/reco/pipeline.js';
import { bitCount } from '../src/reco/products.js';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: path.resolve('../shared/data/santander/santander_mar_apr_2016.csv') },
    seed: { type: 'string', default: '1' },
  },
});
const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-propensity-'));
try {
  await ingest(values.file, { dataDir: dir, threads: 1 });
  const duck = await openDuck({ threads: 1 });
  await attachDataset(duck.conn, dir, 'santander', 'p');
  const data = await loadTrainingData(duck.conn, 'p', '2016-04-28', 1, 6);
  closeDuck(duck);
  const t = data.target;
  const rows = presentAt(data.history, t);
  const features = { lags: 6, seasonal: false, als: false };
  const X = buildFeatures(data.history, data.attributes.get(t) as Float32Array, t, rows, features, null);
  const y = Float32Array.from(rows, (c) => (addedMask(data.history, c, t) ? 1 : 0));
  const rng = new Rng(Number(values.seed));
  const part = Uint8Array.from(rows, () => {
    const u = rng.next();
    return u < 0.2 ? 2 : u < 0.28 ? 1 : 0; // 2 test, 1 validation, 0 train
  });
  const pick = (m: Matrix, which: number) => {
    const idx = [...part.keys()].filter((i) => part[i] === which);
    return { X: takeRows(m, idx), y: Float32Array.from(idx, (i) => y[i]), idx };
  };
  const attrOnly = (m: Matrix): Matrix => {
    const A = ATTRIBUTES.length;
    const out = new Float32Array(m.rows * A);
    for (let r = 0; r < m.rows; r++) out.set(m.data.subarray(r * m.cols, r * m.cols + A), r * A);
    return { data: out, rows: m.rows, cols: A };
  };
  const [train, valid, test] = [pick(X, 0), pick(X, 1), pick(X, 2)];
  process.stdout.write(
    `clients ${rows.length} (train ${train.y.length}, validation ${valid.y.length}, test ${test.y.length}); ` +
      `adders ${y.reduce((s, v) => s + v, 0)}\n`,
  );
  const options = {
    objective: 'binary' as const,
    nEstimators: 400,
    learningRate: 0.05,
    maxDepth: 6,
    maxLeaves: 31,
    maxBins: 64,
    earlyStoppingRounds: 30,
    subsample: 0.9,
    colsampleByTree: 0.7,
    seed: 3,
  };
  const fit = (tx: Matrix, vx: Matrix, names: string[]) => {
    const t0 = performance.now();
    const m = new GradientBoosting(options).fit(tx, train.y, {
      validation: { X: vx, y: valid.y },
      featureNames: names,
    });
    return { m, seconds: (performance.now() - t0) / 1000 };
  };
  const names = featureNames(features);
  const full = fit(train.X, valid.X, names);
  const prof = fit(attrOnly(train.X), attrOnly(valid.X), names.slice(0, ATTRIBUTES.length));
  const owned = Float32Array.from(test.idx, (i) => {
    const c = rows[i];
    return bitCount(data.history.masks[c * data.history.months.length + t - 1]);
  });
  const aucOwned = rocAuc(test.y, owned);
  const aucProf = rocAuc(test.y, prof.m.predictProba(attrOnly(test.X)));
  const aucFull = rocAuc(test.y, full.m.predictProba(test.X));
  const line = (name: string, auc: number, s?: number) =>
    process.stdout.write(
      `${name.padEnd(44)} ROC-AUC ${auc.toFixed(4)}  (×${(auc / aucOwned).toFixed(3)} of the baseline)${s === undefined ? '' : `  fit ${s.toFixed(1)} s`}\n`,
    );
  line('number of products owned (baseline)', aucOwned);
  line('GBDT on client attributes only', aucProf, prof.seconds);
  line(`GBDT on March features (${full.m.bestIteration + 1} rounds)`, aucFull, full.seconds);
} finally {
  await rm(dir, { recursive: true, force: true });
}
