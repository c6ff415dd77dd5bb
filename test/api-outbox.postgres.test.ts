/**
 * History with no loss, on a real PostgreSQL server: during a stream of requests the database is
 * stopped and started again; the API keeps answering (history goes to the on-disk outbox), and
 * afterwards every request is in `api_requests` exactly once. Uses a throwaway server started by
 * the test (the shared CI cluster is never touched); skipped only when no PostgreSQL binaries exist.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/store/db.js';
import { openPostgres } from '../src/store/db-postgres.js';
import { migrate } from '../src/store/migrate.js';
import { AS, createTestApp, fakeServices, type TestApp } from '../src/api/testing.test-util.js';
import {
  createThrowawayPostgres,
  postgresBinDir,
  type ThrowawayPostgres,
} from '../bench/throwaway-postgres.js';

const bin = postgresBinDir();
if (bin === null)
  console.warn('api-outbox.postgres: skipped — no PostgreSQL binaries in /usr/lib/postgresql/*/bin');

describe.runIf(bin !== null)('request history survives a database restart (throwaway PostgreSQL)', () => {
  let pg: ThrowawayPostgres;
  let db: Database;
  let t: TestApp;
  beforeAll(async () => {
    pg = await createThrowawayPostgres(bin as string);
    db = await openPostgres(pg.url, { connectTimeoutMs: 1000 });
    await migrate(db);
    t = await createTestApp({ db, services: fakeServices(), history: { flushIntervalMs: 5, retryMs: 100 } });
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
    await pg?.destroy();
  });

  it('answers every request while the database is down and stores each exactly once', async () => {
    const sent: string[] = [];
    const statuses: number[] = [];
    let stream = true;
    const send = async (i: number) => {
      const id = randomUUID();
      sent.push(id);
      const res =
        i % 2 === 0
          ? await t.app.inject({
              method: 'POST',
              url: '/v1/recommendations',
              headers: { ...AS.api, 'x-request-id': id },
              payload: { client_id: i, k: 3 },
            })
          : await t.app.inject({
              method: 'POST',
              url: '/v1/offers',
              headers: { ...AS.api, 'x-request-id': id },
              payload: [{ client_id: i, features: { age: 40 }, product: 'ind_cco_fin_ult1', channel: 'sms' }],
            });
      statuses.push(res.statusCode);
    };
    // Warm the credential cache (authentication needs the database on a cache miss).
    await send(0);
    const clients = Array.from({ length: 4 }, async (_, c) => {
      for (let i = 1 + c; stream; i += 4) {
        await send(i);
        await new Promise((r) => setTimeout(r, 2));
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    await pg.stop();
    const atStop = sent.length;
    await new Promise((r) => setTimeout(r, 1500));
    expect(t.app.history.degraded).toBe(true);
    expect(t.app.history.outboxRecords).toBeGreaterThan(0);
    const health = (await t.app.inject({ url: '/health' })).json<{ status: string; history: string }>();
    expect(health).toMatchObject({ status: 'ok', history: 'degraded' });
    const duringOutage = sent.length - atStop;
    await pg.start();
    await new Promise((r) => setTimeout(r, 1000));
    stream = false;
    await Promise.all(clients);
    await t.app.history.flush();
    for (let i = 0; i < 50 && t.app.history.outboxRecords > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      await t.app.history.flush();
    }

    expect(duringOutage).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(t.app.history.outboxRecords).toBe(0);
    const rows = await db.query<{ id: string; n: number }>(
      'select id, count(*) as n from api_requests where id = any($1::uuid[]) group by id',
      [sent],
    );
    expect(rows).toHaveLength(sent.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(sent));
  });
});
