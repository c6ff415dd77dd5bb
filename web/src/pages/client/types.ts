/** Answers of `GET /v1/clients/{id}` and `POST /v1/offers`, as the Client page reads them. */

export type ProfileValue = string | number | boolean | null;

export interface RecommendedItem {
  product: string;
  code: string | null;
  score: number;
  reasons: string[];
  /** Offer-catalog product to write texts for, or null when the catalog has none. */
  offer_product: string | null;
}

export interface ClientAnswer {
  client_id: number;
  dataset_version: string;
  month: string;
  profile: Record<string, ProfileValue>;
  products: string[];
  timeline: { months: string[]; products: string[]; codes: string[]; held: (number | null)[][] };
  recommendations: {
    source: 'precomputed' | 'model' | 'fallback';
    model_version: string | null;
    items: RecommendedItem[];
  } | null;
  segment: { segment: number; name: string; path: string[]; model_version: string | null } | null;
  offer_channels: { code: string; name: string; consent_required: boolean }[];
  notes: string[];
}

export interface Finding {
  code: string;
  message: string;
  severity: string;
  citation?: string;
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
  compliance_fallback?: boolean;
  sms_segments?: number | null;
  findings?: Finding[];
  model_version?: string | null;
}
