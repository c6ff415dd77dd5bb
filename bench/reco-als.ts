/**
 * ALS benchmark: fit time of implicit ALS on a synthetic implicit matrix of 1M clients, side by
 * side in this process with the exact-solve baseline (Cholesky per row, the original
 * Hu–Koren–Volinsky method) — same data, same seed, same iterations — and the training loss each
 * reaches. Single thread (JavaScript). Clients belong to latent groups that own different items.
 *
 *   npm run bench:reco-als -- [--users 1000000] [--items 24] [--factors 8] [--iterations 8]
 */
import { parseArgs } from 'node:util';
import { ImplicitALS, type AlsOptions } from '../src/ml/als.js';
import { Rng } from '../src/ml/random.js';
import { csrFromCoo, type Csr } from '../src/ml/sparse.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    items: { type: 'string', default: '24' },
    factors: { type: 'string', default: '8' },
    iterations: { type: 'string', default: '8' },
    groups: { type: 'string', default: '6' },
  },
});
const users = Number(values.users);
const items = Number(values.items);
const groups = Number(values.groups);

function synthetic(seed: number): Csr {
  const rng = new Rng(seed);
  // Each group owns a few "core" items often and the rest rarely; item popularity is skewed.
  const p = new Float64Array(groups * items);
  for (let g = 0; g < groups; g++)
    for (let i = 0; i < items; i++)
      p[g * items + i] = rng.next() < 0.2 ? 0.3 + 0.5 * rng.next() : 0.02 * rng.next();
  const r: number[] = [];
  const c: number[] = [];
  for (let u = 0; u < users; u++) {
    const g = rng.int(groups);
    for (let i = 0; i < items; i++)
      if (rng.next() < p[g * items + i]) {
        r.push(u);
        c.push(i);
      }
  }
  return csrFromCoo(users, items, r, c);
}

const peakMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const t0 = performance.now();
const m = synthetic(1);
process.stdout.write(
  `data: ${users.toLocaleString('en-US')} users × ${items} items, ${m.indices.length.toLocaleString('en-US')} non-zeros ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s to build)\n`,
);

const base: Partial<AlsOptions> = {
  factors: Number(values.factors),
  iterations: Number(values.iterations),
  alpha: 10,
  regularization: 0.5,
  seed: 7,
};
const results: { name: string; seconds: number; loss: number }[] = [];
for (const [name, solver] of [
  ['exact Cholesky per row (baseline)', 'cholesky'],
  ['conjugate gradient, 3 steps', 'cg'],
] as const) {
  const t = performance.now();
  const model = new ImplicitALS({ ...base, solver, cgSteps: 3 }).fit(m);
  const seconds = (performance.now() - t) / 1000;
  const loss = model.loss(m);
  results.push({ name, seconds, loss });
  process.stdout.write(
    `${name.padEnd(36)} ${seconds.toFixed(1).padStart(7)} s  loss ${loss.toExponential(4)}  peak RSS ${peakMb()} MB\n`,
  );
}
const [baseline, cg] = results;
process.stdout.write(
  `speed-up of CG over the exact solve: ${(baseline.seconds / cg.seconds).toFixed(2)}×; ` +
    `loss ratio CG/exact: ${(cg.loss / baseline.loss).toFixed(4)} ` +
    `(factors ${base.factors}, ${base.iterations} iterations, one thread)\n`,
);
