/**
 * Redis connections of the batch-scoring queue, through ioredis (the driver BullMQ is built on).
 * `NEXTOFFER_REDIS_URL` takes `redis://[user:password@]host[:6379][/db]`, or `rediss://` for TLS.
 */
import { Redis } from 'ioredis';
import { AppError, errorMessage } from '../errors.js';

/** Checks the URL's scheme and database number, naming the setting in the error. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('CONFIG_INVALID', `NEXTOFFER_REDIS_URL: not a valid URL`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new AppError('CONFIG_INVALID', 'NEXTOFFER_REDIS_URL: must start with redis:// or rediss://');
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db))
    throw new AppError('CONFIG_INVALID', `NEXTOFFER_REDIS_URL: database "${db}" must be a number`);
}

/**
 * Opens a connection for BullMQ (no per-command retry limit, which BullMQ's blocking commands
 * need). A server that does not answer is reported at once as SERVICE_UNAVAILABLE instead of
 * being retried forever; once connected, ioredis reconnects by itself.
 */
export async function connectRedis(url: string): Promise<Redis> {
  checkRedisUrl(url);
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  client.on('error', () => undefined); // reported through the commands that fail
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    throw new AppError('SERVICE_UNAVAILABLE', `Redis at NEXTOFFER_REDIS_URL: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  return client;
}

/** Closes a connection politely (QUIT), or drops it when the server is gone. */
export async function closeRedis(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
