import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANTANDER_TRAIN_HEADER } from '../santander-schema.js';
import { currentManifest, datasetDir, parquetGlob, versionDir } from './dataset.js';
import { ingest } from './ingest.js';
import { HEAD_FILE, headLines, splitCsv, tempDir } from './fixtures.test-util.js';

async function countRows(dataDir: string): Promise<number> {
  const m = await currentManifest(dataDir, 'santander');
  if (!m) return 0;
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const glob = parquetGlob(versionDir(datasetDir(dataDir, 'santander'), m.version));
  const r = (
    await conn.runAndReadAll(`SELECT count(*) AS n FROM read_parquet('${glob}')`)
  ).getRowObjectsJson();
  conn.closeSync();
  inst.closeSync();
  return Number(r[0].n);
}

describe('ingest of the real head file', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await tempDir();
  });

  it('accounts for all 9,999 rows and counts each rule like a naive reference reader', async () => {
    const report = await ingest(HEAD_FILE, { dataDir, threads: 1 });
    const rows = headLines().slice(1).map(splitCsv);
    const col = (name: string) => SANTANDER_TRAIN_HEADER.indexOf(name);
    const count = (pred: (r: string[]) => boolean) => rows.filter(pred).length;
    const fix = (rule: string) => report.fixes.find((f) => f.rule === rule)?.rows;

    expect(report.linesRead).toBe(9999);
    expect(report.rowsIngested + report.rowsQuarantined).toBe(9999);
    expect(report.rowsQuarantined).toBe(0);
    expect(fix('trim_padding')).toBe(count((r) => r.some((v) => v !== v.trim())));
    expect(fix('indrel_1mes_unified')).toBe(count((r) => /^\d\.0$/.test(r[col('indrel_1mes')].trim())));
    expect(fix('segmento_prefix_stripped')).toBe(count((r) => /^\d\d - /.test(r[col('segmento')].trim())));
    expect(fix('province_missing')).toBe(count((r) => ['', 'NA'].includes(r[col('nomprov')].trim())));
    expect(fix('renta_missing')).toBe(count((r) => ['', 'NA'].includes(r[col('renta')].trim())));
    const productCols = SANTANDER_TRAIN_HEADER.slice(24).map(col);
    expect(fix('product_flag_missing')).toBe(
      count((r) => productCols.some((i) => !['0', '1'].includes(r[i].trim()))),
    );
    expect(report.months).toEqual([{ month: '2015-01-28', rows: 9999, clients: 9999 }]);
    expect(await countRows(dataDir)).toBe(9999);
    expect(report.missing.tipodom).toBeUndefined();
    expect(report.missing.renta).toBe(fix('renta_missing')! + fix('renta_invalid')!);
    expect(report.missing.ncodpers).toBe(0);
    expect(report.duplicateKeyRows).toBe(0);
    expect(report.source.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not duplicate when the same file is ingested again', async () => {
    const before = await currentManifest(dataDir, 'santander');
    const again = await ingest(HEAD_FILE, { dataDir, threads: 1 });
    expect(again.status).toBe('skipped');
    expect(again.version).toBe(before?.version);
    expect(await countRows(dataDir)).toBe(9999);
  });

  it('replaces a month from another file (unless told not to), keeping one copy of each row', async () => {
    const lines = headLines();
    const file = path.join(dataDir, 'first-100.csv');
    writeFileSync(file, `${lines.slice(0, 101).join('\n')}\n`);
    await expect(ingest(file, { dataDir, threads: 1, replace: false })).rejects.toMatchObject({
      code: 'DATASET_CONFLICT',
    });
    expect(await countRows(dataDir)).toBe(9999);
    const r = await ingest(file, { dataDir, threads: 1 });
    expect(r.rowsIngested).toBe(100);
    expect(r.replacedMonths).toEqual([{ month: '2015-01-28', rows: 9999, source: HEAD_FILE }]);
    expect(await countRows(dataDir)).toBe(100);
    // The head file's month now comes from another file: ingesting it again is not a no-op.
    const back = await ingest(HEAD_FILE, { dataDir, threads: 1 });
    expect(back.status).toBe('succeeded');
    expect(await countRows(dataDir)).toBe(9999);
    const manifest = await currentManifest(dataDir, 'santander');
    expect(manifest?.sources.map((s) => [path.basename(s.path), s.months])).toEqual([
      ['train_ver2_head.csv', ['2015-01-28']],
    ]);
  });
});

describe('ingest of the rebuilt panels', () => {
  it.each([
    ['santander_adders_dev.csv', 77438, 6],
    ['santander_mar_apr_2016.csv', 185070, 2],
  ])('%s: every line accounted for, one partition per month', async (name, lines, months) => {
    const dataDir = await tempDir();
    const report = await ingest(path.join(path.dirname(HEAD_FILE), name), { dataDir });
    expect(report.linesRead).toBe(lines);
    expect(report.rowsIngested + report.rowsQuarantined).toBe(lines);
    expect(report.months).toHaveLength(months);
    expect(report.months.reduce((s, m) => s + m.rows, 0)).toBe(report.rowsIngested);
    const manifest = await currentManifest(dataDir, 'santander');
    expect(manifest?.rows).toBe(report.rowsIngested);
    for (const m of report.months)
      expect(
        existsSync(
          path.join(versionDir(datasetDir(dataDir, 'santander'), manifest!.version), `fecha_dato=${m.month}`),
        ),
      ).toBe(true);
  });
});

describe('quarantine', () => {
  it('quarantines 3 bad lines in the middle with their line numbers and ingests the rest', async () => {
    const dataDir = await tempDir();
    const lines = headLines();
    const body = lines.slice(1, 1001);
    body.splice(300, 0, '2015-01-28,123,too,few,columns');
    body.splice(600, 0, 'not-a-date,' + lines[5].split(',').slice(1).join(','));
    body.splice(900, 0, lines[7] + ',extra');
    const file = path.join(dataDir, 'three-bad.csv');
    writeFileSync(file, `${[lines[0], ...body].join('\n')}\n`);
    const report = await ingest(file, { dataDir, threads: 1 });
    expect(report.linesRead).toBe(1003);
    expect(report.rowsIngested).toBe(1000);
    expect(report.duplicateKeyRows).toBe(0);
    expect(report.firstQuarantined.map((q) => [q.line, q.rule])).toEqual([
      [302, 'column_count'],
      [602, 'fecha_dato_invalid'],
      [902, 'column_count'],
    ]);
    const csv = readFileSync(report.quarantineFile!, 'utf8').trim().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[1]).toBe(
      '302,column_count,Expected Number of Columns: 48 Found: 5,"2015-01-28,123,too,few,columns"',
    );
    expect(csv[2]).toContain('not-a-date');
  });
});

describe('input formats', () => {
  it('reads .csv.gz and .zip to the same rows as the plain CSV', async () => {
    const { gzipSync } = await import('node:zlib');
    const dir = await tempDir();
    const gz = path.join(dir, 'head.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(HEAD_FILE)));
    const fromGz = await ingest(gz, { dataDir: path.join(dir, 'a'), threads: 1 });
    expect(fromGz.source.format).toBe('csv.gz');
    expect(fromGz.rowsIngested).toBe(9999);

    const zip = path.join(dir, 'head.zip');
    const { execFileSync } = await import('node:child_process');
    execFileSync('python3', [
      '-c',
      `import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED); z.write(sys.argv[2],'train_ver2.csv'); z.close()`,
      zip,
      HEAD_FILE,
    ]);
    const fromZip = await ingest(zip, { dataDir: path.join(dir, 'b'), threads: 1 });
    expect(fromZip.source.format).toBe('zip');
    expect(fromZip.fixes).toEqual(fromGz.fixes);
    expect(fromZip.renta).toEqual(fromGz.renta);
  });

  it('reads the test_ver2 layout (no product columns) into its own dataset', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'test_ver2.csv');
    const rows = headLines().map((l) => splitCsvKeepQuotes(l).slice(0, 24).join(','));
    writeFileSync(file, `${rows.slice(0, 501).join('\n')}\n`);
    const report = await ingest(file, { dataDir: dir, threads: 1 });
    expect(report.dataset).toBe('santander_test');
    expect(report.source.layout).toBe('test');
    expect(report.rowsIngested).toBe(500);
    expect(Object.keys(report.missing)).not.toContain('ind_cco_fin_ult1');
    expect(await currentManifest(dir, 'santander')).toBeNull();
  });
});

/** Splits on commas outside quotes but keeps the quotes, so fields can be re-joined as they were. */
function splitCsvKeepQuotes(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

describe('text variants', () => {
  it('reads CRLF line ends, a last line without a line break, and Latin-1 text', async () => {
    const dir = await tempDir();
    const lines = headLines().slice(0, 1001);
    const crlf = path.join(dir, 'crlf.csv');
    writeFileSync(crlf, lines.join('\r\n'));
    const a = await ingest(crlf, { dataDir: path.join(dir, 'a'), threads: 1 });
    expect([a.linesRead, a.rowsIngested, a.rowsQuarantined]).toEqual([1000, 1000, 0]);

    const latin = path.join(dir, 'latin1.csv');
    writeFileSync(latin, Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const b = await ingest(latin, { dataDir: path.join(dir, 'b'), threads: 1 });
    expect(b.source.encoding).toBe('latin-1');
    expect(b.rowsIngested).toBe(1000);
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const manifest = await currentManifest(path.join(dir, 'b'), 'santander');
    const glob = parquetGlob(versionDir(datasetDir(path.join(dir, 'b'), 'santander'), manifest!.version));
    const provinces = (
      await conn.runAndReadAll(`SELECT DISTINCT nomprov FROM read_parquet('${glob}') WHERE cod_prov = 15`)
    ).getRowObjectsJson();
    expect(provinces).toEqual([{ nomprov: 'CORUÑA, A' }]);
    conn.closeSync();
    inst.closeSync();
  });
});

describe('repeated keys', () => {
  it('keeps and counts rows that repeat a client within a month', async () => {
    const dir = await tempDir();
    const lines = headLines();
    const file = path.join(dir, 'dups.csv');
    writeFileSync(file, `${[...lines.slice(0, 101), lines[5], lines[7]].join('\n')}\n`);
    const report = await ingest(file, { dataDir: dir, threads: 1 });
    expect(report.rowsIngested).toBe(102);
    expect(report.duplicateKeyRows).toBe(2);
    expect(report.months).toEqual([{ month: '2015-01-28', rows: 102, clients: 100 }]);
  });
});
