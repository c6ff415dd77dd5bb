/**
 * Profiling harness for the gradient boosting fit: caches one benchmark case's matrix in a temp file
 * and fits our model on it, so `node --cpu-prof dist/bench/gbdt-profile.js` sees only the fit.
 *
 *   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/gbdt-profile.js [--case adds|adder] [--rounds N]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { GradientBoosting } from '../src/ml/gbdt/index.js';
import { takeRows } from '../src/ml/matrix.js';
import { additionsMatrix, adderMatrix } from './data/santander-adds.js';
import { loadBank, splitRows } from './data/uci-bank.js';

function bankSplit() {
  const d = loadBank(path.join(values.data, 'uci-bank-marketing/bank-full.csv'));
  const { train } = splitRows(d.X.rows, 0.7, 1);
  return { train: { X: takeRows(d.X, train), y: Float32Array.from(train, (i) => d.y[i]) } };
}

const { values } = parseArgs({
  options: {
    case: { type: 'string', default: 'adds' },
    rounds: { type: 'string', default: '30' },
    data: { type: 'string', default: '../shared/data' },
  },
});
const cache = path.join(os.tmpdir(), `gbdt-profile-${values.case}.bin`);
if (!existsSync(cache)) {
  const s =
    values.case === 'bank'
      ? bankSplit()
      : values.case === 'adds'
        ? await additionsMatrix(
            path.join(values.data, 'santander/santander_adders_dev.csv'),
            ['2016-01', '2016-02', '2016-03', '2016-04'],
            '2016-05',
          )
        : await adderMatrix(path.join(values.data, 'santander/santander_mar_apr_2016.csv'), '2016-03', 0.3);
  const head = Float32Array.of(s.train.X.rows, s.train.X.cols);
  writeFileSync(
    cache,
    Buffer.concat(
      [head, s.train.X.data, s.train.y].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    ),
  );
}
const buf = readFileSync(cache);
const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const rows = all[0];
const cols = all[1];
const X = { data: all.subarray(2, 2 + rows * cols), rows, cols };
const y = all.subarray(2 + rows * cols);
const t = performance.now();
new GradientBoosting({
  objective: values.case === 'adds' ? 'multiclass' : 'binary',
  nEstimators: Number(values.rounds),
  maxLeaves: 31,
  maxDepth: 8,
}).fit(X, y);
console.log(`${rows}×${cols}: fit ${((performance.now() - t) / 1000).toFixed(3)} s`);
