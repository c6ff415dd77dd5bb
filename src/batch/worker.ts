/**
 * `nextoffer worker`: takes shard jobs from the queue, scores them with the run's model version
 * and writes each shard to the database in one transaction. Any number of workers on any
 * machines may share a queue. BullMQ holds a lock on each active job, renewed while the worker
 * lives; when a worker dies its lock expires and another worker's stalled-job check puts the
 * shard back in the queue. `close()` (on SIGTERM) stops taking jobs and lets active ones finish.
 */
import os from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { openArtifactStore } from '../store/artifacts.js';
import { openDatabase } from '../store/db.js';
import { ModelRegistry } from '../store/registry.js';
import { ScoringStore } from '../store/scoring.js';
import { SCORE_QUEUE, requireRedisUrl, type ShardJob } from './queue.js';
import { closeRedis, connectRedis } from './redis.js';
import { RecommenderCache, scoreClients } from './score-shard.js';

export type WorkerEvent =
  | { type: 'started'; runId: string; shard: number; attempt: number }
  | { type: 'done'; runId: string; shard: number; clients: number; seconds: number }
  | { type: 'failed'; runId: string; shard: number; attempt: number; error: string };

export interface WorkerOptions {
  concurrency?: number;
  /** Identity stored with each shard it writes. Default `<hostname>:<pid>`. */
  name?: string;
  onEvent?: (e: WorkerEvent) => void;
}

export interface ScoringWorker {
  readonly name: string;
  /** Stops taking jobs, waits for the active ones, closes the connections. Safe to call twice. */
  close(): Promise<void>;
}

export async function startScoringWorker(
  config: Config,
  options: WorkerOptions = {},
): Promise<ScoringWorker> {
  const url = requireRedisUrl(config);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new AppError('ARGUMENT_INVALID', `--concurrency ${concurrency}: must be an integer ≥ 1`);
  const lockMs = Math.max(1, config.workerLockSeconds) * 1000;
  const name = options.name ?? `${os.hostname()}:${process.pid}`;
  const emit = options.onEvent ?? (() => undefined);
  const db = await openDatabase(config);
  const artifacts = openArtifactStore(config);
  const cache = new RecommenderCache(new ModelRegistry(db, artifacts));
  const store = new ScoringStore(db);
  let connection: Awaited<ReturnType<typeof connectRedis>>;
  try {
    connection = await connectRedis(url);
  } catch (e) {
    await artifacts.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw e;
  }

  const processShard = async (job: Job<ShardJob>, _token?: string, signal?: AbortSignal) => {
    const { runId, shard, modelVersion, k, clients } = job.data;
    const attempt = Math.max(job.attemptsStarted ?? 0, job.attemptsMade + 1);
    emit({ type: 'started', runId, shard, attempt });
    const t0 = performance.now();
    const recommender = await cache.get(modelVersion);
    const scored = await scoreClients(recommender, clients, k, signal);
    const seconds = (performance.now() - t0) / 1000;
    await store.writeShard({ runId, shard, worker: name, attempt, seconds, clients: scored });
    emit({ type: 'done', runId, shard, clients: scored.length, seconds });
    return { clients: scored.length, seconds };
  };

  const worker = new Worker<ShardJob>(SCORE_QUEUE, processShard, {
    connection,
    concurrency,
    name,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    maxStalledCount: 3,
  });
  worker.on('failed', (job, err) => {
    if (job)
      emit({
        type: 'failed',
        runId: job.data.runId,
        shard: job.data.shard,
        attempt: job.attemptsMade,
        error: err.message,
      });
  });
  // Connection trouble is retried by BullMQ; keep the process alive and say so.
  worker.on('error', (err) => console.error(`worker ${name}: ${err.message}`));

  let closing: Promise<void> | null = null;
  return {
    name,
    close: () => {
      closing ??= (async () => {
        try {
          await worker.close();
        } finally {
          await closeRedis(connection);
          await artifacts.close().catch(() => undefined);
          await db.close();
        }
      })();
      return closing;
    },
  };
}
