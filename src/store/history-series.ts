/**
 * Time series of the request history for the web UI's overview: requests, errors, latency
 * percentiles and feedback per time bucket, and the model versions that answered.
 */
import type { Queryable } from './db.js';

export const BUCKETS = ['minute', 'hour', 'day'] as const;
export type Bucket = (typeof BUCKETS)[number];

export interface SeriesPoint {
  at: string;
  requests: number;
  errors: number;
  p50_ms: number;
  p95_ms: number;
  success: number;
  failure: number;
}

export interface ModelVersionUse {
  model_version: string;
  requests: number;
  last_used: string;
}

const WINDOW = (column: string) =>
  `($1::timestamptz is null or ${column} >= $1) and ($2::timestamptz is null or ${column} < $2)`;

/** One point per bucket holding a request or a feedback mark, oldest first (at most 2000 buckets). */
export async function historySeries(
  db: Queryable,
  bucket: Bucket,
  from?: string,
  to?: string,
): Promise<SeriesPoint[]> {
  const params = [from ?? null, to ?? null, bucket];
  const requests = await db.query<{ at: Date; n: number; errors: number; p: number[] | null }>(
    `select date_trunc($3, started_at) as at, count(*) as n, count(*) filter (where status >= 400) as errors,
            percentile_cont(array[0.5, 0.95]) within group (order by duration_ms) as p
       from api_requests where ${WINDOW('started_at')}
      group by 1 order by 1 desc limit 2000`,
    params,
  );
  const feedback = await db.query<{ at: Date; outcome: 'success' | 'failure'; n: number }>(
    `select date_trunc($3, created_at) as at, outcome, count(*) as n
       from feedback where ${WINDOW('created_at')} group by 1, 2`,
    params,
  );
  const round = (v: number | undefined) => Math.round((v ?? 0) * 1000) / 1000;
  const points = new Map<number, SeriesPoint>();
  const point = (at: Date): SeriesPoint => {
    let p = points.get(at.getTime());
    if (!p) {
      p = { at: at.toISOString(), requests: 0, errors: 0, p50_ms: 0, p95_ms: 0, success: 0, failure: 0 };
      points.set(at.getTime(), p);
    }
    return p;
  };
  for (const r of requests) {
    const p = point(r.at);
    p.requests = r.n;
    p.errors = r.errors;
    p.p50_ms = round(r.p?.[0]);
    p.p95_ms = round(r.p?.[1]);
  }
  for (const f of feedback) point(f.at)[f.outcome] += f.n;
  return [...points.entries()]
    .sort((a, b) => a[0] - b[0])
    .slice(-2000)
    .map(([, p]) => p);
}

/** Model versions that answered in the window, most used first. */
export async function modelVersionsInUse(
  db: Queryable,
  from?: string,
  to?: string,
): Promise<ModelVersionUse[]> {
  const rows = await db.query<{ model_version: string; n: number; last: Date }>(
    `select model_version, count(*) as n, max(started_at) as last
       from api_requests where model_version is not null and ${WINDOW('started_at')}
      group by model_version order by n desc, model_version limit 100`,
    [from ?? null, to ?? null],
  );
  return rows.map((r) => ({
    model_version: r.model_version,
    requests: r.n,
    last_used: r.last.toISOString(),
  }));
}
