/**
 * A fitted tree as readable rules, one per leaf: conditions are merged per source column into
 * a numeric range (`a < x ≤ b`) or a category set (`job ∈ {admin., technician}` /
 * `job ∉ {…}`), in the column's own units when the features came from a `ColumnPipeline`.
 * `ruleMatches` evaluates a rule on a resolved record, so rules can be checked against the tree.
 */
import type { FeatureSource } from './preprocessing/pipeline.js';
import type { DecisionTreeClassifier } from './tree.js';

export type RuleCondition =
  | { column: string; kind: 'range'; above: number | null; atMost: number | null; binary?: boolean }
  | { column: string; kind: 'in' | 'notIn'; values: string[] };

export interface TreeRule {
  leaf: number;
  conditions: RuleCondition[];
  predicted: number;
  samples: number;
  /** Share of the leaf's training rows in the predicted class. */
  purity: number;
}

/** How features map to columns; defaults to one numeric column per feature name. */
export interface FeatureDescription {
  sources: readonly FeatureSource[];
  unscale(feature: number, value: number): number;
}

type ColumnState =
  | { kind: 'numeric'; above: number; atMost: number; binary: boolean }
  | { kind: 'onehot'; equal: string | null; excluded: string[] }
  | { kind: 'ordinal'; lo: number; hi: number; categories: readonly string[] };

function initial(source: FeatureSource): ColumnState {
  if (source.kind === 'numeric')
    return { kind: 'numeric', above: -Infinity, atMost: Infinity, binary: source.binary === true };
  if (source.kind === 'onehot') return { kind: 'onehot', equal: null, excluded: [] };
  return { kind: 'ordinal', lo: -1, hi: source.categories.length - 1, categories: source.categories };
}

function narrow(state: ColumnState, source: FeatureSource, threshold: number, goLeft: boolean): ColumnState {
  if (state.kind === 'numeric')
    return goLeft
      ? { ...state, atMost: Math.min(state.atMost, threshold) }
      : { ...state, above: Math.max(state.above, threshold) };
  if (state.kind === 'onehot') {
    const category = source.kind === 'onehot' ? source.category : '';
    return goLeft ? { ...state, excluded: [...state.excluded, category] } : { ...state, equal: category };
  }
  const cut = Math.floor(threshold + 1e-9); // codes ≤ cut go left
  return goLeft ? { ...state, hi: Math.min(state.hi, cut) } : { ...state, lo: Math.max(state.lo, cut + 1) };
}

function toCondition(column: string, s: ColumnState): RuleCondition | null {
  if (s.kind === 'numeric') {
    if (s.above === -Infinity && s.atMost === Infinity) return null;
    const range: RuleCondition = {
      column,
      kind: 'range',
      above: s.above === -Infinity ? null : s.above,
      atMost: s.atMost === Infinity ? null : s.atMost,
    };
    return s.binary ? { ...range, binary: true } : range;
  }
  if (s.kind === 'onehot') {
    if (s.equal !== null) return { column, kind: 'in', values: [s.equal] };
    return s.excluded.length ? { column, kind: 'notIn', values: [...s.excluded].sort() } : null;
  }
  if (s.lo <= -1 && s.hi >= s.categories.length - 1) return null;
  // Code −1 (a category unseen in training) is inside the range only when lo = −1.
  if (s.lo <= -1) return { column, kind: 'notIn', values: s.categories.slice(s.hi + 1) };
  return { column, kind: 'in', values: s.categories.slice(s.lo, s.hi + 1) };
}

export function treeRules(tree: DecisionTreeClassifier, description?: FeatureDescription): TreeRule[] {
  const sources: readonly FeatureSource[] =
    description?.sources ?? tree.featureNames.map((column) => ({ column, kind: 'numeric' as const }));
  const unscale = description
    ? (j: number, v: number) => description.unscale(j, v)
    : (_j: number, v: number) => v;
  const { feature, threshold, left, right, counts } = tree.nodes;
  const C = tree.nClasses;
  const rules: TreeRule[] = [];
  const walk = (node: number, states: Map<string, ColumnState>) => {
    const f = feature[node];
    if (f < 0) {
      const conditions: RuleCondition[] = [];
      for (const [column, s] of states) {
        const c = toCondition(column, s);
        if (c) conditions.push(c);
      }
      let samples = 0;
      for (let c = 0; c < C; c++) samples += counts[node * C + c];
      const predicted = tree.nodeClass(node);
      rules.push({
        leaf: node,
        conditions,
        predicted,
        samples,
        purity: counts[node * C + predicted] / samples,
      });
      return;
    }
    const source = sources[f];
    const t = unscale(f, threshold[node]);
    for (const goLeft of [true, false]) {
      const next = new Map(states);
      next.set(source.column, narrow(states.get(source.column) ?? initial(source), source, t, goLeft));
      walk(goLeft ? left[node] : right[node], next);
    }
  };
  walk(0, new Map());
  return rules;
}

function num(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

export function formatCondition(c: RuleCondition): string {
  if (c.kind === 'range') {
    // A 0/1 column: a range that keeps one of the two values reads as an equality.
    if (c.binary && c.atMost !== null && c.atMost >= 0 && c.atMost < 1 && (c.above === null || c.above < 0))
      return `${c.column} = 0`;
    if (c.binary && c.above !== null && c.above >= 0 && c.above < 1 && c.atMost === null)
      return `${c.column} = 1`;
    if (c.above !== null && c.atMost !== null) return `${num(c.above)} < ${c.column} ≤ ${num(c.atMost)}`;
    return c.above !== null ? `${c.column} > ${num(c.above)}` : `${c.column} ≤ ${num(c.atMost ?? Infinity)}`;
  }
  if (c.values.length === 1) return `${c.column} ${c.kind === 'in' ? '=' : '≠'} ${c.values[0]}`;
  return `${c.column} ${c.kind === 'in' ? '∈' : '∉'} {${c.values.join(', ')}}`;
}

export function formatRule(rule: TreeRule, className: (c: number) => string = String): string {
  const lhs = rule.conditions.length ? rule.conditions.map(formatCondition).join(' ∧ ') : 'always';
  return `${lhs} → ${className(rule.predicted)}`;
}

/** Whether a record (numbers imputed, categories resolved, as `ColumnPipeline.resolveRecord` gives) satisfies a rule. */
export function ruleMatches(rule: TreeRule, record: Readonly<Record<string, number | string>>): boolean {
  return rule.conditions.every((c) => {
    const v = record[c.column];
    if (c.kind === 'range') {
      const x = typeof v === 'number' ? v : NaN;
      return (c.above === null || x > c.above) && (c.atMost === null || x <= c.atMost);
    }
    const inSet = c.values.includes(String(v));
    return c.kind === 'in' ? inSet : !inSet;
  });
}
