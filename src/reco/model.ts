/**
 * A trained recommendation model: popularity of additions, ALS on ownership, the GBDT ranker
 * over history features and a profile-only ranker for clients without history (blended with
 * segment popularity). `kind` chooses what scores: 'popularity' | 'als' | 'gbdt' | 'hybrid'.
 */
import { AppError, assertNever } from '../errors.js';
import { ImplicitALS, type AlsJson, type AlsOptions } from '../ml/als.js';
import type { Matrix } from '../ml/matrix.js';
import { Popularity, type PopularityJson, type PopularityOptions } from '../ml/popularity.js';
import { ATTRIBUTES } from './history.js';
import { cachedScorer, featureNames, type AlsScorer, type FeatureOptions } from './features.js';
import { N_PRODUCTS } from './products.js';
import { Ranker, type RankerJson } from './ranker.js';

export type ModelKind = 'hybrid' | 'gbdt' | 'als' | 'popularity';
export const MODEL_KINDS: readonly ModelKind[] = ['hybrid', 'gbdt', 'als', 'popularity'];

export const SEGMENT_ATTRIBUTE = ATTRIBUTES.indexOf('segmento');
/** Segments for popularity: 0 unknown, 1 TOP, 2 PARTICULARES, 3 UNIVERSITARIO. */
export const N_SEGMENTS = 4;

export function segmentOf(attributes: ArrayLike<number>, offset = 0): number {
  const v = attributes[offset + SEGMENT_ATTRIBUTE];
  return v >= 1 && v <= 3 ? v : 0;
}

/** Rows to score: features, last month's ownership (−1: no history), segment and target month. */
export interface ScoreInput {
  X: Matrix;
  lag1: Int32Array;
  segments: Int32Array;
  month: number;
}

export interface RecoModelJson {
  kind: 'nextoffer.reco-model';
  version: 1;
  model: ModelKind;
  features: FeatureOptions;
  /** Weight of segment popularity in the cold-start blend. */
  coldBlend: number;
  als: AlsJson | null;
  popularity: PopularityJson;
  ranker: RankerJson | null;
  profile: RankerJson | null;
}

export interface RecoParts {
  model: ModelKind;
  features: FeatureOptions;
  coldBlend: number;
  als: ImplicitALS | null;
  popularity: Popularity;
  ranker: Ranker | null;
  profile: Ranker | null;
}

export interface ModelOptions {
  als: Partial<AlsOptions>;
  popularity: Partial<PopularityOptions>;
}

export class RecoModel {
  readonly parts: RecoParts;
  readonly featureNames: string[];
  private alsScorer: AlsScorer | null;

  constructor(parts: RecoParts) {
    this.parts = parts;
    this.featureNames = featureNames(parts.features);
    const als = parts.als;
    this.alsScorer = als ? cachedScorer((items) => als.scoreVector(als.foldIn(items))) : null;
    if ((parts.model === 'gbdt' || parts.model === 'hybrid') && !parts.ranker)
      throw new AppError('ARGUMENT_INVALID', `model ${parts.model} needs a ranker`);
    if (parts.model === 'als' && !als) throw new AppError('ARGUMENT_INVALID', 'model als needs an ALS model');
  }

  /** ALS scores by ownership mask, for feature rows (null when the features have none). */
  get als(): AlsScorer | null {
    return this.parts.features.als ? this.alsScorer : null;
  }

  /** n × 24 scores (higher = more likely to be added); owned products are not excluded here. */
  score(input: ScoreInput): Float32Array {
    const n = input.X.rows;
    const out = new Float32Array(n * N_PRODUCTS);
    const { model, popularity } = this.parts;
    const pop = (r: number) => popularity.scores(input.segments[r], input.month);
    switch (model) {
      case 'popularity':
        for (let r = 0; r < n; r++) out.set(pop(r), r * N_PRODUCTS);
        return out;
      case 'als': {
        const als = this.alsScorer as AlsScorer;
        for (let r = 0; r < n; r++) out.set(als(input.lag1[r] >= 0 ? input.lag1[r] : 0), r * N_PRODUCTS);
        return out;
      }
      case 'gbdt':
      case 'hybrid': {
        out.set((this.parts.ranker as Ranker).scores(input.X));
        if (model === 'hybrid') this.coldStart(input, out);
        return out;
      }
      default:
        return assertNever(model, 'model kind');
    }
  }

  /** Rows without history: profile model blended with segment popularity. */
  private coldStart(input: ScoreInput, out: Float32Array): void {
    const cold: number[] = [];
    for (let r = 0; r < input.X.rows; r++) if (input.lag1[r] < 0) cold.push(r);
    if (cold.length === 0) return;
    const A = ATTRIBUTES.length;
    const Xa = new Float32Array(cold.length * A);
    cold.forEach((r, i) => Xa.set(input.X.data.subarray(r * input.X.cols, r * input.X.cols + A), i * A));
    const prof = this.parts.profile
      ? this.parts.profile.scores({ data: Xa, rows: cold.length, cols: A })
      : null;
    const w = this.parts.coldBlend;
    cold.forEach((r, i) => {
      const pop = this.parts.popularity.scores(input.segments[r], input.month);
      for (let p = 0; p < N_PRODUCTS; p++) {
        const model = prof ? prof[i * N_PRODUCTS + p] : pop[p];
        out[r * N_PRODUCTS + p] = (1 - w) * model + w * pop[p];
      }
    });
  }

  toJSON(): RecoModelJson {
    const p = this.parts;
    return {
      kind: 'nextoffer.reco-model',
      version: 1,
      model: p.model,
      features: p.features,
      coldBlend: p.coldBlend,
      als: p.als ? p.als.toJSON() : null,
      popularity: p.popularity.toJSON(),
      ranker: p.ranker ? p.ranker.toJSON() : null,
      profile: p.profile ? p.profile.toJSON() : null,
    };
  }

  static fromJSON(json: RecoModelJson): RecoModel {
    if (json?.kind !== 'nextoffer.reco-model' || json.version !== 1)
      throw new AppError('ARGUMENT_INVALID', 'not a recommendation model of format 1');
    return new RecoModel({
      model: json.model,
      features: json.features,
      coldBlend: json.coldBlend,
      als: json.als ? ImplicitALS.fromJSON(json.als) : null,
      popularity: Popularity.fromJSON(json.popularity),
      ranker: json.ranker ? Ranker.fromJSON(json.ranker) : null,
      profile: json.profile ? Ranker.fromJSON(json.profile) : null,
    });
  }
}
