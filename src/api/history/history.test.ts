/* eslint-disable @typescript-eslint/no-unsafe-argument --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { insertHistory, jsonbText, type HistoryRecord } from '../../store/api-requests.js';
import type { Database, Queryable } from '../../store/db.js';
import { openPglite } from '../../store/db-pglite.js';
import { migrate } from '../../store/migrate.js';
import { Outbox } from './outbox.js';
import { HistoryWriter } from './writer.js';

function record(i: number): HistoryRecord {
  return {
    id: randomUUID(),
    route: '/v1/recommendations',
    user: 'api',
    clientIds: [String(i)],
    offerIds: [],
    request: { client_id: i, note: 'nul \u0000 inside' },
    answer: { items: [] },
    status: 200,
    startedAt: new Date(1_700_000_000_000 + i).toISOString(),
    durationMs: 1.5,
    modelVersion: null,
    sources: { precomputed: 1 },
  };
}

/** A database whose writes fail while `down` is true. */
function switchable(db: Database): Queryable & { down: boolean } {
  const q = {
    down: false,
    query: async <T>(sql: string, params?: readonly unknown[]) => {
      if (q.down) throw new AppError('DB_ERROR', 'connect ECONNREFUSED 127.0.0.1:5432');
      return db.query<T>(sql, params);
    },
    exec: (sql: string) => db.exec(sql),
  };
  return q;
}

describe('history writer and outbox', () => {
  let db: Database;
  let dir: string;
  beforeEach(async () => {
    db = await openPglite();
    await migrate(db);
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-outbox-'));
  });
  afterEach(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });
  const count = async () => (await db.query<{ n: number }>('select count(*) as n from api_requests'))[0].n;

  it('stores jsonb-hostile text and skips ids already stored', async () => {
    expect(jsonbText({ a: '\u0000', b: '\\u0000' })).toBe('{"a":"\\ufffd","b":"\\\\u0000"}');
    const rs = [record(1), record(2)];
    expect(await insertHistory(db, rs)).toBe(2);
    expect(await insertHistory(db, [...rs, record(3)])).toBe(1);
    expect(await count()).toBe(3);
  });

  it('stores lone UTF-16 surrogates and control characters as valid text, and later records still go in', async () => {
    expect(jsonbText({ ['k\udc00']: 'a\ud800b', pair: '\ud83d\ude00', ctl: '\u0001\u001f' })).toBe(
      '{"k\\ufffd":"a\\ufffdb","pair":"\ud83d\ude00","ctl":"\\u0001\\u001f"}',
    );
    const hostile = {
      ...record(11),
      request: { features: { ['x\ud800']: 'lone \udfff and \u0000 \u0007' } },
    };
    expect(await insertHistory(db, [hostile])).toBe(1);
    expect(await insertHistory(db, [record(12)])).toBe(1);
    const rows = await db.query<{ request: { features: Record<string, string> } }>(
      'select request from api_requests where id = $1',
      [hostile.id],
    );
    expect(rows[0].request.features).toEqual({ 'x\ufffd': 'lone \ufffd and \ufffd \u0007' });
  });

  it('writes to the outbox while the database is down and replays it exactly once when it returns', async () => {
    const q = switchable(db);
    const outbox = await Outbox.open(dir, 10_000_000);
    const writer = new HistoryWriter({ db: q, outbox, flushIntervalMs: 1, retryMs: 0, batchSize: 7 });
    for (let i = 0; i < 20; i++) writer.enqueue(record(i));
    await writer.flush();
    q.down = true;
    const down = Array.from({ length: 50 }, (_, i) => record(100 + i));
    for (const r of down) writer.enqueue(r);
    await writer.flush();
    expect(writer.degraded).toBe(true);
    expect(outbox.records).toBe(50);
    const lines = (await readFile(outbox.file, 'utf8')).trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as HistoryRecord).id)).toEqual(down.map((r) => r.id));
    q.down = false;
    writer.enqueue(record(999));
    await writer.flush();
    expect(outbox.records).toBe(0);
    expect(await count()).toBe(71);
    await writer.close();
  });

  it('refuses new requests when the outbox is full, keeps what it accepted, and a reopened outbox resumes', async () => {
    const q = switchable(db);
    q.down = true;
    const outbox = await Outbox.open(dir, 64 * 1024 + 4000);
    const writer = new HistoryWriter({ db: q, outbox, flushIntervalMs: 1, retryMs: 0, batchSize: 1 });
    expect(writer.canAccept()).toBe(true);
    for (let i = 0; i < 30; i++) writer.enqueue(record(i));
    await writer.flush();
    expect(outbox.records).toBe(30);
    expect(writer.canAccept()).toBe(false);
    expect(() => writer.assertAccepting()).toThrow(
      expect.objectContaining({ code: 'HISTORY_UNAVAILABLE', status: 503 }),
    );
    await writer.close();
    // A torn last line (crash mid-append) is skipped on reopen.
    await appendFile(outbox.file, '{"id":"half');
    const reopened = await Outbox.open(dir, 10_000_000);
    expect(reopened.records).toBe(30);
    q.down = false;
    const w2 = new HistoryWriter({ db: q, outbox: reopened, flushIntervalMs: 1, retryMs: 0 });
    await w2.flush();
    expect(await count()).toBe(30);
    await w2.close();
  });

  it('keeps records in memory when both the database and the outbox fail, and writes them later', async () => {
    const q = switchable(db);
    q.down = true;
    const outbox = await Outbox.open(dir, 100); // too small for any record
    const writer = new HistoryWriter({ db: q, outbox, flushIntervalMs: 1, retryMs: 0, maxQueued: 5 });
    for (let i = 0; i < 5; i++) writer.enqueue(record(i));
    await writer.flush();
    expect(writer.queued).toBe(5);
    expect(writer.canAccept()).toBe(false);
    q.down = false;
    await writer.close();
    expect(await count()).toBe(5);
  });
});
