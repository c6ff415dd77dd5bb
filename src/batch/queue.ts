/**
 * The job queue of batch scoring: one BullMQ queue in Redis (`NEXTOFFER_REDIS_URL`), one job per
 * shard. Job ids are derived from the run id and shard index, so enqueueing a run twice adds each
 * shard once; completed jobs are kept for a week for that reason. Failed shards are retried with
 * exponential backoff; a shard whose worker died goes back to the queue when its lock expires.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { shardJobId, type Shard } from './plan.js';
import { closeRedis, connectRedis } from './redis.js';

export const SCORE_QUEUE = 'nextoffer-score';

/** What a worker needs to score one shard (the client ids travel with the job). */
export interface ShardJob {
  runId: string;
  shard: number;
  modelVersion: number;
  k: number;
  clients: number[];
}

export const SHARD_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface ScoreQueue {
  readonly queue: Queue<ShardJob>;
  close(): Promise<void>;
}

export function requireRedisUrl(config: Config): string {
  if (config.redisUrl === '')
    throw new AppError('CONFIG_INVALID', 'NEXTOFFER_REDIS_URL is not set: workers take shards from Redis');
  return config.redisUrl;
}

export async function openScoreQueue(config: Config): Promise<ScoreQueue> {
  const connection = await connectRedis(requireRedisUrl(config));
  const queue = new Queue<ShardJob>(SCORE_QUEUE, { connection });
  return {
    queue,
    close: async () => {
      await queue.close();
      await closeRedis(connection);
    },
  };
}

/**
 * Adds the shards not yet written as jobs. A job that already exists is left alone, except a
 * failed one, which is retried (a rerun after a failure picks the failed shards up again).
 */
export async function enqueueShards(
  q: ScoreQueue,
  base: Omit<ShardJob, 'shard' | 'clients'>,
  shards: readonly Shard[],
  done: ReadonlySet<number>,
): Promise<{ added: number; retried: number }> {
  let retried = 0;
  const fresh: Shard[] = [];
  for (const s of shards) {
    if (done.has(s.index)) continue;
    const job = await q.queue.getJob(shardJobId(base.runId, s.index));
    if (job === undefined) fresh.push(s);
    else if ((await job.getState()) === 'failed') {
      await job.retry('failed');
      retried++;
    }
  }
  for (let i = 0; i < fresh.length; i += 500)
    await q.queue.addBulk(
      fresh.slice(i, i + 500).map((s) => ({
        name: 'score-shard',
        data: { ...base, shard: s.index, clients: s.clients },
        opts: { ...SHARD_JOB_OPTIONS, jobId: shardJobId(base.runId, s.index) },
      })),
    );
  return { added: fresh.length, retried };
}

export async function queueCounts(q: ScoreQueue): Promise<QueueCounts> {
  const c = await q.queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  return {
    waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    completed: c.completed ?? 0,
    failed: c.failed ?? 0,
  };
}

/** Shards of `runId` that failed for good (every attempt used), with the last error. */
export async function failedShards(
  q: ScoreQueue,
  runId: string,
): Promise<{ shard: number; reason: string }[]> {
  const jobs = await q.queue.getFailed(0, -1);
  return jobs
    .filter((j) => j.data.runId === runId)
    .map((j) => ({ shard: j.data.shard, reason: j.failedReason }))
    .sort((a, b) => a.shard - b.shard);
}
