/**
 * Confidence: P(success) of an offer. Before any feedback it is the calibrated prior — the product's
 * recommendation score (an input field, default the catalog's popularity). After `offers train` it
 * is an L2 logistic regression over client features × product × channel × text elements (one
 * indicator per phrase id seen in the feedback) with the prior's logit as a feature, fitted on operator feedback; its
 * calibration (reliability table, Brier score, log loss, ROC-AUC on a seeded 20 % hold-out) is
 * reported. The per-element success counts feed Thompson sampling (`bandit.ts`).
 */
import { AppError } from '../errors.js';
import { LogisticRegression, type LogisticRegressionJSON } from '../ml/linear.js';
import type { Matrix } from '../ml/matrix.js';
import {
  brierScore,
  logLoss,
  reliabilityTable,
  rocAuc,
  type ReliabilityBin,
} from '../ml/metrics/classification.js';
import { Rng } from '../ml/random.js';
import type { ElementStats } from './bandit.js';
import type { Catalog, Product } from './catalog.js';
import { SEGMENTS, clientProfile, type ClientProfile } from './features.js';

const SEGMENT_LIST = Object.values(SEGMENTS);
const NUMERIC = 15;

/** The prior: a recommendation score in (0, 1) if given, else the product's catalog popularity. */
export function priorOf(product: Product, score?: number): number {
  const s = score ?? product.popularity;
  if (!Number.isFinite(s) || s < 0 || s > 1)
    throw new AppError('ARGUMENT_INVALID', `score ${s}: must be a probability in 0..1`);
  return Math.min(0.999, Math.max(0.001, s));
}

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class FeatureEncoder {
  readonly width: number;
  private readonly productIndex: Map<string, number>;
  private readonly channelIndex: Map<string, number>;
  private readonly elementIndex: Map<string, number>;

  /** `elements`: the phrase-id vocabulary (ids seen in training); other ids encode as nothing. */
  constructor(
    readonly products: readonly string[],
    readonly channels: readonly string[],
    readonly elements: readonly string[],
  ) {
    this.productIndex = new Map(products.map((p, i) => [p, i]));
    this.channelIndex = new Map(channels.map((c, i) => [c, i]));
    this.elementIndex = new Map(elements.map((e, i) => [e, i]));
    this.width = NUMERIC + SEGMENT_LIST.length + products.length + channels.length + elements.length;
  }

  /** Writes one row into `out` (length `width`). Unknown products/channels leave their block empty. */
  encode(
    p: ClientProfile,
    product: string,
    channel: string,
    elements: readonly string[],
    prior: number,
    out: Float32Array,
  ): void {
    out.fill(0);
    const log1p = (x: number | null, scale: number) => (x === null ? 0 : Math.log1p(x) / scale);
    const flag = (x: number | null) => (x !== null && x > 0 ? 1 : 0);
    out[0] = Math.log(prior / (1 - prior));
    out[1] = p.gender === 'female' ? 1 : 0;
    out[2] = p.gender === 'male' ? 1 : 0;
    out[3] = p.age === null ? 0 : p.age / 100;
    out[4] = p.age === null ? 1 : 0;
    out[5] = log1p(p.salaryMonths, 3);
    out[6] = log1p(p.txAll, 5);
    out[7] = flag(p.txFuel);
    out[8] = flag(p.txMobile);
    out[9] = flag(p.txCash);
    out[10] = log1p(p.txPurchases, 4);
    out[11] = flag(p.deposits);
    out[12] = p.vehicle === true ? 1 : 0;
    out[13] = p.visitPurpose === null ? 0 : 1;
    out[14] = p.monthsSinceVisit === null ? 0 : Math.min(p.monthsSinceVisit, 36) / 24;
    let o = NUMERIC;
    const seg = p.segment === null ? -1 : SEGMENT_LIST.indexOf(p.segment);
    if (seg >= 0) out[o + seg] = 1;
    o += SEGMENT_LIST.length;
    const pi = this.productIndex.get(product);
    if (pi !== undefined) out[o + pi] = 1;
    o += this.products.length;
    const ci = this.channelIndex.get(channel);
    if (ci !== undefined) out[o + ci] = 1;
    o += this.channels.length;
    for (const e of elements) {
      const ei = this.elementIndex.get(e);
      if (ei !== undefined) out[o + ei] = 1;
    }
  }
}

export interface TrainingExample {
  features: Record<string, unknown>;
  product: string;
  channel: string;
  elements: readonly string[];
  prior: number;
  success: boolean;
}

export interface CalibrationReport {
  rows: number;
  /** Rows the metrics were computed on (a seeded 20 % hold-out; all rows when fewer than 50). */
  evaluatedOn: number;
  baseRate: number;
  brier: number;
  /** Brier score of the prior alone on the same rows, for comparison. */
  priorBrier: number;
  logLoss: number;
  rocAuc: number;
  reliability: ReliabilityBin[];
}

export interface ConfidenceModelJSON {
  kind: 'offer-confidence';
  version: 1;
  products: string[];
  channels: string[];
  elements: string[];
  model: LogisticRegressionJSON;
  elementStats: ElementStats;
  report: CalibrationReport;
}

export interface ConfidenceFitOptions {
  seed?: number;
  l2?: number;
}

export class ConfidenceModel {
  private readonly scratch: Float32Array;

  private constructor(
    private readonly encoder: FeatureEncoder,
    private readonly model: LogisticRegression,
    readonly elementStats: ElementStats,
    readonly report: CalibrationReport,
  ) {
    this.scratch = new Float32Array(encoder.width);
  }

  /** Fits on feedback; the catalog fixes the product and channel vocabularies. */
  static fit(
    examples: readonly TrainingExample[],
    catalog: Catalog,
    options: ConfidenceFitOptions = {},
  ): ConfidenceModel {
    if (examples.length < 10)
      throw new AppError(
        'ARGUMENT_INVALID',
        `only ${examples.length} outcomes recorded: at least 10 are needed to train`,
      );
    const encoder = new FeatureEncoder(
      catalog.products.map((p) => p.code),
      catalog.channels.map((c) => c.code),
      [...new Set(examples.flatMap((e) => e.elements))].sort(),
    );
    const n = examples.length;
    const data = new Float32Array(n * encoder.width);
    const y = new Float64Array(n);
    const priors = new Float64Array(n);
    examples.forEach((e, i) => {
      encoder.encode(
        clientProfile(e.features),
        e.product,
        e.channel,
        e.elements,
        e.prior,
        data.subarray(i * encoder.width, (i + 1) * encoder.width),
      );
      y[i] = e.success ? 1 : 0;
      priors[i] = e.prior;
    });
    const x: Matrix = { data, rows: n, cols: encoder.width };
    const l2 = options.l2 ?? 0.01;
    const order = Array.from({ length: n }, (_, i) => i);
    new Rng(options.seed ?? 0).shuffle(order);
    const holdout = n >= 50 ? order.slice(0, Math.floor(n / 5)) : order;
    const train = n >= 50 ? order.slice(Math.floor(n / 5)) : order;
    const pick = (idx: number[]): [Matrix, Float64Array] => {
      const d = new Float32Array(idx.length * encoder.width);
      idx.forEach((r, k) =>
        d.set(data.subarray(r * encoder.width, (r + 1) * encoder.width), k * encoder.width),
      );
      return [{ data: d, rows: idx.length, cols: encoder.width }, Float64Array.from(idx, (r) => y[r])];
    };
    const [xt, yt] = pick(train);
    const [xh, yh] = pick(holdout);
    const probe = new LogisticRegression({ l2 }).fit(xt, yt);
    const ph = probe.predictProba(xh);
    const priorH = Float64Array.from(holdout, (r) => priors[r]);
    const report: CalibrationReport = {
      rows: n,
      evaluatedOn: holdout.length,
      baseRate: yh.reduce((a, b) => a + b, 0) / yh.length,
      brier: brierScore(yh, ph),
      priorBrier: brierScore(yh, priorH),
      logLoss: logLoss(yh, ph),
      rocAuc: rocAuc(yh, ph),
      reliability: reliabilityTable(yh, ph, 10),
    };
    const model = new LogisticRegression({ l2 }).fit(x, y);
    const stats: Record<string, [number, number]> = {};
    examples.forEach((e) => {
      for (const el of new Set(e.elements)) {
        const s = (stats[el] ??= [0, 0]);
        if (e.success) s[0]++;
        else s[1]++;
      }
    });
    return new ConfidenceModel(encoder, model, stats, report);
  }

  predict(
    profile: ClientProfile,
    product: string,
    channel: string,
    elements: readonly string[],
    prior: number,
  ): number {
    this.encoder.encode(profile, product, channel, elements, prior, this.scratch);
    return this.model.predictOne(this.scratch);
  }

  toJSON(): ConfidenceModelJSON {
    return {
      kind: 'offer-confidence',
      version: 1,
      products: [...this.encoder.products],
      channels: [...this.encoder.channels],
      elements: [...this.encoder.elements],
      model: this.model.toJSON(),
      elementStats: this.elementStats,
      report: this.report,
    };
  }

  static fromJSON(json: unknown): ConfidenceModel {
    const j = json as Partial<ConfidenceModelJSON> | null;
    if (j?.kind !== 'offer-confidence')
      throw new AppError(
        'ARGUMENT_INVALID',
        `not an offer-confidence model (kind ${JSON.stringify(j?.kind)})`,
      );
    if (j.version !== 1)
      throw new AppError(
        'ARGUMENT_INVALID',
        `offer-confidence format version ${String(j.version)} is not supported (expected 1)`,
      );
    if (
      !Array.isArray(j.products) ||
      !Array.isArray(j.channels) ||
      !Array.isArray(j.elements) ||
      !j.elementStats ||
      !j.report
    )
      throw new AppError(
        'ARGUMENT_INVALID',
        'offer-confidence: products, channels, elements, elementStats and report are required',
      );
    const encoder = new FeatureEncoder(j.products, j.channels, j.elements);
    const model = LogisticRegression.fromJSON(j.model);
    if (model.coefficients.coef.length !== encoder.width)
      throw new AppError(
        'ARGUMENT_INVALID',
        `offer-confidence: model has ${model.coefficients.coef.length} coefficients, encoder needs ${encoder.width}`,
      );
    return new ConfidenceModel(encoder, model, j.elementStats, j.report);
  }
}
