/**
 * `DatasetReader`: the API's one DuckDB connection over the ingested Santander dataset. It opens
 * lazily, keeps the view `santander` on the live version (re-attached when an ingest publishes a
 * new one — the `CURRENT` file is read at most once a second) and runs one query at a time, so
 * concurrent requests never share the connection mid-query. `datasetReaderOf(app)` gives each app
 * one reader, closed with the app.
 */
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { FastifyInstance } from 'fastify';
import { attachDataset } from '../data/dataset-view.js';
import { closeDuck, openDuck } from '../data/duckdb.js';
import { currentVersion, datasetDir, type Manifest } from '../data/ingest/dataset.js';
import { AppError } from '../errors.js';

export const DATASET_NAME = 'santander';
/** The view every query reads. */
export const VIEW = 'santander';

export interface DatasetReaderOptions {
  dataDir: string;
  threads?: number;
  memoryLimit?: string;
  /** How long a seen version is trusted before `CURRENT` is read again (default 1000 ms). */
  recheckMs?: number;
}

export class DatasetReader {
  readonly #options: DatasetReaderOptions;
  #duck: { instance: DuckDBInstance; conn: DuckDBConnection } | null = null;
  #manifest: Manifest | null = null;
  #checkedAt = 0;
  /** Tail of the queue of work on the connection. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(options: DatasetReaderOptions) {
    this.#options = options;
  }

  /**
   * Runs `fn` alone on the connection with the view on the live version; `DATASET_NOT_FOUND` when
   * nothing was ingested.
   */
  use<T>(fn: (conn: DuckDBConnection, manifest: Manifest) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      if (this.#closed) throw new AppError('SERVICE_UNAVAILABLE', 'the dataset reader is closed');
      const manifest = await this.#fresh();
      return fn(this.#duck!.conn, manifest);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Rows of a parameterised query (`$1`, `$2`…) as JSON-compatible objects. */
  static async rows<T>(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<T[]> {
    const reader = await conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }

  /** The live version's manifest (attaching the view when needed). */
  manifest(): Promise<Manifest> {
    return this.use((_conn, manifest) => Promise.resolve(manifest));
  }

  async #fresh(): Promise<Manifest> {
    const now = Date.now();
    if (this.#manifest && now - this.#checkedAt < (this.#options.recheckMs ?? 1000)) return this.#manifest;
    const live = await currentVersion(datasetDir(this.#options.dataDir, DATASET_NAME));
    this.#checkedAt = now;
    if (live === null) {
      this.#manifest = null;
      throw new AppError(
        'DATASET_NOT_FOUND',
        `no dataset ${DATASET_NAME} in ${this.#options.dataDir}; run \`nextoffer ingest FILE\` first`,
      );
    }
    if (this.#manifest?.version === live) return this.#manifest;
    this.#duck ??= await openDuck({
      threads: this.#options.threads,
      memoryLimit: this.#options.memoryLimit,
    });
    this.#manifest = await attachDataset(this.#duck.conn, this.#options.dataDir, DATASET_NAME, VIEW);
    return this.#manifest;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    if (this.#duck) closeDuck(this.#duck);
    this.#duck = null;
  }
}

const readers = new WeakMap<FastifyInstance, DatasetReader>();

/** The app's reader, created on first use and closed when the app closes. */
export function datasetReaderOf(app: FastifyInstance): DatasetReader {
  let reader = readers.get(app);
  if (!reader) {
    const r = new DatasetReader({
      dataDir: app.apiConfig.dataDir,
      threads: app.apiConfig.threads,
      memoryLimit: app.apiConfig.memoryLimit,
    });
    readers.set(app, r);
    app.addHook('onClose', () => r.close());
    reader = r;
  }
  return reader;
}
