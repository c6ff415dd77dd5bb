/**
 * Segmentation benchmark, side by side with scikit-learn in a child `python3` (Debian
 * python3-sklearn) reading the same binary files with numpy, everything on one thread
 * (OMP/OpenBLAS/MKL_NUM_THREADS=1 for Python; Node is single-threaded):
 *   1. k-means, 1M × 20 Gaussian blobs, k = 8, the same initial centres (n_init = 1, tol 1e-4):
 *      ours (Hamerly's bounds on the WebAssembly SIMD kernel, the default; plain Lloyd on the kernel
 *      and the JavaScript Elkan once for reference) against sklearn's lloyd and elkan,
 *      in `--rounds` interleaved rounds (ours, then sklearn); the ratio is of the fastest rounds,
 *      because other processes on a shared machine only ever add time; plus the inertia gap;
 *   2. sampled silhouette of the 1M-row clustering (ours; sklearn's `sample_size` run for reference);
 *   3. CART decision tree, 200k × 50, 4 classes, same max depth: fit times and training accuracy.
 *
 *   npm run bench:kmeans -- [--rows 1000000] [--dims 20] [--k 8] [--tree-rows 200000] [--tree-cols 50] [--depth 10]
 *                           [--python /usr/bin/python3]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KMeans } from '../src/ml/kmeans.js';
import type { Matrix } from '../src/ml/matrix.js';
import { silhouette } from '../src/ml/metrics/clustering.js';
import { Rng } from '../src/ml/random.js';
import { DecisionTreeClassifier } from '../src/ml/tree.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    dims: { type: 'string', default: '20' },
    k: { type: 'string', default: '8' },
    'tree-rows': { type: 'string', default: '200000' },
    'tree-cols': { type: 'string', default: '50' },
    depth: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '7' },
    'work-dir': { type: 'string', default: path.join(os.tmpdir(), 'nextoffer-bench-kmeans') },
    // Debian's interpreter, where python3-sklearn is installed (a pyenv `python3` may shadow it on PATH).
    python: { type: 'string', default: existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3' },
  },
});
const n = Number(values.rows);
const d = Number(values.dims);
const k = Number(values.k);
const treeRows = Number(values['tree-rows']);
const treeCols = Number(values['tree-cols']);
const depth = Number(values.depth);
const seed = Number(values.seed);
const workDir = values['work-dir'];
const rounds = Number(values.rounds);

const PYTHON = String.raw`
import json, sys, time
import numpy as np
task = sys.argv[1]
out = {}
if task == 'kmeans':
    from sklearn.cluster import KMeans
    n, d, k = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    X = np.fromfile(sys.argv[2] + '.x', dtype=np.float32).reshape(n, d)
    init = np.fromfile(sys.argv[2] + '.init', dtype=np.float64).reshape(k, d).astype(np.float32)
    for algorithm in ('lloyd', 'elkan'):
        t = time.perf_counter()
        km = KMeans(n_clusters=k, init=init, n_init=1, algorithm=algorithm, tol=1e-4, max_iter=300).fit(X)
        out[algorithm] = {'seconds': time.perf_counter() - t, 'inertia': float(km.inertia_), 'n_iter': int(km.n_iter_)}
    from sklearn.metrics import silhouette_score
    labels = np.fromfile(sys.argv[2] + '.labels', dtype=np.int32)
    t = time.perf_counter()
    s = silhouette_score(X, labels, sample_size=10000, random_state=0)
    out['silhouette'] = {'seconds': time.perf_counter() - t, 'score': float(s)}
else:
    from sklearn.tree import DecisionTreeClassifier
    n, d, depth = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    X = np.fromfile(sys.argv[2] + '.x', dtype=np.float32).reshape(n, d)
    y = np.fromfile(sys.argv[2] + '.y', dtype=np.int32)
    t = time.perf_counter()
    tree = DecisionTreeClassifier(max_depth=depth, random_state=0).fit(X, y)
    out['tree'] = {'seconds': time.perf_counter() - t, 'accuracy': float((tree.predict(X) == y).mean()), 'leaves': int(tree.get_n_leaves())}
print(json.dumps(out))
`;

function python(args: string[]): Record<string, Record<string, number>> | null {
  const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync(values.python, ['-c', PYTHON, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) {
    process.stdout.write(
      `  scikit-learn baseline unavailable: ${(r.stderr || String(r.error)).trim().split('\n').pop()}\n`,
    );
    return null;
  }
  return JSON.parse(r.stdout) as Record<string, Record<string, number>>;
}

function blobs(rows: number, cols: number, clusters: number, rng: Rng): Matrix {
  const centres = Array.from({ length: clusters * cols }, () => (rng.next() - 0.5) * 20);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const c = rng.int(clusters);
    for (let j = 0; j < cols; j++) data[i * cols + j] = centres[c * cols + j] + rng.normal();
  }
  return { data, rows, cols };
}

const secs = (t: number) => (performance.now() - t) / 1000;
const f3 = (x: number) => x.toFixed(3);

await mkdir(workDir, { recursive: true });
const rng = new Rng(seed);
process.stdout.write(
  `k-means: ${n.toLocaleString('en-US')} × ${d} blobs, k = ${k}, same initial centres, one thread\n`,
);
const X = blobs(n, d, k, rng);
const init = new Float64Array(k * d);
for (let c = 0; c < k; c++) {
  const r = rng.int(n);
  for (let j = 0; j < d; j++) init[c * d + j] = X.data[r * d + j];
}
const base = path.join(workDir, `blobs-${n}-${d}-${k}-${seed}`);
await writeFile(`${base}.x`, Buffer.from(X.data.buffer, X.data.byteOffset, X.data.byteLength));
await writeFile(`${base}.init`, Buffer.from(init.buffer));

let t = 0;
const fitOnce = (algorithm: 'elkan' | 'hamerly' | 'lloyd', wasm = true) => {
  const t0 = performance.now();
  const km = new KMeans({ k, init, algorithm, tol: 1e-4, maxIter: 300, wasm }).fit(X);
  return { km, seconds: secs(t0) };
};
const line = (name: string, sec: number, inertia: number, iters: number, extra = '') =>
  process.stdout.write(
    `  ${name.padEnd(20)} ${f3(sec)} s, inertia ${inertia.toExponential(6)}, ${iters} iterations${extra}\n`,
  );
for (const [name, algorithm, wasm] of [
  ['ours lloyd wasm', 'lloyd', true],
  ['ours elkan JS', 'elkan', false],
] as const) {
  const r = fitOnce(algorithm, wasm);
  line(`${name} (once)`, r.seconds, r.km.inertia, r.km.nIter);
}
const oursTimes: number[] = [];
const silTimes: number[] = [];
const skTimes: Record<string, number[]> = { lloyd: [], elkan: [], silhouette: [] };
let ours = fitOnce('hamerly').km; // warm-up, not timed
let sil = silhouette(X, ours.labels, { sampleSize: 10_000, seed: 0 });
let sk: Record<string, Record<string, number>> | null = null;
for (let r = 0; r < rounds; r++) {
  const fit = fitOnce('hamerly');
  ours = fit.km;
  oursTimes.push(fit.seconds);
  t = performance.now();
  sil = silhouette(X, ours.labels, { sampleSize: 10_000, seed: 0 });
  silTimes.push(secs(t));
  if (r === 0) await writeFile(`${base}.labels`, Buffer.from(ours.labels.buffer));
  const got = python(['kmeans', base, String(n), String(d), String(k)]);
  if (!got) break;
  sk = got;
  for (const key of ['lloyd', 'elkan', 'silhouette']) skTimes[key].push(got[key].seconds);
}
const min = (v: number[]) => Math.min(...v);
const all = (v: number[]) => v.map(f3).join(', ');
line('ours hamerly wasm', min(oursTimes), ours.inertia, ours.nIter, ` (fastest of ${all(oursTimes)})`);
if (sk) {
  for (const alg of ['lloyd', 'elkan']) {
    const s = sk[alg];
    const gap = (ours.inertia - s.inertia) / s.inertia;
    line(
      `sklearn ${alg}`,
      min(skTimes[alg]),
      s.inertia,
      s.n_iter,
      ` (fastest of ${all(skTimes[alg])}) → ours/sklearn time ${(min(oursTimes) / min(skTimes[alg])).toFixed(2)}×, inertia gap ${(gap * 100).toFixed(4)} %`,
    );
  }
}
process.stdout.write(
  `silhouette on ${n.toLocaleString('en-US')} rows (10,000-row sample): ours ${f3(min(silTimes))} s (fastest of ${all(silTimes)}), score ${f3(sil.score)}` +
    (sk
      ? `; sklearn silhouette_score(sample_size=10000) ${f3(min(skTimes.silhouette))} s, score ${f3(sk.silhouette.score)}`
      : '') +
    '\n',
);

// Decision tree: 4 classes from a non-linear function of 10 informative features plus noise.
process.stdout.write(
  `decision tree: ${treeRows.toLocaleString('en-US')} × ${treeCols}, 4 classes, max depth ${depth}, one thread\n`,
);
const TX: Matrix = { data: new Float32Array(treeRows * treeCols), rows: treeRows, cols: treeCols };
const ty = new Int32Array(treeRows);
for (let i = 0; i < treeRows; i++) {
  for (let j = 0; j < treeCols; j++) TX.data[i * treeCols + j] = rng.normal();
  const r = TX.data.subarray(i * treeCols, (i + 1) * treeCols);
  const s =
    r[0] +
    r[1] * r[2] +
    Math.sin(r[3]) -
    0.5 * r[4] * r[4] +
    0.3 * (r[5] + r[6] + r[7] + r[8] + r[9]) +
    0.3 * rng.normal();
  ty[i] = s < -1 ? 0 : s < 0 ? 1 : s < 1 ? 2 : 3;
}
const tbase = path.join(workDir, `tree-${treeRows}-${treeCols}-${seed}`);
await writeFile(`${tbase}.x`, Buffer.from(TX.data.buffer));
await writeFile(`${tbase}.y`, Buffer.from(ty.buffer));
t = performance.now();
const tree = new DecisionTreeClassifier({ maxDepth: depth }).fit(TX, ty);
const treeSec = secs(t);
const pred = tree.predict(TX);
let hits = 0;
for (let i = 0; i < treeRows; i++) if (pred[i] === ty[i]) hits++;
const leaves = tree.nodes.feature.filter((f) => f < 0).length;
process.stdout.write(
  `  ours     ${f3(treeSec)} s, training accuracy ${(hits / treeRows).toFixed(4)}, ${leaves} leaves (binned, ≤ 256 bins)\n`,
);
const skTree = python(['tree', tbase, String(treeRows), String(treeCols), String(depth)]);
if (skTree) {
  const s = skTree.tree;
  process.stdout.write(
    `  sklearn  ${f3(s.seconds)} s, training accuracy ${s.accuracy.toFixed(4)}, ${s.leaves} leaves (exact)` +
      ` → ours/sklearn time ${(treeSec / s.seconds).toFixed(2)}×\n`,
  );
}
