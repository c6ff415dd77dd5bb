/**
 * Batch-scoring results (migration 007). A run is created once (re-creating it with the same
 * parameters is a no-op, so `score --all` can be rerun); each shard is written in one transaction
 * that replaces the rows of its clients and records the shard, so a retried or duplicated shard
 * leaves exactly one ranked set per client. A finished run can be published as the precomputed
 * recommendations that `/v1/recommendations` serves.
 */
import { AppError } from '../errors.js';
import type { Database, Queryable } from './db.js';

export interface ScoringRunSpec {
  id: string;
  modelName: string;
  modelVersion: number;
  k: number;
  shardSize: number;
  shards: number;
  clients: number;
  mode: 'queue' | 'in-process';
}

export interface ScoringRun extends ScoringRunSpec {
  createdAt: Date;
  finishedAt: Date | null;
  publishedAt: Date | null;
}

export interface ScoredItem {
  product: string;
  score: number;
  reasons: string[];
}

export interface ScoredClient {
  clientId: number;
  source: 'model' | 'fallback';
  items: ScoredItem[];
}

export interface ShardResult {
  runId: string;
  shard: number;
  worker: string;
  attempt: number;
  seconds: number;
  clients: readonly ScoredClient[];
}

export interface RunProgress {
  run: ScoringRun;
  shardsDone: number;
  clientsDone: number;
}

const RUN_COLUMNS = `id, model_name, model_version, k, shard_size, shards, clients, mode, created_at, finished_at, published_at`;

interface RunRow {
  id: string;
  model_name: string;
  model_version: number;
  k: number;
  shard_size: number;
  shards: number;
  clients: number;
  mode: 'queue' | 'in-process';
  created_at: Date;
  finished_at: Date | null;
  published_at: Date | null;
}

function toRun(r: RunRow): ScoringRun {
  return {
    id: r.id,
    modelName: r.model_name,
    modelVersion: r.model_version,
    k: r.k,
    shardSize: r.shard_size,
    shards: r.shards,
    clients: r.clients,
    mode: r.mode,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    publishedAt: r.published_at,
  };
}

/** Rows written per statement (clients × k rows each). */
const CLIENTS_PER_STATEMENT = 1000;

export class ScoringStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Creates the run, or returns the existing one when a run with this id and the same model
   * version, k, shard size and client count exists (a rerun). Different parameters: CONFLICT.
   */
  async createRun(spec: ScoringRunSpec): Promise<{ run: ScoringRun; created: boolean }> {
    const inserted = await this.#db.query<RunRow>(
      `insert into scoring_runs (id, model_name, model_version, k, shard_size, shards, clients, mode)
       values ($1, $2, $3, $4, $5, $6, $7, $8) on conflict (id) do nothing returning ${RUN_COLUMNS}`,
      [
        spec.id,
        spec.modelName,
        spec.modelVersion,
        spec.k,
        spec.shardSize,
        spec.shards,
        spec.clients,
        spec.mode,
      ],
    );
    if (inserted.length === 1) return { run: toRun(inserted[0]), created: true };
    const run = await this.getRun(spec.id);
    const same =
      run.modelName === spec.modelName &&
      run.modelVersion === spec.modelVersion &&
      run.k === spec.k &&
      run.shardSize === spec.shardSize &&
      run.clients === spec.clients;
    if (!same)
      throw new AppError(
        'CONFLICT',
        `scoring run ${spec.id} exists with other parameters (model ${run.modelName} v${run.modelVersion}, k ${run.k}, ` +
          `shard size ${run.shardSize}, ${run.clients} clients); choose another --run id`,
      );
    return { run, created: false };
  }

  async getRun(id: string, q: Queryable = this.#db): Promise<ScoringRun> {
    const [row] = await q.query<RunRow>(`select ${RUN_COLUMNS} from scoring_runs where id = $1`, [id]);
    if (!row) throw new AppError('RUN_NOT_FOUND', `no scoring run ${JSON.stringify(id)}`);
    return toRun(row);
  }

  async listRuns(limit = 20): Promise<ScoringRun[]> {
    const rows = await this.#db.query<RunRow>(
      `select ${RUN_COLUMNS} from scoring_runs order by created_at desc, id limit $1`,
      [limit],
    );
    return rows.map(toRun);
  }

  /** Writes one shard in one transaction; marks the run finished when it was the last shard. */
  async writeShard(result: ShardResult): Promise<void> {
    const ids = result.clients.map((c) => c.clientId);
    await this.#db.transaction(async (tx) => {
      await tx.query('delete from scoring_results where run_id = $1 and client_id = any($2::bigint[])', [
        result.runId,
        ids,
      ]);
      for (let from = 0; from < result.clients.length; from += CLIENTS_PER_STATEMENT)
        await insertRows(tx, result.runId, result.clients.slice(from, from + CLIENTS_PER_STATEMENT));
      await tx.query(
        `insert into scoring_shards (run_id, shard, clients, worker, attempt, seconds)
         values ($1, $2, $3, $4, $5, $6)
         on conflict (run_id, shard) do update set clients = excluded.clients, worker = excluded.worker,
           attempt = excluded.attempt, seconds = excluded.seconds, finished_at = now()`,
        [result.runId, result.shard, result.clients.length, result.worker, result.attempt, result.seconds],
      );
      await tx.query(
        `update scoring_runs set finished_at = now()
          where id = $1 and finished_at is null
            and (select count(*) from scoring_shards where run_id = $1) >= shards`,
        [result.runId],
      );
    });
  }

  async progress(runId: string): Promise<RunProgress> {
    const run = await this.getRun(runId);
    const [row] = await this.#db.query<{ shards: number; clients: number | null }>(
      'select count(*) as shards, sum(clients) as clients from scoring_shards where run_id = $1',
      [runId],
    );
    return { run, shardsDone: row.shards, clientsDone: Number(row.clients ?? 0) };
  }

  /** Shards already written (a rerun skips them). */
  async doneShards(runId: string): Promise<Set<number>> {
    const rows = await this.#db.query<{ shard: number }>(
      'select shard from scoring_shards where run_id = $1',
      [runId],
    );
    return new Set(rows.map((r) => r.shard));
  }

  /**
   * Replaces the precomputed recommendations with a finished run's results in one transaction
   * and records a load (format `batch`), so serving replicas drop their cached lookups.
   */
  async publish(
    runId: string,
    loadedBy: string | null,
  ): Promise<{ loadId: number; rows: number; clients: number }> {
    return this.#db.transaction(async (tx) => {
      const run = await this.getRun(runId, tx);
      if (run.finishedAt === null)
        throw new AppError(
          'CONFLICT',
          `scoring run ${runId} is not finished; publish it when every shard is done`,
        );
      await tx.exec('delete from precomputed_recommendations');
      await tx.query(
        `insert into precomputed_recommendations (client_id, rank, product, score, reasons)
         select client_id::text, rank, product, score, reasons from scoring_results where run_id = $1`,
        [runId],
      );
      const [counts] = await tx.query<{ rows: number; clients: number }>(
        'select count(*) as rows, count(distinct client_id) as clients from precomputed_recommendations',
      );
      const [load] = await tx.query<{ id: number }>(
        `insert into precomputed_loads (loaded_by, format, rows, clients) values ($1, 'batch', $2, $3) returning id`,
        [loadedBy, counts.rows, counts.clients],
      );
      await tx.query('update scoring_runs set published_at = now() where id = $1', [runId]);
      return { loadId: load.id, rows: counts.rows, clients: counts.clients };
    });
  }
}

async function insertRows(tx: Queryable, runId: string, clients: readonly ScoredClient[]): Promise<void> {
  const ids: number[] = [];
  const ranks: number[] = [];
  const products: string[] = [];
  const scores: number[] = [];
  const sources: string[] = [];
  const reasons: string[] = [];
  for (const c of clients)
    c.items.forEach((it, i) => {
      ids.push(c.clientId);
      ranks.push(i + 1);
      products.push(it.product);
      scores.push(Number.isFinite(it.score) ? it.score : 0);
      sources.push(c.source);
      reasons.push(JSON.stringify(it.reasons));
    });
  if (ids.length === 0) return;
  await tx.query(
    `insert into scoring_results (run_id, client_id, rank, product, score, source, reasons)
     select $1, t.client_id, t.rank, t.product, t.score, t.source, t.reasons::jsonb
       from unnest($2::bigint[], $3::int[], $4::text[], $5::float8[], $6::text[], $7::text[])
         as t(client_id, rank, product, score, source, reasons)
     on conflict (run_id, client_id, rank) do update set product = excluded.product, score = excluded.score,
       source = excluded.source, reasons = excluded.reasons`,
    [runId, ids, ranks, products, scores, sources, reasons],
  );
}
