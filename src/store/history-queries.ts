/**
 * Reading the request history: filtered, paginated listing (offset or keyset cursor) with the
 * feedback attached to each request, and the aggregate statistics of `GET /v1/stats`.
 */
import { AppError } from '../errors.js';
import type { Queryable } from './db.js';

export interface HistoryFilter {
  route?: string;
  user?: string;
  clientId?: string;
  /** ISO dates or timestamps: `from` inclusive, `to` exclusive. */
  from?: string;
  to?: string;
  /** `unmarked`: requests without any feedback. */
  outcome?: 'success' | 'failure' | 'unmarked';
  /** A product / channel code named anywhere in the request or the answer (offers, recommendations). */
  product?: string;
  channel?: string;
  /** The segment number of a segment assignment's answer. */
  segment?: number;
  limit: number;
  offset?: number;
  cursor?: string;
}

export interface FeedbackEntry {
  id: number;
  outcome: string;
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

interface Row extends Omit<HistoryItem, 'started_at' | 'request_id' | 'user'> {
  id: string;
  user_name: string | null;
  /** ISO instant with microseconds (a JS Date would cut them, and the cursor needs them). */
  started_at: string;
}

export function encodeCursor(startedAt: string, id: string): string {
  return Buffer.from(`${startedAt}|${id}`).toString('base64url');
}

const CURSOR_AT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;
const CURSOR_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A real UTC instant in years 1..9999 (Date.parse accepts much more than Postgres does). */
function isCursorInstant(at: string): boolean {
  const m = CURSOR_AT.exec(at);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCDate() === d && date.getUTCMonth() === mo - 1;
}

/**
 * Only what `encodeCursor` writes is a cursor: `<instant with microseconds>Z|<uuid>`, base64url,
 * re-encoding to the same text. Anything else is a 400 naming the parameter, never a query.
 */
export function decodeCursor(cursor: string): [string, string] {
  const parts = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const [at, id] = parts;
  if (
    parts.length !== 2 ||
    !isCursorInstant(at) ||
    !CURSOR_ID.test(id) ||
    encodeCursor(at, id) !== cursor.replace(/=+$/, '')
  )
    throw new AppError('VALIDATION_FAILED', 'cursor: not a cursor returned by this API', {
      details: [{ code: 'cursor_invalid', path: 'cursor', message: 'not a cursor returned by this API' }],
    });
  return [at, id];
}

export async function listHistory(
  db: Queryable,
  f: HistoryFilter,
): Promise<{ items: HistoryItem[]; next_cursor: string | null }> {
  const [cursorAt, cursorId] = f.cursor ? decodeCursor(f.cursor) : [null, null];
  const rows = await db.query<Row>(
    `select r.id, r.route, r.user_name, r.client_ids, r.request, r.answer, r.status,
            to_char(r.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started_at,
            r.duration_ms, r.model_version, r.sources,
            coalesce((select jsonb_agg(jsonb_build_object('id', fb.id, 'outcome', fb.outcome,
                        'comment', fb.comment, 'user', fb.user_name, 'offer_id', fb.offer_id,
                        'created_at', fb.created_at) order by fb.id)
                        from feedback fb where fb.request_id = r.id), '[]'::jsonb) as feedback
       from api_requests r
      where ($1::text is null or r.route = $1)
        and ($2::text is null or r.user_name = $2)
        and ($3::text is null or r.client_ids @> array[$3::text])
        and ($4::timestamptz is null or r.started_at >= $4)
        and ($5::timestamptz is null or r.started_at < $5)
        and ($6::text is null or ($6 = 'unmarked' and not exists (select 1 from feedback fb where fb.request_id = r.id))
             or exists (select 1 from feedback fb where fb.request_id = r.id and fb.outcome = $6))
        and ($7::timestamptz is null or (r.started_at, r.id) < ($7::timestamptz, $8::uuid))
        and ($11::text is null or jsonb_path_exists(r.request::jsonb, '$.**.product ? (@ == $v)', jsonb_build_object('v', $11::text))
             or jsonb_path_exists(coalesce(r.answer::jsonb, 'null'), '$.**.product ? (@ == $v)', jsonb_build_object('v', $11::text)))
        and ($12::text is null or jsonb_path_exists(r.request::jsonb, '$.**.channel ? (@ == $v)', jsonb_build_object('v', $12::text)))
        and ($13::int is null or jsonb_path_exists(coalesce(r.answer::jsonb, 'null'), '$.segment ? (@ == $v)', jsonb_build_object('v', $13::int)))
      order by r.started_at desc, r.id desc
      limit $9 offset $10`,
    [
      f.route ?? null,
      f.user ?? null,
      f.clientId ?? null,
      f.from ?? null,
      f.to ?? null,
      f.outcome ?? null,
      cursorAt,
      cursorId,
      f.limit + 1,
      f.offset ?? 0,
      f.product ?? null,
      f.channel ?? null,
      f.segment ?? null,
    ],
  );
  const more = rows.length > f.limit;
  const items = rows.slice(0, f.limit).map((r): HistoryItem => ({
    request_id: r.id,
    route: r.route,
    user: r.user_name,
    client_ids: r.client_ids,
    request: r.request,
    answer: r.answer,
    status: r.status,
    started_at: r.started_at,
    duration_ms: r.duration_ms,
    model_version: r.model_version,
    sources: r.sources,
    feedback: r.feedback,
  }));
  const last = items[items.length - 1];
  return { items, next_cursor: more && last ? encodeCursor(last.started_at, last.request_id) : null };
}

export interface RouteStats {
  route: string;
  requests: number;
  errors: number;
  latency_ms: { p50: number; p95: number; p99: number };
}

export interface Stats {
  from: string | null;
  to: string | null;
  requests: number;
  routes: RouteStats[];
  answers_by_source: Record<string, number>;
  feedback: { success: number; failure: number; success_rate: number | null };
}

export async function historyStats(db: Queryable, from?: string, to?: string): Promise<Stats> {
  const window = `($1::timestamptz is null or started_at >= $1) and ($2::timestamptz is null or started_at < $2)`;
  const params = [from ?? null, to ?? null];
  const routes = await db.query<{ route: string; n: number; errors: number; p: number[] | null }>(
    `select route, count(*) as n, count(*) filter (where status >= 400) as errors,
            percentile_cont(array[0.5, 0.95, 0.99]) within group (order by duration_ms) as p
       from api_requests where ${window} group by route order by route`,
    params,
  );
  const sources = await db.query<{ source: string; n: number }>(
    `select s.key as source, sum(s.value::int)::int as n
       from api_requests, jsonb_each_text(sources) as s where ${window} group by s.key order by s.key`,
    params,
  );
  const feedback = await db.query<{ outcome: 'success' | 'failure'; n: number }>(
    `select outcome, count(*) as n from feedback
      where ($1::timestamptz is null or created_at >= $1) and ($2::timestamptz is null or created_at < $2)
      group by outcome`,
    params,
  );
  const fb = { success: 0, failure: 0 };
  for (const r of feedback) fb[r.outcome] = r.n;
  const round = (v: number | undefined) => Math.round((v ?? 0) * 1000) / 1000;
  return {
    from: from ?? null,
    to: to ?? null,
    requests: routes.reduce((a, r) => a + r.n, 0),
    routes: routes.map((r) => ({
      route: r.route,
      requests: r.n,
      errors: r.errors,
      latency_ms: { p50: round(r.p?.[0]), p95: round(r.p?.[1]), p99: round(r.p?.[2]) },
    })),
    answers_by_source: Object.fromEntries(sources.map((s) => [s.source, s.n])),
    feedback: {
      ...fb,
      success_rate: fb.success + fb.failure > 0 ? fb.success / (fb.success + fb.failure) : null,
    },
  };
}
