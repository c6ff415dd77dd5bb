/**
 * Hyper-parameters of the gradient-boosted trees estimator, their defaults and their validation.
 * Names follow XGBoost where one exists (`lambda`, `gamma`, `minChildWeight`, `colsampleByTree`).
 */
import { AppError } from '../../errors.js';

export type GbdtObjective = 'binary' | 'multiclass';

export interface GbdtOptions {
  /** `binary`: logistic loss on 0/1 labels; `multiclass`: softmax over class indices 0..K−1. */
  objective: GbdtObjective;
  /** Number of classes for `multiclass` (inferred as max label + 1 when absent). */
  numClasses?: number;
  /** Boosting rounds (one tree per round, K trees per round for multiclass). */
  nEstimators: number;
  learningRate: number;
  /** Leaves per tree; trees grow best-first (largest gain first) until this many leaves. */
  maxLeaves: number;
  /** Maximum depth of a leaf; 0 = unlimited. */
  maxDepth: number;
  /** Minimum hessian sum in each child of a split. */
  minChildWeight: number;
  /** L2 regularisation on leaf values. */
  lambda: number;
  /** Minimum loss reduction of a split. */
  gamma: number;
  /** Fraction of rows sampled (Bernoulli, per round). */
  subsample: number;
  /** Fraction of columns sampled per tree. */
  colsampleByTree: number;
  /** Value bins per feature (≤ 255); missing values get a bin of their own. */
  maxBins: number;
  /** Stop when the validation loss has not improved for this many rounds; 0 = never stop early. */
  earlyStoppingRounds: number;
  seed: number;
}

export const GBDT_DEFAULTS: Readonly<GbdtOptions> = Object.freeze<GbdtOptions>({
  objective: 'binary',
  nEstimators: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: 0,
  minChildWeight: 1,
  lambda: 1,
  gamma: 0,
  subsample: 1,
  colsampleByTree: 1,
  maxBins: 255,
  earlyStoppingRounds: 20,
  seed: 42,
});

const KEYS = new Set<string>([...Object.keys(GBDT_DEFAULTS), 'numClasses']);

function bad(field: string, rule: string, value: unknown): never {
  throw new AppError('ARGUMENT_INVALID', `gbdt option ${field}: must be ${rule}, got ${String(value)}`);
}

function int(o: GbdtOptions, field: keyof GbdtOptions, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    bad(field, `an integer in [${min}, ${max}]`, v);
  }
}

function real(o: GbdtOptions, field: keyof GbdtOptions, min: number, max: number, minOpen: boolean): void {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v > max || v < min || (minOpen && v === min)) {
    bad(field, `a number in ${minOpen ? '(' : '['}${min}, ${max}]`, v);
  }
}

/** Merges `options` over the defaults and checks every field; unknown keys are errors. */
export function resolveOptions(options: Partial<GbdtOptions> = {}): GbdtOptions {
  for (const k of Object.keys(options)) {
    if (!KEYS.has(k)) throw new AppError('ARGUMENT_INVALID', `gbdt option ${k}: unknown option`);
  }
  const o: GbdtOptions = { ...GBDT_DEFAULTS };
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (o as unknown as Record<string, unknown>)[k] = v;
  }
  if (o.objective !== 'binary' && o.objective !== 'multiclass') {
    bad('objective', "'binary' or 'multiclass'", o.objective);
  }
  if (o.numClasses !== undefined) {
    int(o, 'numClasses', 2, 65536);
    if (o.objective === 'binary' && o.numClasses !== 2)
      bad('numClasses', '2 (or absent) for binary', o.numClasses);
  }
  int(o, 'nEstimators', 1);
  real(o, 'learningRate', 0, 1e6, true);
  int(o, 'maxLeaves', 2, 1 << 16);
  int(o, 'maxDepth', 0, 64);
  real(o, 'minChildWeight', 0, Number.MAX_VALUE, false);
  real(o, 'lambda', 0, Number.MAX_VALUE, false);
  real(o, 'gamma', 0, Number.MAX_VALUE, false);
  real(o, 'subsample', 0, 1, true);
  real(o, 'colsampleByTree', 0, 1, true);
  int(o, 'maxBins', 2, 255);
  int(o, 'earlyStoppingRounds', 0);
  if (!Number.isSafeInteger(o.seed)) bad('seed', 'a safe integer', o.seed);
  return o;
}
