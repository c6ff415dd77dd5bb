/** Redis connections of the queue against a real `redis-server`, and BullMQ running on them. */
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayRedis, hasRedisServer, type ThrowawayRedis } from '../../bench/throwaway-redis.js';
import { expectAppError } from '../store/db.suite.js';
import { checkRedisUrl, closeRedis, connectRedis } from './redis.js';

describe('NEXTOFFER_REDIS_URL', () => {
  it('accepts redis:// and rediss:// with a numeric database, and names the setting otherwise', () => {
    expect(() => checkRedisUrl('redis://u:p%40ss@cache.bank:6380/2')).not.toThrow();
    expect(() => checkRedisUrl('rediss://:secret@10.0.0.5')).not.toThrow();
    expect(() => checkRedisUrl('http://x')).toThrow(/NEXTOFFER_REDIS_URL: must start with redis:\/\//);
    expect(() => checkRedisUrl('redis://x/abc')).toThrow(/database "abc" must be a number/);
    expect(() => checkRedisUrl('not a url')).toThrow(/not a valid URL/);
  });

  it('reports a server that does not answer as SERVICE_UNAVAILABLE', async () => {
    await expectAppError(
      connectRedis('redis://127.0.0.1:1'),
      'SERVICE_UNAVAILABLE',
      /Redis at NEXTOFFER_REDIS_URL/,
    );
  });
});

describe('BullMQ on redis-server', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    if (!hasRedisServer()) throw new Error('redis-server is not installed (apt-get install redis-server)');
    redis = await createThrowawayRedis();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('retries a failing job, which then completes', async () => {
    const queueConn = await connectRedis(redis.url);
    const workerConn = await connectRedis(redis.url);
    const queue = new Queue('smoke', { connection: queueConn });
    let calls = 0;
    const worker = new Worker(
      'smoke',
      (job) => {
        calls++;
        if (job.attemptsMade === 0) return Promise.reject(new Error('first attempt fails'));
        return Promise.resolve((job.data as { n: number }).n * 2);
      },
      { connection: workerConn },
    );
    try {
      const done = new Promise<unknown>((resolve) => worker.on('completed', (_job, value) => resolve(value)));
      await queue.add(
        'double',
        { n: 21 },
        { jobId: 'job-1', attempts: 3, backoff: { type: 'fixed', delay: 10 } },
      );
      expect(await done).toBe(42);
      expect(calls).toBe(2);
      expect(await queue.getJobCounts('completed', 'failed', 'waiting')).toEqual({
        completed: 1,
        failed: 0,
        waiting: 0,
      });
    } finally {
      await worker.close();
      await queue.close();
      await closeRedis(queueConn);
      await closeRedis(workerConn);
    }
  });
});
