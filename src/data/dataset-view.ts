/**
 * The dataset as models read it: a DuckDB view over the live version's Parquet files that
 * applies the manifest's income imputation — missing `renta` gets its province's median
 * (the overall median when the province has none), and values above the 99.9th percentile
 * are capped — with `renta_imputed` telling which rows were filled.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AppError } from '../errors.js';
import { sqlString } from './duckdb.js';
import { currentManifest, datasetDir, parquetGlob, versionDir, type Manifest } from './ingest/dataset.js';

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** Creates (or replaces) view `viewName` over the live version of dataset `name`; returns its manifest. */
export async function attachDataset(
  conn: DuckDBConnection,
  dataDir: string,
  name = 'santander',
  viewName = name,
): Promise<Manifest> {
  if (!IDENT.test(viewName))
    throw new AppError('ARGUMENT_INVALID', `view name ${JSON.stringify(viewName)}: must match ${IDENT}`);
  const manifest = await currentManifest(dataDir, name);
  if (!manifest)
    throw new AppError(
      'DATASET_NOT_FOUND',
      `no dataset ${name} in ${dataDir}; run \`nextoffer ingest FILE\` first`,
    );
  const glob = parquetGlob(versionDir(datasetDir(dataDir, name), manifest.version));
  await conn.run(datasetViewSql(viewName, glob, manifest.renta));
  return manifest;
}

/** The view's SQL, from a Parquet glob and an imputation table. */
export function datasetViewSql(viewName: string, glob: string, renta: Manifest['renta']): string {
  const medians = Object.entries(renta.medianByProvince);
  const fallback = renta.median === null ? 'NULL' : String(renta.median);
  const capped = renta.cap === null ? 'p.renta' : `least(p.renta, ${renta.cap})`;
  const table = medians.length
    ? `(VALUES ${medians.map(([prov, med]) => `(${sqlString(prov)}, ${med})`).join(', ')}) AS m(nomprov, median)`
    : `(SELECT NULL::VARCHAR AS nomprov, NULL::DOUBLE AS median WHERE false) AS m`;
  return (
    `CREATE OR REPLACE VIEW ${viewName} AS SELECT p.* REPLACE (` +
    `CASE WHEN p.renta IS NULL THEN coalesce(m.median, ${fallback}) ELSE ${capped} END AS renta), ` +
    `p.renta IS NULL AS renta_imputed ` +
    `FROM read_parquet(${sqlString(glob)}, hive_partitioning = false) AS p LEFT JOIN ${table} ON p.nomprov = m.nomprov`
  );
}
