/**
 * The RESP client against a real `redis-server` (skipped when the binary is absent), and BullMQ
 * running on it: a queue, a worker, a retried job.
 */
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createThrowawayRedis, hasRedisServer, type ThrowawayRedis } from '../../bench/throwaway-redis.js';
import { parseRedisUrl, RespClient } from './redis-client.js';

describe('parseRedisUrl', () => {
  it('reads host, port, credentials, database and TLS', () => {
    expect(parseRedisUrl('redis://u:p%40ss@cache.bank:6380/2')).toEqual({
      host: 'cache.bank',
      port: 6380,
      tls: false,
      username: 'u',
      password: 'p@ss',
      db: 2,
    });
    expect(parseRedisUrl('rediss://:secret@10.0.0.5')).toMatchObject({
      port: 6379,
      tls: true,
      password: 'secret',
      db: 0,
    });
    expect(() => parseRedisUrl('http://x')).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => parseRedisUrl('redis://x/abc')).toThrow(/database "abc" must be a number/);
  });
});

describe.runIf(hasRedisServer())('RespClient on redis-server', () => {
  let redis: ThrowawayRedis;
  beforeAll(async () => {
    redis = await createThrowawayRedis();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('sends pipelined commands and decodes every reply type', async () => {
    const c = new RespClient(redis.url);
    await c.connect();
    const big = 'x'.repeat(200_000);
    const replies = await Promise.all([
      c.send('SET', ['k', big]),
      c.send('GET', ['k']),
      c.send('INCRBY', ['n', 5]),
      c.send('GET', ['missing']),
      c.send('RPUSH', ['l', 'a', Buffer.from('b')]),
      c.send('LRANGE', ['l', 0, -1]),
      c.send('SET', ['ключ', 'значение']),
      c.send('GET', ['ключ']),
    ]);
    expect(replies).toEqual(['OK', big, 5, null, 2, ['a', 'b'], 'OK', 'значение']);
    await expect(c.send('INCR', ['k'])).rejects.toThrow(/not an integer/);
    await c.send('MULTI');
    await c.send('INCR', ['n']);
    await c.send('INCR', ['k']);
    const exec = (await c.send('EXEC')) as unknown[];
    expect(exec[0]).toBe(6);
    expect(exec[1]).toBeInstanceOf(Error);
    c.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(c.connected).toBe(false);
    await expect(c.send('PING')).rejects.toThrow(/closed/);
  });

  it('carries a BullMQ queue: a failing job is retried and completes', async () => {
    const queueConn = new RespClient(redis.url);
    const workerConn = new RespClient(redis.url);
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
      const counts = await queue.getJobCounts('completed', 'failed', 'waiting');
      expect(counts).toEqual({ completed: 1, failed: 0, waiting: 0 });
    } finally {
      await worker.close();
      await queue.close();
      queueConn.close();
      workerConn.close();
    }
  });
});
