import type { Migration } from './index.js';

/**
 * Experiment runs (every train/evaluate/segment run with params, metrics, timings, data
 * fingerprint and artifacts) and the model registry: versions per model name, and the promotion
 * history from which the live version and rollbacks are derived.
 */
export const migration002: Migration = {
  id: 2,
  name: 'registry',
  sql: `
    create table runs (
      id uuid primary key,
      kind text not null check (kind ~ '^[a-z][a-z0-9_-]*$'),
      name text not null check (name <> ''),
      status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
      params jsonb not null default '{}'::jsonb check (jsonb_typeof(params) = 'object'),
      metrics jsonb not null default '{}'::jsonb check (jsonb_typeof(metrics) = 'object'),
      timings jsonb not null default '{}'::jsonb check (jsonb_typeof(timings) = 'object'),
      data_fingerprint text,
      git_commit text,
      artifacts jsonb not null default '[]'::jsonb check (jsonb_typeof(artifacts) = 'array'),
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      error text,
      check ((status = 'running') = (finished_at is null)),
      check ((status = 'failed') = (error is not null))
    );
    create index runs_started_at_idx on runs (started_at desc);
    create index runs_kind_idx on runs (kind, started_at desc);

    create table model_versions (
      name text not null check (name ~ '^[a-z][a-z0-9_-]*$'),
      version integer not null check (version > 0),
      run_id uuid references runs (id),
      artifact_key text not null,
      params jsonb not null default '{}'::jsonb check (jsonb_typeof(params) = 'object'),
      metrics jsonb not null default '{}'::jsonb check (jsonb_typeof(metrics) = 'object'),
      created_at timestamptz not null default now(),
      primary key (name, version)
    );

    create table model_promotions (
      id bigint generated always as identity primary key,
      name text not null,
      version integer not null,
      action text not null check (action in ('promote', 'rollback')),
      at timestamptz not null default now(),
      foreign key (name, version) references model_versions (name, version)
    );
    create index model_promotions_name_idx on model_promotions (name, id);
  `,
};
