import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from './matrix.js';
import { ColumnPipeline } from './preprocessing/pipeline.js';
import { Rng } from './random.js';
import { DecisionTreeClassifier, type TreeJSON } from './tree.js';
import { formatRule, ruleMatches, treeRules } from './tree-rules.js';

/** Exhaustive CART on number arrays: every midpoint of every feature, first best wins. */
function naiveTree(
  X: Matrix,
  y: number[],
  rows: number[],
  depth: number,
  maxDepth: number,
  C: number,
): string {
  const counts = new Array<number>(C).fill(0);
  rows.forEach((i) => counts[y[i]]++);
  const gini = (cs: number[], n: number) => 1 - cs.reduce((s, c) => s + (c / n) ** 2, 0);
  const majority = counts.indexOf(Math.max(...counts));
  if (depth >= maxDepth || rows.length < 2 || gini(counts, rows.length) === 0) return `leaf(${majority})`;
  let best = -Infinity;
  let bf = -1;
  let bt = 0;
  for (let f = 0; f < X.cols; f++) {
    const vals = [...new Set(rows.map((i) => X.data[i * X.cols + f]))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < vals.length; k++) {
      const t = (vals[k] + vals[k + 1]) / 2;
      const l = new Array<number>(C).fill(0);
      let nl = 0;
      rows.forEach((i) => {
        if (X.data[i * X.cols + f] <= t) {
          l[y[i]]++;
          nl++;
        }
      });
      const nr = rows.length - nl;
      const gain =
        l.reduce((s, v) => s + v * v, 0) / nl + counts.reduce((s, v, c) => s + (v - l[c]) ** 2, 0) / nr;
      if (gain > best + 1e-12) [best, bf, bt] = [gain, f, t];
    }
  }
  if (bf < 0 || gini(counts, rows.length) - (1 - best / rows.length) < 1e-12) return `leaf(${majority})`;
  const left = rows.filter((i) => X.data[i * X.cols + bf] <= bt);
  const right = rows.filter((i) => X.data[i * X.cols + bf] > bt);
  return `(x${bf}<=${bt} ? ${naiveTree(X, y, left, depth + 1, maxDepth, C)} : ${naiveTree(X, y, right, depth + 1, maxDepth, C)})`;
}

function describeTree(t: DecisionTreeClassifier, node = 0): string {
  const { feature, threshold, left, right } = t.nodes;
  if (feature[node] < 0) return `leaf(${t.nodeClass(node)})`;
  return `(x${feature[node]}<=${threshold[node]} ? ${describeTree(t, left[node])} : ${describeTree(t, right[node])})`;
}

describe('DecisionTreeClassifier', () => {
  it('splits a hand-made 1-D case at the midpoint', () => {
    const t = new DecisionTreeClassifier().fit(fromRows([[1], [2], [3], [4]]), [0, 0, 1, 1]);
    expect(t.nodes.threshold[0]).toBe(2.5);
    expect(Array.from(t.predict(fromRows([[2.4], [2.6], [NaN]])))).toEqual([0, 1, 1]);
  });

  it('grows the same tree as an exhaustive CART reference', () => {
    const rng = new Rng(5);
    const rows = Array.from({ length: 400 }, () => [rng.int(6), rng.int(4), Math.round(rng.normal() * 3)]);
    const y = rows.map(([a, b, c]) => (a > 3 && b < 2 ? 2 : c > 1 ? 1 : rng.bernoulli(0.1) ? 1 : 0));
    const X = fromRows(rows);
    const t = new DecisionTreeClassifier({ maxDepth: 4 }).fit(X, y);
    const ref = naiveTree(
      X,
      y,
      Array.from({ length: 400 }, (_, i) => i),
      0,
      4,
      3,
    );
    expect(describeTree(t)).toBe(ref);
  });

  it('respects depth and leaf-size limits; entropy and quantile bins still fit a smooth boundary', () => {
    const rng = new Rng(9);
    const rows = Array.from({ length: 5000 }, () => [rng.normal(), rng.normal()]);
    const y = rows.map(([a, b]) => (a + 0.5 * b > 0.2 ? 1 : 0));
    const X = fromRows(rows);
    for (const criterion of ['gini', 'entropy'] as const) {
      const t = new DecisionTreeClassifier({ criterion, maxDepth: 6, minSamplesLeaf: 20, maxBins: 64 }).fit(
        X,
        y,
      );
      const pred = t.predict(X);
      const acc = pred.reduce((s, p, i) => s + (p === y[i] ? 1 : 0), 0) / y.length;
      expect(acc).toBeGreaterThan(0.95);
      const rules = treeRules(t);
      expect(Math.min(...rules.map((r) => r.samples))).toBeGreaterThanOrEqual(20);
      const depth = (node: number): number =>
        t.nodes.feature[node] < 0 ? 0 : 1 + Math.max(depth(t.nodes.left[node]), depth(t.nodes.right[node]));
      expect(depth(0)).toBeLessThanOrEqual(6);
    }
  });

  it('rules over pipeline columns reproduce the tree exactly, and JSON round-trips', () => {
    const rng = new Rng(3);
    const jobs = ['admin.', 'technician', 'retired', 'student', 'services'];
    const records = Array.from({ length: 1500 }, () => ({
      age: rng.bernoulli(0.05) ? null : 18 + rng.int(60),
      job: rng.bernoulli(0.03) ? null : jobs[rng.int(5)],
      housing: rng.bernoulli(0.5) ? 'yes' : 'no',
      flag: rng.int(2),
    }));
    const set = {
      columns: ['age', 'job', 'housing', 'flag'],
      rows: records.map((r) => [r.age, r.job, r.housing, r.flag]),
    };
    const y = records.map((r) =>
      (r.job === 'admin.' || r.job === 'technician') && r.housing === 'yes'
        ? 2
        : (r.age ?? 40) > 50 || r.flag
          ? 1
          : 0,
    );
    for (const encoding of ['onehot', 'ordinal'] as const) {
      const p = new ColumnPipeline({
        numeric: ['age', 'flag'],
        categorical: ['job', 'housing'],
        encoding,
        scaleEncoded: true,
      }).fit(set);
      const X = p.transform(set);
      const t = new DecisionTreeClassifier({ maxDepth: 8 }).fit(X, y, { featureNames: p.featureNames });
      const rules = treeRules(t, { sources: p.featureSources, unscale: (j, v) => p.unscale(j, v) });
      const pred = t.predict(X);
      records.forEach((r, i) => {
        const resolved = p.resolveRecord(r);
        const matching = rules.filter((rule) => ruleMatches(rule, resolved));
        expect(matching).toHaveLength(1);
        expect(matching[0].predicted).toBe(pred[i]);
      });
      // An unseen job follows the same rule in both views.
      const unseen = { age: 30, job: 'astronaut', housing: 'yes' };
      const leaf = t.leaf(p.transformRecord(unseen));
      expect(rules.filter((rule) => ruleMatches(rule, p.resolveRecord(unseen))).map((r) => r.leaf)).toEqual([
        leaf,
      ]);
      const text = rules.map((r) => formatRule(r)).join('\n');
      expect(text).toMatch(/job (∈|=) .*admin\./);
      expect(text).toMatch(/flag = 1/); // a 0/1 column reads as an equality
      expect(text).toMatch(/flag = 0/);
      const back = DecisionTreeClassifier.fromJSON(JSON.parse(JSON.stringify(t.toJSON())) as TreeJSON);
      expect(Array.from(back.predict(X))).toEqual(Array.from(pred));
    }
  });

  it('rejects missing values, bad labels and use before fit', () => {
    expect(() => new DecisionTreeClassifier().fit(fromRows([[NaN]]), [0])).toThrow(/row 0/);
    expect(() => new DecisionTreeClassifier().fit(fromRows([[1]]), [-1])).toThrow(/y\[0\]/);
    expect(() => new DecisionTreeClassifier().predict(fromRows([[1]]))).toThrow(/fit/);
    expect(() => DecisionTreeClassifier.fromJSON({ kind: 'tree' } as unknown as TreeJSON)).toThrow(
      /decision tree/,
    );
  });
});
