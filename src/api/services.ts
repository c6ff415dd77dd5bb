import type { LearningService } from '../learn/serving.js';

/**
 * The domain services the REST API calls. Each is optional in `buildApp`: a route is registered
 * only when its service is provided, so the server never answers from a stub. The modules that
 * implement them (recommendations, segments, offers, model registry, runs) are wired in
 * `src/api/server.ts`.
 */

export interface RecommendedItem {
  product: string;
  score: number;
  reasons: string[];
}

/** A product (or product × channel) the decision policy excluded, and why (`src/decision`). */
export interface ExcludedItem {
  product: string;
  channel?: string;
  /** Stable rule code, e.g. `AGE_OUT_OF_RANGE`, `CONTACT_LIMIT`. */
  rule: string;
  reason: string;
}

/** Request options of the decisioning step. */
export interface DecisionOptions {
  /** List the exclusions in the answer (`excluded`). */
  explain?: boolean;
}

export interface ServiceRecommendation {
  items: RecommendedItem[];
  /** `model`: the promoted model answered; `fallback`: popularity or rules (unknown client, no model). */
  source: 'model' | 'fallback';
  modelVersion: string | null;
  /** With `explain`: what the decision policy excluded. */
  excluded?: ExcludedItem[];
  /** Champion/challenger arm that answered and the experiment (`name:version` of the challenger). */
  arm?: 'champion' | 'challenger';
  experiment?: string | null;
}

export interface RecommendationService {
  /** Top-`k` products for a known client. */
  recommend(clientId: string, k: number, options?: DecisionOptions): Promise<ServiceRecommendation>;
  /** Cold start: top-`k` products for a client described only by its features. */
  recommendOnline(
    features: Record<string, unknown>,
    k: number,
    options?: DecisionOptions,
  ): Promise<ServiceRecommendation>;
  /**
   * Applies the decision policy to items computed elsewhere (the precomputed recommendations):
   * drops the ineligible ones and re-ranks the rest. Absent: no policy is applied.
   */
  decide?(
    clientId: string,
    items: RecommendedItem[],
    k: number,
    options?: DecisionOptions,
  ): Promise<{ items: RecommendedItem[]; excluded?: ExcludedItem[] }>;
}

export interface SegmentAssignment {
  segment: number;
  name: string;
  /** The rules that led to the segment, from the root of the decision path. */
  path: string[];
  modelVersion: string | null;
}

export interface SegmentService {
  assign(features: Record<string, unknown>): Promise<SegmentAssignment>;
}

/** One element of the `/v1/offers` request array. */
export interface OfferRequestItem {
  client_id: number;
  features: Record<string, unknown>;
  product: string;
  channel: string;
  /** List, in the answer, the channels the policy excludes for this client and product. */
  explain?: boolean;
}

/** One element of the `/v1/offers` answer array. */
export interface OfferAnswer {
  client_id: number;
  product: string;
  channel: string;
  text: string;
  title?: string;
  subject?: string;
  confidence: number;
  offer_id: string;
  /** True when the generated text failed the compliance check and a compliant template replaced it. */
  compliance_fallback?: boolean;
  model_version?: string | null;
  [extra: string]: unknown;
}

/** An element of the `/v1/offers` answer for an item the decision policy excludes: no text, the reasons. */
export interface ExcludedOfferAnswer {
  client_id: number;
  product: string;
  channel: string;
  eligible: false;
  excluded: ExcludedItem[];
}

export function isExcludedOffer(a: OfferAnswer | ExcludedOfferAnswer): a is ExcludedOfferAnswer {
  return a.eligible === false;
}

export interface OfferService {
  /** One answer per item, in order; items the decision policy excludes get an `ExcludedOfferAnswer`. */
  generate(items: OfferRequestItem[]): Promise<(OfferAnswer | ExcludedOfferAnswer)[]>;
}

export interface ModelVersionInfo {
  name: string;
  version: string;
  promoted: boolean;
  created_at: string;
  metrics?: Record<string, number>;
  [extra: string]: unknown;
}

export interface ModelService {
  list(name?: string): Promise<ModelVersionInfo[]>;
  promote(name: string, version: string): Promise<ModelVersionInfo>;
  /** Promotes the version promoted before the current one; returns it. */
  rollback(name: string): Promise<ModelVersionInfo>;
}

export interface RunInfo {
  id: string;
  kind: string;
  status: string;
  started_at: string;
  finished_at?: string | null;
  [extra: string]: unknown;
}

export interface RunService {
  list(options: { limit: number; kind?: string }): Promise<RunInfo[]>;
}

/** The promoted segmentation with its report (sizes, profiles, rules, k selection, projection). */
export interface SegmentModelView {
  name: string;
  version: string;
  created_at: string;
  metrics: Record<string, number>;
  /** `null` for a version registered before reports were kept (segment again to get one). */
  report: Record<string, unknown> | null;
}

export interface SegmentReportService {
  /** The promoted `segments` version, or null when none is promoted. */
  promoted(): Promise<SegmentModelView | null>;
}

export interface Services {
  /** Champion/challenger comparison, drift and the retrain schedule (`src/learn/serving.ts`). */
  learning?: LearningService & { stop(): Promise<void> };
  recommendations?: RecommendationService;
  segments?: SegmentService;
  offers?: OfferService;
  models?: ModelService;
  runs?: RunService;
  segmentReports?: SegmentReportService;
}
