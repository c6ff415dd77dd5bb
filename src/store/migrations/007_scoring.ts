import type { Migration } from './index.js';

/**
 * Batch scoring (`nextoffer score --all`, `nextoffer worker`): a run over every client of the
 * dataset with one promoted model version, its shards as they are finished (by which worker, on
 * which attempt), and the ranked products per client. A shard is written in one transaction that
 * replaces its clients' rows, so a retried or duplicated shard never leaves duplicates. A finished
 * run can be published into `precomputed_recommendations` (load format `batch`).
 */
export const migration007: Migration = {
  id: 7,
  name: 'scoring',
  sql: `
    create table scoring_runs (
      id text primary key check (id ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$'),
      model_name text not null,
      model_version int not null check (model_version >= 1),
      k int not null check (k between 1 and 24),
      shard_size int not null check (shard_size >= 1),
      shards int not null check (shards >= 0),
      clients int not null check (clients >= 0),
      mode text not null check (mode in ('queue', 'in-process')),
      created_at timestamptz not null default now(),
      finished_at timestamptz,
      published_at timestamptz
    );

    create table scoring_shards (
      run_id text not null references scoring_runs (id) on delete cascade,
      shard int not null check (shard >= 0),
      clients int not null check (clients >= 0),
      worker text not null,
      attempt int not null check (attempt >= 1),
      seconds double precision not null check (seconds >= 0),
      finished_at timestamptz not null default now(),
      primary key (run_id, shard)
    );

    create table scoring_results (
      run_id text not null references scoring_runs (id) on delete cascade,
      client_id bigint not null,
      rank int not null check (rank >= 1),
      product text not null,
      score double precision not null,
      source text not null check (source in ('model', 'fallback')),
      reasons jsonb not null default '[]'::jsonb check (jsonb_typeof(reasons) = 'array'),
      primary key (run_id, client_id, rank)
    );

    alter table precomputed_loads drop constraint precomputed_loads_format_check;
    alter table precomputed_loads add constraint precomputed_loads_format_check
      check (format in ('csv', 'json', 'batch'));
  `,
};
