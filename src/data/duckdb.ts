/** One place that opens DuckDB with nextoffer's settings. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckOptions {
  /** 0: DuckDB's default (one per core). */
  threads?: number;
  /** e.g. '8GB'; empty: DuckDB's default. */
  memoryLimit?: string;
  /** Where DuckDB may spill. */
  tempDir?: string;
}

export async function openDuck(
  options: DuckOptions = {},
): Promise<{ instance: DuckDBInstance; conn: DuckDBConnection }> {
  // Row order inside a month partition carries no meaning; not preserving it lets DuckDB stream.
  const settings: Record<string, string> = { preserve_insertion_order: 'false' };
  if (options.threads && options.threads > 0) settings.threads = String(options.threads);
  if (options.memoryLimit) settings.memory_limit = options.memoryLimit;
  if (options.tempDir) settings.temp_directory = options.tempDir;
  const instance = await DuckDBInstance.create(':memory:', settings);
  const conn = await instance.connect();
  // Progress tracking (read through `conn.progress`) without DuckDB printing its own bar.
  await conn.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false;');
  return { instance, conn };
}

export function closeDuck(d: { instance: DuckDBInstance; conn: DuckDBConnection }): void {
  d.conn.closeSync();
  d.instance.closeSync();
}

/** Quotes a string literal for SQL. */
export const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Runs a query and returns its rows as plain JSON-compatible objects. */
export async function rows<T>(conn: DuckDBConnection, sql: string): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql);
  return reader.getRowObjectsJson() as T[];
}
