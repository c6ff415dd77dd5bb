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

const CHUNK = 1000;

/**
 * JSON text PostgreSQL's jsonb accepts: `\u0000` (valid JSON, refused by jsonb) becomes U+FFFD.
 * An escaped backslash before `u0000` is left alone.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, '$1\\ufffd');
}

/**
 * Inserts records; a record whose id is already stored is skipped. Returns the number inserted.
 * A chunk travels as one JSON parameter expanded by `json_to_recordset`: one parameter instead of
 * twelve per row keeps the driver's encoding work (which runs in this process for PGlite) small.
 */
export async function insertHistory(db: Queryable, records: readonly HistoryRecord[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < records.length; start += CHUNK) {
    const chunk = records.slice(start, start + CHUNK);
    const rows = chunk.map((r) => ({
      id: r.id,
      route: r.route,
      user_name: r.user,
      client_ids: r.clientIds,
      offer_ids: r.offerIds,
      request: r.request ?? null,
      answer: r.answer ?? null,
      status: r.status,
      started_at: r.startedAt,
      duration_ms: r.durationMs,
      model_version: r.modelVersion,
      sources: r.sources,
    }));
    const result = await db.query<{ id: string }>(
      `insert into api_requests (id, route, user_name, client_ids, offer_ids, request, answer, status,
                                 started_at, duration_ms, model_version, sources)
       select id, route, user_name, client_ids, offer_ids, request, answer, status,
              started_at, duration_ms, model_version, sources
         from json_to_recordset($1::json) as t(id uuid, route text, user_name text, client_ids text[],
              offer_ids text[], request json, answer json, status int, started_at timestamptz,
              duration_ms float8, model_version text, sources jsonb)
       on conflict (id) do nothing
       returning id`,
      [jsonbText(rows)],
    );
    inserted += result.length;
  }
  return inserted;
}
