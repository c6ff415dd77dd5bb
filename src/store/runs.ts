/**
 * Experiment runs (`runs`, migration 002). Every train, evaluate and segment run is recorded with its
 * parameters, metrics, timings, data fingerprint, git commit and artifact keys. A run starts as
 * `running` and ends exactly once (`finish` or `fail`). While it runs, its process refreshes
 * `heartbeat_at` (migration 011); a run whose heartbeat is older than `staleAfterMs` (its process
 * was killed) is marked `aborted` by the next `start` or `list`. Optional sinks (e.g. MLflow) receive each
 * run as it starts and ends; a failing sink never fails the run, its error goes to `onSinkError`.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, errorMessage } from '../errors.js';
import type { Queryable } from './db.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

export interface RunRecord {
  id: string;
  kind: string;
  name: string;
  status: RunStatus;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  timings: Record<string, number>;
  dataFingerprint: string | null;
  gitCommit: string | null;
  artifacts: string[];
  startedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

export interface RunStart {
  /** What kind of work: `train`, `evaluate`, `segment`, `retrain`… (lower-case identifier). */
  kind: string;
  /** What was run, e.g. the model name (`reco`). */
  name: string;
  params?: Record<string, unknown>;
  dataFingerprint?: string | null;
  /** Default: the commit of the checkout the code runs from, when there is one. */
  gitCommit?: string | null;
}

export interface RunEnd {
  metrics?: Record<string, number>;
  timings?: Record<string, number>;
  artifacts?: readonly string[];
}

/** Receives runs as they start and end, e.g. to mirror them to an MLflow server. */
export interface RunSink {
  onStart(run: RunRecord): Promise<void>;
  onFinish(run: RunRecord): Promise<void>;
}

interface Row {
  id: string;
  kind: string;
  name: string;
  status: RunStatus;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  timings: Record<string, number>;
  data_fingerprint: string | null;
  git_commit: string | null;
  artifacts: string[];
  started_at: Date;
  finished_at: Date | null;
  error: string | null;
}

const COLUMNS = `id, kind, name, status, params, metrics, timings, data_fingerprint, git_commit,
  artifacts, started_at, finished_at, error`;

function toRecord(r: Row): RunRecord {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    params: r.params,
    metrics: r.metrics,
    timings: r.timings,
    dataFingerprint: r.data_fingerprint,
    gitCommit: r.git_commit,
    artifacts: r.artifacts,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
  };
}

function invalid(message: string): AppError {
  return new AppError('ARGUMENT_INVALID', message);
}

/** Numbers only, and finite: a NaN metric is an error at the source, not a null in the table. */
function numbers(what: string, values: Record<string, number> | undefined): string {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw invalid(`${what}.${k} must be a finite number, got ${String(v)}`);
    out[k] = v;
  }
  return JSON.stringify(out);
}

let cachedCommit: Promise<string | null> | undefined;

/** The git commit of the checkout the code runs from, read from `.git` (no git binary needed). */
export function currentGitCommit(
  root = path.resolve(import.meta.dirname, '..', '..'),
): Promise<string | null> {
  const read = async (): Promise<string | null> => {
    let dir = root;
    for (let i = 0; i < 3; i++) {
      try {
        const head = (await readFile(path.join(dir, '.git', 'HEAD'), 'utf8')).trim();
        if (/^[0-9a-f]{40}$/.test(head)) return head;
        const ref = /^ref: (.+)$/.exec(head)?.[1];
        if (!ref) return null;
        try {
          return (await readFile(path.join(dir, '.git', ref), 'utf8')).trim();
        } catch {
          const packed = await readFile(path.join(dir, '.git', 'packed-refs'), 'utf8');
          const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
          return line ? line.slice(0, 40) : null;
        }
      } catch {
        dir = path.dirname(dir);
      }
    }
    return null;
  };
  cachedCommit ??= read();
  return cachedCommit;
}

export interface RunsOptions {
  sinks?: readonly RunSink[];
  onSinkError?: (error: unknown, run: RunRecord) => void;
  /** How often a running run's heartbeat is refreshed (default 30 s). */
  heartbeatMs?: number;
  /** A running run whose heartbeat is older than this is aborted (default 5 min). */
  staleAfterMs?: number;
}

export const DEFAULT_HEARTBEAT_MS = 30_000;
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;

export class Runs {
  readonly #db: Queryable;
  readonly #sinks: readonly RunSink[];
  readonly #onSinkError: (error: unknown, run: RunRecord) => void;
  readonly #heartbeatMs: number;
  readonly #staleAfterMs: number;
  readonly #beats = new Map<string, NodeJS.Timeout>();

  constructor(db: Queryable, options: RunsOptions = {}) {
    this.#db = db;
    this.#sinks = options.sinks ?? [];
    this.#heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
    this.#staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    for (const [what, v] of [
      ['heartbeatMs', this.#heartbeatMs],
      ['staleAfterMs', this.#staleAfterMs],
    ] as const)
      if (!Number.isInteger(v) || v < 1) throw invalid(`${what} must be a positive integer, got ${v}`);
    if (this.#staleAfterMs <= 2 * this.#heartbeatMs)
      throw invalid(
        `staleAfterMs (${this.#staleAfterMs}) must exceed twice heartbeatMs (${this.#heartbeatMs})`,
      );
    this.#onSinkError =
      options.onSinkError ??
      ((error, run) => process.stderr.write(`warning: run ${run.id} not mirrored: ${errorMessage(error)}\n`));
  }

  async #notify(run: RunRecord, event: 'onStart' | 'onFinish'): Promise<void> {
    for (const sink of this.#sinks) {
      try {
        await sink[event](run);
      } catch (e) {
        this.#onSinkError(e, run);
      }
    }
  }

  async start(input: RunStart): Promise<RunRecord> {
    if (!/^[a-z][a-z0-9_-]*$/.test(input.kind))
      throw invalid(`run kind ${JSON.stringify(input.kind)} must be a lower-case identifier`);
    if (input.name === '') throw invalid('run name must not be empty');
    await this.abortStale();
    const gitCommit = input.gitCommit === undefined ? await currentGitCommit() : input.gitCommit;
    const [row] = await this.#db.query<Row>(
      `insert into runs (id, kind, name, params, data_fingerprint, git_commit)
       values ($1, $2, $3, $4::jsonb, $5, $6) returning ${COLUMNS}`,
      [
        randomUUID(),
        input.kind,
        input.name,
        JSON.stringify(input.params ?? {}),
        input.dataFingerprint ?? null,
        gitCommit,
      ],
    );
    const run = toRecord(row);
    this.#beat(run.id);
    await this.#notify(run, 'onStart');
    return run;
  }

  /** Refreshes the heartbeat of a run of this process until it ends (the timer keeps no process alive). */
  #beat(id: string): void {
    const timer = setInterval(() => {
      this.#db
        .query(`update runs set heartbeat_at = now() where id = $1 and status = 'running'`, [id])
        .catch((e: unknown) => process.stderr.write(`warning: run ${id} heartbeat: ${errorMessage(e)}\n`));
    }, this.#heartbeatMs);
    timer.unref();
    this.#beats.set(id, timer);
  }

  #stopBeat(id: string): void {
    clearInterval(this.#beats.get(id));
    this.#beats.delete(id);
  }

  /** Marks `aborted` every running run whose heartbeat is stale; returns how many. */
  async abortStale(): Promise<number> {
    const rows = await this.#db.query<{ id: string }>(
      `update runs set status = 'aborted', finished_at = heartbeat_at,
              error = 'aborted: no heartbeat since ' || to_char(heartbeat_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' (the process was killed?)'
        where status = 'running' and heartbeat_at < now() - make_interval(secs => $1::double precision / 1000)
        returning id`,
      [this.#staleAfterMs],
    );
    return rows.length;
  }

  async finish(id: string, end: RunEnd = {}): Promise<RunRecord> {
    this.#stopBeat(id);
    const rows = await this.#db.query<Row>(
      `update runs set status = 'succeeded', finished_at = now(), metrics = $2::jsonb, timings = $3::jsonb,
              artifacts = $4::jsonb
        where id = $1 and status = 'running' returning ${COLUMNS}`,
      [
        id,
        numbers('metrics', end.metrics),
        numbers('timings', end.timings),
        JSON.stringify([...(end.artifacts ?? [])]),
      ],
    );
    return this.#ended(id, rows);
  }

  async fail(id: string, error: unknown): Promise<RunRecord> {
    this.#stopBeat(id);
    const rows = await this.#db.query<Row>(
      `update runs set status = 'failed', finished_at = now(), error = $2
        where id = $1 and status = 'running' returning ${COLUMNS}`,
      [id, errorMessage(error) || 'failed'],
    );
    return this.#ended(id, rows);
  }

  async #ended(id: string, rows: Row[]): Promise<RunRecord> {
    if (rows.length === 0) {
      const existing = await this.get(id);
      throw invalid(`run ${id} already ended (${existing.status})`);
    }
    const run = toRecord(rows[0]);
    await this.#notify(run, 'onFinish');
    return run;
  }

  async get(id: string): Promise<RunRecord> {
    const rows = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.#db.query<Row>(`select ${COLUMNS} from runs where id = $1`, [id])
      : await this.#db.query<Row>(`select ${COLUMNS} from runs where id::text like $1 || '%' limit 2`, [
          id.toLowerCase(),
        ]);
    if (rows.length === 0) throw new AppError('RUN_NOT_FOUND', `no run ${JSON.stringify(id)}`);
    if (rows.length > 1) throw invalid(`run id prefix ${JSON.stringify(id)} is ambiguous`);
    return toRecord(rows[0]);
  }

  /** Newest first. */
  async list(filter: { kind?: string; name?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const limit = filter.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw invalid(`limit must be an integer in 1..10000`);
    await this.abortStale();
    const rows = await this.#db.query<Row>(
      `select ${COLUMNS} from runs
        where ($1::text is null or kind = $1) and ($2::text is null or name = $2)
        order by started_at desc, id limit $3`,
      [filter.kind ?? null, filter.name ?? null, limit],
    );
    return rows.map(toRecord);
  }
}

/** Metrics of several runs side by side, with each metric's delta against the first run. */
export function compareRuns(runs: readonly RunRecord[]): {
  metric: string;
  values: (number | null)[];
  deltas: (number | null)[];
}[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  return names.map((metric) => {
    const values = runs.map((r) => (metric in r.metrics ? r.metrics[metric] : null));
    const base = values[0];
    return { metric, values, deltas: values.map((v) => (v === null || base === null ? null : v - base)) };
  });
}
