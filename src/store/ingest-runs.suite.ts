/**
 * Tests of the ingest-runs repository, part of the database contract (`db.suite.ts`): they run on
 * every adapter so that counts, dates and JSON come back identically from PGlite and PostgreSQL.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import type { Database } from './db.js';
import { IngestRuns, type IngestRun } from './ingest-runs.js';
import { migrate } from './migrate.js';

const SHA_A = 'a'.repeat(64);
const SHA_B = '0123456789abcdef'.repeat(4);

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

export function defineIngestRunsTests(getDb: () => Database): void {
  describe('ingest runs repository', () => {
    let runs: IngestRuns;
    beforeEach(async () => {
      await migrate(getDb());
      runs = new IngestRuns(getDb());
    });

    it('starts a run as running with zero counts', async () => {
      const before = Date.now();
      const run = await runs.start({ sourcePath: '/data/train_ver2.csv', sourceSha256: SHA_A });
      expect(run).toEqual<IngestRun>({
        id: run.id,
        startedAt: run.startedAt,
        finishedAt: null,
        sourcePath: '/data/train_ver2.csv',
        sourceSha256: SHA_A,
        status: 'running',
        rowsRead: 0,
        rowsIngested: 0,
        rowsQuarantined: 0,
        months: [],
        report: null,
        error: null,
      });
      expect(typeof run.id).toBe('number');
      expect(run.startedAt).toBeInstanceOf(Date);
      expect(run.startedAt.getTime()).toBeGreaterThan(before - 60_000);
      expect(await runs.get(run.id)).toEqual(run);
    });

    it('finishes a run with counts beyond 32 bits and a nested JSON report', async () => {
      const run = await runs.start({ sourcePath: 'выгрузка/клиенты «май».xlsx', sourceSha256: SHA_B });
      const report = {
        findings: [{ code: 'AGE_OUT_OF_RANGE', path: 'age', message: 'Возраст вне диапазона', count: 12 }],
        quarantineRate: 0.0125,
        ok: true,
        note: null,
      };
      const done = await runs.finish(run.id, {
        rowsRead: 13_647_309,
        rowsIngested: 5_000_000_123,
        rowsQuarantined: 1_234,
        months: ['2015-01-28', '2015-02-28'],
        report,
      });
      expect(done.status).toBe('succeeded');
      expect(done.finishedAt).toBeInstanceOf(Date);
      expect(done.finishedAt?.getTime()).toBeGreaterThanOrEqual(done.startedAt.getTime());
      expect(done.rowsIngested).toBe(5_000_000_123);
      expect([done.rowsRead, done.rowsQuarantined]).toEqual([13_647_309, 1_234]);
      expect(done.months).toEqual(['2015-01-28', '2015-02-28']);
      expect(done.report).toEqual(report);
      expect(done.sourcePath).toBe('выгрузка/клиенты «май».xlsx');
      expect(await runs.get(run.id)).toEqual(done);
    });

    it('records skipped and failed runs, and lists the newest first', async () => {
      const first = await runs.start({ sourcePath: 'a.csv', sourceSha256: SHA_A });
      await runs.finish(first.id, {
        rowsRead: 1,
        rowsIngested: 1,
        rowsQuarantined: 0,
        months: [],
        report: {},
      });
      const second = await runs.start({ sourcePath: 'a.csv', sourceSha256: SHA_A });
      const skipped = await runs.finish(second.id, {
        status: 'skipped',
        rowsRead: 0,
        rowsIngested: 0,
        rowsQuarantined: 0,
        months: [],
        report: { reason: 'already ingested' },
      });
      expect(skipped.status).toBe('skipped');
      const third = await runs.start({ sourcePath: 'b.csv', sourceSha256: SHA_B });
      const failed = await runs.fail(third.id, new Error('Столбец "fecha_dato" не найден'));
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'Столбец "fecha_dato" не найден',
        report: null,
      });
      expect(failed.finishedAt).toBeInstanceOf(Date);

      expect((await runs.list()).map((r) => [r.id, r.status])).toEqual([
        [third.id, 'failed'],
        [second.id, 'skipped'],
        [first.id, 'succeeded'],
      ]);
      expect((await runs.list(2)).map((r) => r.id)).toEqual([third.id, second.id]);
      expect(await runs.latest()).toEqual(failed);
    });

    it('returns null or empty lists when there are no runs', async () => {
      expect(await runs.latest()).toBeNull();
      expect(await runs.list()).toEqual([]);
      expect(await runs.get(12345)).toBeNull();
    });

    it('ends a run only once and rejects bad input with clear errors', async () => {
      const run = await runs.start({ sourcePath: 'a.csv', sourceSha256: SHA_A });
      await runs.fail(run.id, 'disk full');
      const outcome = { rowsRead: 1, rowsIngested: 1, rowsQuarantined: 0, months: [], report: {} };
      expect((await rejection(runs.finish(run.id, outcome))).message).toMatch(
        /already ended \(status failed\)/,
      );
      expect((await rejection(runs.fail(run.id, 'again'))).message).toMatch(/already ended/);
      expect((await rejection(runs.finish(999_999, outcome))).message).toMatch(/999999 does not exist/);
      const bad = [
        runs.start({ sourcePath: 'a.csv', sourceSha256: 'ABC' }),
        runs.start({ sourcePath: '', sourceSha256: SHA_A }),
        runs.finish(run.id, { ...outcome, rowsRead: -1 }),
        runs.finish(run.id, { ...outcome, rowsIngested: 1.5 }),
        runs.list(0),
      ];
      for (const p of bad) expect((await rejection(p)).code).toBe('ARGUMENT_INVALID');
      const open = await runs.start({ sourcePath: 'c.csv', sourceSha256: SHA_A });
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      expect((await rejection(runs.finish(open.id, { ...outcome, report: cyclic }))).message).toMatch(
        /report is not JSON-serialisable/,
      );
      expect((await runs.get(open.id))?.status).toBe('running');
    });
  });
}
