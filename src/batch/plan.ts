/**
 * Planning a batch-scoring run: the clients of the ingested dataset (every distinct `ncodpers`,
 * ascending), cut into shards of consecutive ids, and a run id derived from what is scored — the
 * model version, k, shard size and the client list — so rerunning `score --all` on the same data
 * and model addresses the same run and the same shard jobs.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { closeDuck, openDuck, rows } from '../data/duckdb.js';
import { attachDataset } from '../data/dataset-view.js';

export interface Shard {
  index: number;
  clients: number[];
}

export interface DatasetClients {
  /** Ascending client ids. */
  clients: Int32Array;
  datasetVersion: string;
}

/** Every distinct client of the live dataset version, ascending. */
export async function datasetClients(config: Config): Promise<DatasetClients> {
  const duck = await openDuck({ threads: config.threads, memoryLimit: config.memoryLimit });
  try {
    const manifest = await attachDataset(duck.conn, config.dataDir, 'santander', 'santander');
    const list = await rows<{ id: number | string }>(
      duck.conn,
      'select distinct ncodpers::integer as id from santander where ncodpers is not null order by 1',
    );
    return { clients: Int32Array.from(list, (r) => Number(r.id)), datasetVersion: manifest.version };
  } finally {
    closeDuck(duck);
  }
}

/** Consecutive slices of `shardSize` clients (the last one may be shorter). */
export function planShards(clients: ArrayLike<number>, shardSize: number): Shard[] {
  if (!Number.isInteger(shardSize) || shardSize < 1)
    throw new AppError('ARGUMENT_INVALID', `shard size: must be an integer ≥ 1, got ${shardSize}`);
  const shards: Shard[] = [];
  for (let from = 0, index = 0; from < clients.length; from += shardSize, index++)
    shards.push({
      index,
      clients: Array.from(
        { length: Math.min(shardSize, clients.length - from) },
        (_, i) => clients[from + i],
      ),
    });
  return shards;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

export function assertRunId(id: string): string {
  if (!RUN_ID.test(id))
    throw new AppError(
      'ARGUMENT_INVALID',
      `--run ${JSON.stringify(id)}: 1–100 characters of letters, digits, '_', '.', '-', starting with a letter or digit`,
    );
  return id;
}

/** `reco-v3-k7-<12 hex>`: the same model, k, shard size and clients give the same id. */
export function defaultRunId(
  modelName: string,
  modelVersion: number,
  k: number,
  shardSize: number,
  clients: Int32Array,
): string {
  const hash = createHash('sha256');
  hash.update(`${modelName}:${modelVersion}:${k}:${shardSize}:`);
  hash.update(new Uint8Array(clients.buffer, clients.byteOffset, clients.byteLength));
  return `${modelName}-v${modelVersion}-k${k}-${hash.digest('hex').slice(0, 12)}`;
}

/** BullMQ job id of a shard: unique per run and shard, so enqueueing twice adds it once. */
export function shardJobId(runId: string, shard: number): string {
  return `${runId}.s${shard}`;
}
