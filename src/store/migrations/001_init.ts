import type { Migration } from './index.js';

/** Ingest runs: one row per `nextoffer ingest` invocation, with its counts and quality report. */
export const migration001: Migration = {
  id: 1,
  name: 'init',
  sql: `
    create table ingest_runs (
      id bigint generated always as identity primary key,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      source_path text not null,
      source_sha256 text not null check (source_sha256 ~ '^[0-9a-f]{64}$'),
      status text not null default 'running'
        check (status in ('running', 'succeeded', 'failed', 'skipped')),
      rows_read bigint not null default 0 check (rows_read >= 0),
      rows_ingested bigint not null default 0 check (rows_ingested >= 0),
      rows_quarantined bigint not null default 0 check (rows_quarantined >= 0),
      months jsonb not null default '[]'::jsonb check (jsonb_typeof(months) = 'array'),
      report jsonb check (report is null or jsonb_typeof(report) = 'object'),
      error text,
      check ((status = 'running') = (finished_at is null)),
      check ((status = 'failed') = (error is not null))
    );
    create index ingest_runs_started_at_idx on ingest_runs (started_at desc);
    create index ingest_runs_source_sha256_idx on ingest_runs (source_sha256);
  `,
};
