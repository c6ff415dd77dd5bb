/**
 * Request history of the answering routes (`api_requests`) and feedback on answers (`feedback`),
 * migration 004. Inserts are idempotent on the request id, so replaying an outbox never duplicates.
 */
import type { Queryable } from './db.js';

export interface HistoryRecord {
  /** Request id (UUID). */
  id: string;
  route: string;
  user: string | null;
  clientIds: string[];
  offerIds: string[];
  request: unknown;
  answer: unknown;
  status: number;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
  modelVersion: string | null;
  /** Answers by source, e.g. `{ precomputed: 3, model: 1 }`. */
  sources: Record<string, number>;
}

const COLUMNS = 12;
const CHUNK = 400;

/**
 * JSON text PostgreSQL's jsonb accepts: `\u0000` (valid JSON, refused by jsonb) becomes U+FFFD.
 * An escaped backslash before `u0000` is left alone.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

/** Inserts records; a record whose id is already stored is skipped. Returns the number inserted. */
export async function insertHistory(db: Queryable, records: readonly HistoryRecord[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    const params: unknown[] = [];
    const tuples = chunk.map((r, i) => {
      const b = i * COLUMNS;
      params.push(
        r.id,
        r.route,
        r.user,
        r.clientIds,
        r.offerIds,
        jsonbText(r.request),
        jsonbText(r.answer),
        r.status,
        r.startedAt,
        r.durationMs,
        r.modelVersion,
        jsonbText(r.sources),
      );
      const p = (k: number) => `$${b + k}`;
      return `(${p(1)}::uuid, ${p(2)}, ${p(3)}, ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::jsonb, ${p(7)}::jsonb, ${p(8)}::int, ${p(9)}::timestamptz, ${p(10)}::float8, ${p(11)}, ${p(12)}::jsonb)`;
    });
    const rows = await db.query<{ id: string }>(
      `insert into api_requests (id, route, user_name, client_ids, offer_ids, request, answer, status,
                                 started_at, duration_ms, model_version, sources)
       values ${tuples.join(', ')}
       on conflict (id) do nothing
       returning id`,
      params,
    );
    inserted += rows.length;
  }
  return inserted;
}
