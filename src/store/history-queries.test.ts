import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../api/error-handler.js';
import { insertHistory, type HistoryRecord } from './api-requests.js';
import type { Database } from './db.js';
import { openPglite } from './db-pglite.js';
import { encodeCursor, listHistory } from './history-queries.js';
import { migrate } from './migrate.js';

function record(i: number): HistoryRecord {
  return {
    id: randomUUID(),
    route: '/v1/recommendations',
    user: 'api',
    clientIds: [String(i)],
    offerIds: [],
    request: { client_id: i },
    answer: { items: [] },
    status: 200,
    startedAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    durationMs: 1,
    modelVersion: null,
    sources: {},
  };
}

const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('history cursor', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    await insertHistory(
      db,
      Array.from({ length: 5 }, (_, i) => record(i)),
    );
  });
  afterAll(() => db.close());

  it('pages with the cursors it hands out', async () => {
    const first = await listHistory(db, { limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await listHistory(db, { limit: 2, cursor: first.next_cursor! });
    expect(second.items).toHaveLength(2);
    expect(second.items[0].request_id).not.toBe(first.items[1].request_id);
  });

  const uuid = '0b4e7c3a-5d0e-4c55-9a53-2f0d4b0c1e11';
  const crafted = {
    'a lenient date Postgres refuses': b64(`1 2 3|${uuid}`),
    'a date beyond Postgres range': b64(`275760-09-13T00:00:00.000000Z|${uuid}`),
    'an impossible calendar day': b64(`2023-02-30T00:00:00.000000Z|${uuid}`),
    'SQL in the id': b64(`2023-01-01T00:00:00.000000Z|${uuid}'; drop table runs; --`),
    'a third part': b64(`2023-01-01T00:00:00.000000Z|${uuid}|x`),
    'not base64 at all': '%%%',
    'an old-format cursor (no microseconds)': b64(`2023-01-01T00:00:00Z|${uuid}`),
  };
  for (const [what, cursor] of Object.entries(crafted))
    it(`refuses ${what} as VALIDATION_FAILED naming the parameter`, async () => {
      const err = await listHistory(db, { limit: 2, cursor }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
      expect((err as Error).message).toMatch(/^cursor: /);
    });

  it('accepts a well-formed cursor for a row that is gone (stale): an empty page, not an error', async () => {
    const page = await listHistory(db, {
      limit: 2,
      cursor: encodeCursor('2000-01-01T00:00:00.000000Z', uuid),
    });
    expect(page.items).toEqual([]);
  });
});

describe('error bodies never carry SQL', () => {
  it('a DB_ERROR is answered with a generic message and the request id, and logged in full', async () => {
    const logged: string[] = [];
    const app = Fastify({
      logger: { level: 'error', stream: { write: (s: string) => logged.push(s) } },
    });
    installErrorHandler(app);
    const db = await openPglite();
    app.get('/boom', async () => db.query(`select * from no_such_table where secret = 'x'`));
    const res = await app.inject({ method: 'GET', url: '/boom' });
    await app.close();
    await db.close();
    expect(res.statusCode).toBe(500);
    const body = res.json<{ error: { code: string; message: string; request_id: string } }>();
    expect(body.error.code).toBe('DB_ERROR');
    expect(body.error.request_id).toMatch(/.+/);
    expect(res.body).not.toMatch(/no_such_table|select|secret/i);
    expect(logged.join('')).toContain('no_such_table');
  });
});
