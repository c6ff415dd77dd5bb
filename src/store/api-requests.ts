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
  /** Champion/challenger arm of the answer (`mixed` for a batch over both; migration 006). */
  arm?: 'champion' | 'challenger' | 'mixed' | null;
  /** `name:version` of the challenger under test. */
  experiment?: string | null;
}

const CHUNK_ROWS = 500;
const CHUNK_BYTES = 512 * 1024;

/**
 * JSON text PostgreSQL stores as valid UTF-8 in text, json and jsonb: `\u0000` (valid JSON, refused
 * by jsonb) and lone UTF-16 surrogates (which `JSON.stringify` writes as `\udXXX` escapes, refused
 * by PostgreSQL) become U+FFFD, in values and in keys. `JSON.stringify` writes a surrogate pair as
 * the character itself, so every surrogate escape it writes is a lone one. An escaped backslash
 * before `u…` is left alone.
 */
export function jsonbText(value: unknown): string {
  return JSON.stringify(value ?? null).replace(
    /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g,
    '$1\\ufffd',
  );
}

/**
 * Inserts records; a record whose id is already stored is skipped. Returns the number inserted.
 * Records travel as one JSON parameter per statement, expanded by `json_to_recordset` (one
 * parameter instead of twelve per row keeps the driver's encoding work small), in statements of
 * at most `CHUNK_ROWS` rows and about `CHUNK_BYTES` of JSON, so that an embedded database (which
 * runs in this thread) never blocks request handling for long; the event loop gets a turn
 * between statements.
 */
export async function insertHistory(db: Queryable, records: readonly HistoryRecord[]): Promise<number> {
  let inserted = 0;
  let parts: string[] = [];
  let bytes = 0;
  const write = async () => {
    if (parts.length === 0) return;
    const result = await db.query<{ id: string }>(
      `insert into api_requests (id, route, user_name, client_ids, offer_ids, request, answer, status,
                                 started_at, duration_ms, model_version, sources, arm, experiment)
       select id, route, user_name, client_ids, offer_ids, request, answer, status,
              started_at, duration_ms, model_version, sources, arm, experiment
         from json_to_recordset($1::json) as t(id uuid, route text, user_name text, client_ids text[],
              offer_ids text[], request json, answer json, status int, started_at timestamptz,
              duration_ms float8, model_version text, sources jsonb, arm text, experiment text)
       on conflict (id) do nothing
       returning id`,
      [`[${parts.join(',')}]`],
    );
    inserted += result.length;
    parts = [];
    bytes = 0;
    await new Promise((resolve) => setImmediate(resolve));
  };
  for (const r of records) {
    const json = jsonbText({
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
      arm: r.arm ?? null,
      experiment: r.experiment ?? null,
    });
    if (parts.length >= CHUNK_ROWS || (parts.length > 0 && bytes + json.length > CHUNK_BYTES)) await write();
    parts.push(json);
    bytes += json.length;
  }
  await write();
  return inserted;
}
