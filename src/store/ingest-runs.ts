/**
 * Repository of ingest runs (`ingest_runs`, migration 001). A run is started as `running` and ends
 * exactly once: `finish` (succeeded or skipped, with counts) or `fail` (with the error message).
 * Works on a `Database` or on a transaction handle.
 */
import { AppError, errorMessage } from '../errors.js';
import type { JsonObject, Queryable } from './db.js';

export type IngestRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

export interface IngestRun {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  sourcePath: string;
  sourceSha256: string;
  status: IngestRunStatus;
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  /** Months present in the ingested data, as the ingest reported them. */
  months: string[];
  /** Quality report of the run (`null` until finished). */
  report: JsonObject | null;
  error: string | null;
}

export interface IngestRunStart {
  sourcePath: string;
  /** SHA-256 of the source file, 64 lower-case hex digits. */
  sourceSha256: string;
}

export interface IngestRunOutcome {
  /** `skipped`: the source was already ingested; nothing was written. Default `succeeded`. */
  status?: 'succeeded' | 'skipped';
  rowsRead: number;
  rowsIngested: number;
  rowsQuarantined: number;
  months: readonly string[];
  /** Any JSON-serialisable object. */
  report: object;
}

interface Row {
  id: number;
  started_at: Date;
  finished_at: Date | null;
  source_path: string;
  source_sha256: string;
  status: IngestRunStatus;
  rows_read: number;
  rows_ingested: number;
  rows_quarantined: number;
  months: string[];
  report: JsonObject | null;
  error: string | null;
}

const COLUMNS = `id, started_at, finished_at, source_path, source_sha256, status,
  rows_read, rows_ingested, rows_quarantined, months, report, error`;

function toRun(r: Row): IngestRun {
  return {
    id: r.id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    sourcePath: r.source_path,
    sourceSha256: r.source_sha256,
    status: r.status,
    rowsRead: r.rows_read,
    rowsIngested: r.rows_ingested,
    rowsQuarantined: r.rows_quarantined,
    months: r.months,
    report: r.report,
    error: r.error,
  };
}

function invalid(message: string): AppError {
  return new AppError('ARGUMENT_INVALID', message);
}

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalid(`${name} must be a non-negative integer, got ${value}`);
}

function toJsonText(name: string, value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    throw invalid(`${name} is not JSON-serialisable: ${errorMessage(e)}`);
  }
}

export class IngestRuns {
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  /** Records the start of a run and returns it (status `running`). */
  async start(input: IngestRunStart): Promise<IngestRun> {
    if (input.sourcePath === '') throw invalid('sourcePath must not be empty');
    if (!/^[0-9a-f]{64}$/.test(input.sourceSha256)) {
      throw invalid(
        `sourceSha256 must be 64 lower-case hex digits, got ${JSON.stringify(input.sourceSha256)}`,
      );
    }
    const [row] = await this.#db.query<Row>(
      `insert into ingest_runs (source_path, source_sha256) values ($1, $2) returning ${COLUMNS}`,
      [input.sourcePath, input.sourceSha256],
    );
    return toRun(row);
  }

  /** Ends a running run as succeeded (default) or skipped, with its counts and report. */
  async finish(id: number, outcome: IngestRunOutcome): Promise<IngestRun> {
    assertCount('rowsRead', outcome.rowsRead);
    assertCount('rowsIngested', outcome.rowsIngested);
    assertCount('rowsQuarantined', outcome.rowsQuarantined);
    const status = outcome.status ?? 'succeeded';
    if (status !== 'succeeded' && status !== 'skipped') throw invalid(`status must be succeeded or skipped`);
    const rows = await this.#db.query<Row>(
      `update ingest_runs
          set status = $2, finished_at = now(), rows_read = $3, rows_ingested = $4,
              rows_quarantined = $5, months = $6::jsonb, report = $7::jsonb
        where id = $1 and status = 'running'
        returning ${COLUMNS}`,
      [
        id,
        status,
        outcome.rowsRead,
        outcome.rowsIngested,
        outcome.rowsQuarantined,
        toJsonText('months', [...outcome.months]),
        toJsonText('report', outcome.report),
      ],
    );
    return this.#ended(id, rows);
  }

  /** Ends a running run as failed, recording the error's message. */
  async fail(id: number, error: unknown): Promise<IngestRun> {
    const message = errorMessage(error) || 'unknown error';
    const rows = await this.#db.query<Row>(
      `update ingest_runs set status = 'failed', finished_at = now(), error = $2
        where id = $1 and status = 'running'
        returning ${COLUMNS}`,
      [id, message],
    );
    return this.#ended(id, rows);
  }

  /** The run with this id, or `null`. */
  async get(id: number): Promise<IngestRun | null> {
    const rows = await this.#db.query<Row>(`select ${COLUMNS} from ingest_runs where id = $1`, [id]);
    return rows.length === 0 ? null : toRun(rows[0]);
  }

  /** The newest runs first. */
  async list(limit = 20): Promise<IngestRun[]> {
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > 1000) {
      throw invalid(`limit must be an integer from 1 to 1000, got ${limit}`);
    }
    const rows = await this.#db.query<Row>(`select ${COLUMNS} from ingest_runs order by id desc limit $1`, [
      limit,
    ]);
    return rows.map(toRun);
  }

  /** The most recently started run, or `null` when there is none. */
  async latest(): Promise<IngestRun | null> {
    const [run] = await this.list(1);
    return run ?? null;
  }

  async #ended(id: number, rows: Row[]): Promise<IngestRun> {
    if (rows.length > 0) return toRun(rows[0]);
    const existing = await this.get(id);
    throw invalid(
      existing === null
        ? `Ingest run ${id} does not exist`
        : `Ingest run ${id} has already ended (status ${existing.status})`,
    );
  }
}
