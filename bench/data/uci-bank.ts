/**
 * UCI Bank Marketing (`bank-full.csv`, `;`-separated, quoted strings) as a feature matrix for the
 * gradient boosting benchmark and test: numeric columns as they are, categoricals as ordinal codes
 * (categories in order of first appearance), `duration` dropped (it leaks the label), target y = yes.
 */
import { readFileSync } from 'node:fs';
import type { Matrix } from '../../src/ml/matrix.js';
import { Rng } from '../../src/ml/random.js';

export const BANK_FULL = '../shared/data/uci-bank-marketing/bank-full.csv';

export interface BankData {
  X: Matrix;
  y: Float32Array;
  featureNames: string[];
}

export function loadBank(file = BANK_FULL): BankData {
  const lines = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const unq = (s: string) => s.replace(/^"|"$/g, '');
  const header = lines[0].split(';').map(unq);
  const target = header.indexOf('y');
  const keep = header.map((_, i) => i).filter((i) => i !== target && header[i] !== 'duration');
  const first = lines[1].split(';');
  const categorical = keep.map((i) => first[i].startsWith('"'));
  const codes = keep.map(() => new Map<string, number>());
  const n = lines.length - 1;
  const data = new Float32Array(n * keep.length);
  const y = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(';');
    if (cells.length !== header.length) throw new Error(`${file}:${r + 2}: ${cells.length} fields`);
    keep.forEach((c, j) => {
      const raw = unq(cells[c]);
      if (categorical[j]) {
        let code = codes[j].get(raw);
        if (code === undefined) codes[j].set(raw, (code = codes[j].size));
        data[r * keep.length + j] = code;
      } else data[r * keep.length + j] = Number(raw);
    });
    y[r] = unq(cells[target]) === 'yes' ? 1 : 0;
  }
  return { X: { data, rows: n, cols: keep.length }, y, featureNames: keep.map((i) => header[i]) };
}

/** Seeded split of row indices: `trainFraction` of the rows (shuffled) for training, the rest for test. */
export function splitRows(
  n: number,
  trainFraction: number,
  seed: number,
): { train: Uint32Array; test: Uint32Array } {
  const order = Array.from({ length: n }, (_, i) => i);
  new Rng(seed).shuffle(order);
  const cut = Math.round(n * trainFraction);
  return {
    train: Uint32Array.from(order.slice(0, cut)).sort(),
    test: Uint32Array.from(order.slice(cut)).sort(),
  };
}
