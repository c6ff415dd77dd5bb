/**
 * Precomputed recommendations (migration 004): a set of ranked products per client, loaded in bulk
 * and replaced as a whole. A load runs in one transaction — the old set stays visible until the
 * new one is complete — and is recorded in `precomputed_loads`, whose newest id tells replicas
 * that their cached lookups are stale.
 */
import type { Database, Queryable } from './db.js';
import { jsonbText } from './api-requests.js';

export interface PrecomputedRow {
  clientId: string;
  product: string;
  score: number;
  reasons: string[];
}

export interface PrecomputedItem {
  product: string;
  score: number;
  reasons: string[];
}

export interface LoadSummary {
  load_id: number;
  rows: number;
  clients: number;
}

const CHUNK = 2000;

/** Replaces the whole set with `rows` (ranked by descending score within each client). */
export async function replacePrecomputed(
  db: Database,
  rows: readonly PrecomputedRow[],
  meta: { format: 'csv' | 'json'; loadedBy: string | null },
): Promise<LoadSummary> {
  const byClient = new Map<string, PrecomputedRow[]>();
  for (const r of rows) {
    const list = byClient.get(r.clientId);
    if (list) list.push(r);
    else byClient.set(r.clientId, [r]);
  }
  return db.transaction(async (tx) => {
    await tx.exec('delete from precomputed_recommendations');
    let batch: { client: string; rank: number; row: PrecomputedRow }[] = [];
    const write = async () => {
      if (batch.length === 0) return;
      await tx.query(
        `insert into precomputed_recommendations (client_id, rank, product, score, reasons)
         select client_id, rank, product, score, reasons
           from jsonb_to_recordset($1::jsonb)
             as t(client_id text, rank int, product text, score float8, reasons jsonb)`,
        [
          jsonbText(
            batch.map((b) => ({
              client_id: b.client,
              rank: b.rank,
              product: b.row.product,
              score: b.row.score,
              reasons: b.row.reasons,
            })),
          ),
        ],
      );
      batch = [];
    };
    for (const [client, list] of byClient) {
      list.sort((a, b) => b.score - a.score);
      for (let i = 0; i < list.length; i++) batch.push({ client, rank: i + 1, row: list[i] });
      if (batch.length >= CHUNK) await write();
    }
    await write();
    const [load] = await tx.query<{ id: number }>(
      `insert into precomputed_loads (loaded_by, format, rows, clients) values ($1, $2, $3, $4) returning id`,
      [meta.loadedBy, meta.format, rows.length, byClient.size],
    );
    return { load_id: load.id, rows: rows.length, clients: byClient.size };
  });
}

/** The top-`k` precomputed products of a client, best first (empty when the client has none). */
export async function getPrecomputed(db: Queryable, clientId: string, k: number): Promise<PrecomputedItem[]> {
  return db.query<PrecomputedItem>(
    `select product, score, reasons from precomputed_recommendations
      where client_id = $1 order by rank limit $2`,
    [clientId, k],
  );
}

/** Id of the newest load (0: nothing loaded yet). */
export async function currentLoadId(db: Queryable): Promise<number> {
  const [row] = await db.query<{ id: number | null }>('select max(id) as id from precomputed_loads');
  return row.id ?? 0;
}
