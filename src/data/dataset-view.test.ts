import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { attachDataset } from './dataset-view.js';
import { ingest } from './ingest/ingest.js';
import { HEAD_FILE, tempDir } from './ingest/fixtures.test-util.js';

describe('dataset view', () => {
  it('imputes missing renta with the province median and caps outliers at the 99.9th percentile', async () => {
    const dataDir = await tempDir();
    const report = await ingest(HEAD_FILE, { dataDir, threads: 1 });
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    const manifest = await attachDataset(conn, dataDir);
    const q = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJson();

    const [counts] = await q(
      `SELECT count(*) AS n, count(*) FILTER (WHERE renta_imputed) AS imputed, count(renta) AS with_renta, max(renta) AS max_renta FROM santander`,
    );
    const fix = (rule: string) => report.fixes.find((f) => f.rule === rule)!.rows;
    expect(Number(counts.n)).toBe(9999);
    expect(Number(counts.imputed)).toBe(fix('renta_missing') + fix('renta_invalid'));
    expect(Number(counts.with_renta)).toBe(9999);
    expect(Number(counts.max_renta)).toBeCloseTo(manifest.renta.cap!, 6);

    // Reference: the median of observed renta per province, computed straight from the Parquet files.
    const [madrid] = await q(
      `SELECT median(renta) AS med FROM read_parquet('${dataDir}/datasets/santander/versions/${manifest.version}/*/*.parquet') WHERE nomprov = 'MADRID'`,
    );
    const [imputedMadrid] = await q(
      `SELECT DISTINCT renta FROM santander WHERE renta_imputed AND nomprov = 'MADRID'`,
    );
    expect(Number(imputedMadrid.renta)).toBeCloseTo(Number(madrid.med), 6);
    expect(manifest.renta.medianByProvince.MADRID).toBeCloseTo(Number(madrid.med), 6);
    conn.closeSync();
    inst.closeSync();
  });

  it('names a missing dataset in its error', async () => {
    const inst = await DuckDBInstance.create(':memory:');
    const conn = await inst.connect();
    await expect(attachDataset(conn, await tempDir())).rejects.toMatchObject({ code: 'DATASET_NOT_FOUND' });
    conn.closeSync();
    inst.closeSync();
  });
});
