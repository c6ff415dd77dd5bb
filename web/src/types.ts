/** Shapes of the API answers the pages read (see /openapi.json). */

export interface Stats {
  from: string | null;
  to: string | null;
  requests: number;
  routes: {
    route: string;
    requests: number;
    errors: number;
    latency_ms: { p50: number; p95: number; p99: number };
  }[];
  answers_by_source: Record<string, number>;
  feedback: { success: number; failure: number; success_rate: number | null };
  model_versions: { model_version: string; requests: number; last_used: string }[];
  series?: {
    at: string;
    requests: number;
    errors: number;
    p50_ms: number;
    p95_ms: number;
    success: number;
    failure: number;
  }[];
}

export interface FeedbackEntry {
  id: number;
  outcome: 'success' | 'failure';
  comment: string | null;
  user: string | null;
  offer_id: string | null;
  created_at: string;
}

export interface HistoryItem {
  request_id: string;
  route: string;
  user: string | null;
  client_ids: string[];
  request: unknown;
  answer: unknown;
  status: number;
  started_at: string;
  duration_ms: number;
  model_version: string | null;
  sources: Record<string, number>;
  feedback: FeedbackEntry[];
}

export interface HistoryPage {
  items: HistoryItem[];
  next_cursor: string | null;
}

export interface CatalogInfo {
  provider: string;
  products: { code: string; name: string; name_en: string; kind: string; credit: boolean }[];
  channels: { code: string; name: string; sms: boolean }[];
}

export interface Finding {
  code: string;
  span: { part: string; start: number; end: number } | null;
  message: string;
  severity: 'error' | 'warning';
  citation: string;
}

export interface OfferAnswer {
  client_id: number;
  product: string;
  channel: string;
  text: string;
  title?: string;
  subject?: string;
  confidence: number;
  offer_id: string;
  sms_segments?: number | null;
  findings?: Finding[];
  compliance_fallback?: boolean;
  model_version?: string | null;
}

/** Why the decision policy does not allow a product (or a product on a channel) for a client. */
export interface ExcludedItem {
  product: string;
  channel?: string;
  rule: string;
  reason: string;
}

/** An item of `POST /v1/offers` the policy does not allow: no text, the reasons instead. */
export interface ExcludedOffer {
  client_id: number;
  product: string;
  channel: string;
  eligible: false;
  excluded: ExcludedItem[];
}

/** One answer item of `POST /v1/offers`: a generated offer or an exclusion. */
export type OfferResult = OfferAnswer | ExcludedOffer;

export function isExcludedOffer(o: OfferResult): o is ExcludedOffer {
  return (o as Partial<ExcludedOffer>).eligible === false;
}

export interface ComplianceResult {
  compliant: boolean;
  findings: Finding[];
  sms: { encoding: string; units: number; segments: number } | null;
}

export interface KScore {
  k: number;
  inertia: number;
  silhouette: number;
  daviesBouldin: number;
  calinskiHarabasz: number;
}

export interface SegmentProfile {
  segment: number;
  name: string;
  size: number;
  share: number;
  numeric: { column: string; mean: number; overall: number; lift: number }[];
  categorical: { column: string; mode: string; share: number; overallShare: number; lift: number }[];
  distinguishing: { feature: string; score: number; lift: number; text: string }[];
}

export interface SegmentReport {
  k: number;
  k_reason: string;
  rows: number;
  features: string[];
  sizes: number[];
  silhouette: number;
  rules: string[];
  k_selection: KScore[];
  profiles: SegmentProfile[];
  projection: { explained_variance_ratio: number[]; points: { x: number; y: number; segment: number }[] };
}

export interface SegmentModelView {
  name: string;
  version: string;
  created_at: string;
  metrics: Record<string, number>;
  report: SegmentReport | null;
}

export interface SegmentAssignment {
  request_id: string;
  segment: number;
  name: string;
  path: string[];
  model_version: string | null;
}

export interface Run {
  id: string;
  kind: string;
  name?: string;
  status: string;
  started_at: string;
  finished_at?: string | null;
  params?: Record<string, unknown>;
  metrics?: Record<string, number>;
  git_commit?: string | null;
  error?: string | null;
}

export interface ModelVersion {
  name: string;
  version: string;
  promoted: boolean;
  created_at: string;
  metrics?: Record<string, number>;
  run_id?: string | null;
}

export interface User {
  name: string;
  role: 'admin' | 'operator' | 'analyst' | 'api';
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}
