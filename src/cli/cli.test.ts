import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEAD_FILE, tempDir } from '../data/ingest/fixtures.test-util.js';
import { openDatabase } from '../store/db.js';
import { IngestRuns } from '../store/ingest-runs.js';
import { loadConfig } from '../config.js';
import { MIGRATIONS } from '../store/migrate.js';
import { runCli } from './run-cli.test-util.js';

const run = runCli;

describe('nextoffer CLI', () => {
  afterEach(() => vi.restoreAllMocks());

  it('--help lists the commands', async () => {
    const { code, out } = await run('--help');
    expect(code).toBe(0);
    for (const c of ['start', 'generate', 'ingest', 'dataset', 'config']) expect(out).toContain(c);
  });

  it('ingest --json prints the report, accounts for every row and records the run', async () => {
    const dataDir = await tempDir();
    const { code, out } = await run('ingest', HEAD_FILE, '--data-dir', dataDir, '--json', '--threads', '1');
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      linesRead: number;
      rowsIngested: number;
      rowsQuarantined: number;
      fixes: { rule: string; rows: number }[];
    };
    expect(report.rowsIngested + report.rowsQuarantined).toBe(9999);
    expect(report.fixes.map((f) => f.rule)).toContain('indrel_1mes_unified');

    const db = await openDatabase(loadConfig({ NEXTOFFER_DATA_DIR: dataDir }));
    try {
      const [last] = await new IngestRuns(db).list(1);
      expect(last.status).toBe('succeeded');
      expect(last.rowsIngested).toBe(9999);
    } finally {
      await db.close();
    }

    const shown = await run('dataset', '--data-dir', dataDir);
    expect(shown.out).toMatch(/9,999 rows, 9,999 clients, 1 months/);
  });

  it('a corrupt file gives one clear error line and exit code 1, and is recorded as failed', async () => {
    const dataDir = await tempDir();
    const file = path.join(dataDir, 'bad.csv');
    writeFileSync(file, '"a","b"\n1,2\n');
    const { code, err, out } = await run('ingest', file, '--data-dir', dataDir);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^error \[HEADER_MISMATCH\]: .*bad\.csv: line 1: header does not match/);
    expect(err).not.toMatch(/\n\s+at /);
    const db = await openDatabase(loadConfig({ NEXTOFFER_DATA_DIR: dataDir }));
    try {
      const [last] = await new IngestRuns(db).list(1);
      expect(last.status).toBe('failed');
      expect(last.error).toContain('header does not match');
    } finally {
      await db.close();
    }
  });

  it('bad flags name the flag and exit with 2', async () => {
    const r = await run('ingest', HEAD_FILE, '--threads', 'many');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--threads "many": must be an integer');
  });
});

describe('nextoffer check', () => {
  it('reports the embedded database, the file artifact store and the datasets', async () => {
    const dataDir = await tempDir();
    const { code, out } = await run('check', '--data-dir', dataDir, '--json');
    expect(code).toBe(0);
    const results = JSON.parse(out) as { name: string; ok: boolean; detail: string }[];
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['database', true],
      ['artifacts', true],
      ['dataset', true],
    ]);
    expect(results[0].detail).toMatch(
      new RegExp(`^pglite at .*schema version ${MIGRATIONS[MIGRATIONS.length - 1].id}$`),
    );
    expect(results[1].detail).toMatch(/^fs at .*write, read, delete ok$/);
    expect(results[2].detail).toBe('none ingested yet');
  });

  it('fails with exit code 1 and names the component when the database is unreachable', async () => {
    const dataDir = await tempDir();
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = 'postgres://bank:secret@127.0.0.1:1/nextoffer';
    try {
      const { code, out, err } = await run('check', '--data-dir', dataDir);
      expect(code).toBe(1);
      expect(out).toMatch(/^FAIL database .*127\.0\.0\.1:1/m);
      expect(out).not.toContain('secret');
      expect(out).toMatch(/^ok {3}artifacts/m);
      expect(err).toContain('error [CONFIG_INVALID]: database check failed');
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });
});
