/**
 * Gradient boosting benchmark: our GBDT against XGBoost (`tree_method='hist'`, one thread, the
 * same rounds, leaves, depth, learning rate, lambda, min_child_weight, max_bin; lossguide growth),
 * side by side on the same matrices, with the fit time ratio and validation metrics of both:
 *   1. santander-adds (multiclass): which product a client adds, trained on 2016-01..04 additions,
 *      validated on 2016-05 additions (`santander_adders_dev.csv`), lags 1–5 of the 24 flags;
 *   2. santander-adder (binary): whether a client adds any product in 2016-04, split by client;
 *   3. uci-bank (binary): bank-full without `duration`, seeded 70/30 split.
 * Our model is trained in this process (one thread); XGBoost in a python child process reading the
 * same float32 files. Each fit runs `--repeats` times and the fastest is kept, for both.
 *
 *   npm run bench:reco-gbdt -- [--repeats 2] [--rounds N] [--case name] [--python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GradientBoosting, type GbdtOptions } from '../src/ml/gbdt/index.js';
import type { Matrix } from '../src/ml/matrix.js';
import { logLoss, multiLogLoss, rocAuc } from '../src/ml/metrics/classification.js';
import { additionsMatrix, adderMatrix, type Split } from './data/santander-adds.js';
import { loadBank, splitRows } from './data/uci-bank.js';
import { takeRows } from '../src/ml/matrix.js';

const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '2' },
    rounds: { type: 'string' },
    case: { type: 'string' },
    python: { type: 'string', default: process.env.PYTHON ?? '/usr/bin/python3' },
    data: { type: 'string', default: '../shared/data' },
  },
});
const repeats = Number(values.repeats);
const here = path.dirname(fileURLToPath(import.meta.url));
const script = path.resolve(here, '../../bench/xgb-baseline.py');

interface Case {
  name: string;
  load: () => Promise<Split>;
  options: Partial<GbdtOptions>;
}

const common = { learningRate: 0.1, maxLeaves: 31, maxDepth: 8, minChildWeight: 1, lambda: 1, gamma: 0 };
const cases: Case[] = [
  {
    name: 'santander-adds',
    load: () =>
      additionsMatrix(
        path.join(values.data, 'santander/santander_adders_dev.csv'),
        ['2016-01', '2016-02', '2016-03', '2016-04'],
        '2016-05',
      ),
    options: { ...common, objective: 'multiclass', nEstimators: 100 },
  },
  {
    name: 'santander-adder',
    load: () => adderMatrix(path.join(values.data, 'santander/santander_mar_apr_2016.csv'), '2016-03', 0.3),
    options: { ...common, objective: 'binary', nEstimators: 200, learningRate: 0.05 },
  },
  {
    name: 'uci-bank',
    load: () => {
      const d = loadBank(path.join(values.data, 'uci-bank-marketing/bank-full.csv'));
      const { train, test } = splitRows(d.X.rows, 0.7, 1);
      const part = (idx: Uint32Array) => ({
        X: takeRows(d.X, idx),
        y: Float32Array.from(idx, (i) => d.y[i]),
      });
      return Promise.resolve({
        train: part(train),
        valid: part(test),
        featureNames: d.featureNames,
        classNames: [],
      });
    },
    options: { ...common, objective: 'binary', nEstimators: 200, learningRate: 0.05 },
  },
];

const write = (file: string, a: Float32Array) =>
  writeFileSync(file, Buffer.from(a.buffer, a.byteOffset, a.byteLength));

function metrics(
  objective: string,
  K: number,
  y: Float32Array,
  p: Float32Array,
): { loss: number; auc: number } {
  if (objective === 'binary') return { loss: logLoss(y, p), auc: rocAuc(y, p) };
  return { loss: multiLogLoss(y, p, K), auc: NaN };
}

const f = (x: number, d = 3) => (Number.isNaN(x) ? '—' : x.toFixed(d));
const results: string[] = [];
for (const c of cases.filter((x) => !values.case || x.name === values.case)) {
  const split = await c.load();
  const K = c.options.objective === 'multiclass' ? Math.max(...split.train.y) + 1 : 2;
  const options: GbdtOptions = {
    ...new GradientBoosting(c.options).options,
    ...(values.rounds ? { nEstimators: Number(values.rounds) } : {}),
    ...(c.options.objective === 'multiclass' ? { numClasses: K } : {}),
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gbdt-bench-'));
  const tr: Matrix = split.train.X;
  write(path.join(dir, 'X_train.f32'), tr.data);
  write(path.join(dir, 'y_train.f32'), split.train.y);
  write(path.join(dir, 'X_valid.f32'), split.valid.X.data);
  write(path.join(dir, 'y_valid.f32'), split.valid.y);
  const caseJson = {
    cols: tr.cols,
    trainRows: tr.rows,
    validRows: split.valid.X.rows,
    numClasses: K,
    options,
  };
  writeFileSync(path.join(dir, 'case.json'), JSON.stringify(caseJson));

  let ours = Infinity;
  let oursWall = Infinity;
  let model: GradientBoosting | null = null;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    model = new GradientBoosting(options).fit(tr, split.train.y, { featureNames: split.featureNames });
    const used = process.cpuUsage(c);
    const cpu = (used.user + used.system) / 1e6;
    if (cpu < ours) {
      ours = cpu;
      oursWall = (performance.now() - t) / 1000;
    }
  }
  const pOurs = model!.predictProba(split.valid.X);
  const py = spawnSync(values.python, [script, dir, String(repeats)], { encoding: 'utf8' });
  if (py.status !== 0) throw new Error(`xgboost baseline failed: ${py.stderr}`);
  const xgbRes = JSON.parse(py.stdout.trim().split('\n').pop()!) as {
    cpuSeconds: number;
    trainCpuSeconds: number;
    wallSeconds: number;
    version: string;
    curve: number[];
  };
  // Untimed: our validation loss after every round.
  const ourCurve = new GradientBoosting({ ...options, earlyStoppingRounds: 0 }).fit(tr, split.train.y, {
    validation: { X: split.valid.X, y: split.valid.y },
  }).evalHistory;
  const best = (c: readonly number[]) => {
    const m = Math.min(...c);
    return `${f(m, 4)} @${c.indexOf(m) + 1}`;
  };
  const buf = readFileSync(path.join(dir, 'pred_xgb.f32'));
  const pXgb = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  rmSync(dir, { recursive: true, force: true });
  const mo = metrics(options.objective, K, split.valid.y, pOurs);
  const mx = metrics(options.objective, K, split.valid.y, pXgb);
  results.push(
    `| ${c.name} | ${options.objective}${K > 2 ? ` K=${K}` : ''} | ${tr.rows}×${tr.cols} / ${split.valid.X.rows} | ${options.nEstimators} | ` +
      `${f(ours)} (${f(oursWall)}) | ${f(xgbRes.cpuSeconds)} (${f(xgbRes.wallSeconds)}) | **${f(ours / xgbRes.cpuSeconds, 2)}** | ${f(ours / xgbRes.trainCpuSeconds, 2)} | ` +
      `${f(mo.loss, 4)} | ${f(mx.loss, 4)} | ${best(ourCurve)} | ${best(xgbRes.curve)} | ${f(mo.auc, 4)} | ${f(mx.auc, 4)} |`,
  );
  process.stderr.write(`${c.name}: done (xgboost ${xgbRes.version})\n`);
}
console.log(
  `one thread each; fastest of ${repeats} fits; fit = ours: fit(); xgboost: DMatrix + train (train only in parentheses)`,
);
console.log(
  '| case | objective | train rows×cols / valid rows | rounds | ours fit s | xgboost fit s | ours/xgboost | ours/xgboost train only | logloss ours | logloss xgboost | best logloss @round ours | best xgboost | AUC ours | AUC xgboost |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) console.log(r);
