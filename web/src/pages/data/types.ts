/** The answer of `GET /v1/data/eda`, as the Data page reads it. */

export interface Bin {
  from: number;
  to: number | null;
  clients: number;
}

export interface ValueCount {
  value: string | null;
  clients: number;
}

export interface QualitySummary {
  ingest_id: string;
  origin: 'ingest_runs' | 'file';
  source: { path: string; format: string; bytes: number; sha256: string };
  lines_read: number;
  rows_ingested: number;
  rows_quarantined: number;
  duplicate_key_rows: number;
  fixes: { rule: string; description: string; rows: number }[];
  quarantine: { rule: string; description: string; lines: number }[];
  missing: { column: string; nulls: number }[];
  months: { month: string; rows: number; clients: number }[];
  renta: { median: number | null; cap: number | null; above_cap: number };
  seconds: number;
}

export interface EdaAnswer {
  dataset: { version: string; rows: number; clients: number; months: string[]; created_at: string };
  products: { product: string; code: string }[];
  popularity: { product: string; code: string; clients: number; share: number }[];
  ownership: { months: string[]; clients: number[]; held: number[][] };
  additions: { months: string[]; clients: number[]; added: number[][]; total: number[] };
  age: { bins: Bin[]; missing: number };
  income: { quantiles: { q: number; value: number }[]; bins: Bin[]; imputed: number };
  segments: ValueCount[];
  channels: { top: ValueCount[]; other: number };
  quality: QualitySummary | null;
  computed_at: string;
  seconds: number;
}
