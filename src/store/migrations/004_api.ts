import type { Migration } from './index.js';

/**
 * REST API: users (scrypt hashes), the request history of the answering routes, feedback on
 * answers, and the bulk-loaded precomputed recommendations (replaced as a whole on each load).
 * Request and answer bodies are `json` (stored as sent, no binary conversion on the write path,
 * which every answer pays); history is listed by time, client or offer id.
 */
export const migration004: Migration = {
  id: 4,
  name: 'api',
  sql: `
    create table users (
      name text primary key check (name ~ '^[a-z0-9][a-z0-9_.@-]{0,63}$'),
      role text not null check (role in ('admin', 'operator', 'analyst', 'api')),
      password_hash text not null,
      disabled boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table api_requests (
      id uuid primary key,
      route text not null,
      user_name text,
      client_ids text[] not null default '{}',
      offer_ids text[] not null default '{}',
      request json not null,
      answer json,
      status int not null,
      started_at timestamptz not null,
      duration_ms double precision not null check (duration_ms >= 0),
      model_version text,
      sources jsonb not null default '{}'::jsonb check (jsonb_typeof(sources) = 'object')
    );
    create index api_requests_started_at_idx on api_requests (started_at desc, id desc);
    create index api_requests_client_ids_idx on api_requests using gin (client_ids);
    create index api_requests_offer_ids_idx on api_requests using gin (offer_ids);

    create table feedback (
      id bigint generated always as identity primary key,
      request_id uuid,
      offer_id text,
      outcome text not null check (outcome in ('success', 'failure')),
      comment text check (comment is null or length(comment) <= 4000),
      user_name text,
      created_at timestamptz not null default now(),
      check (request_id is not null or offer_id is not null)
    );
    create index feedback_request_id_idx on feedback (request_id);
    create index feedback_offer_id_idx on feedback (offer_id);

    create table precomputed_recommendations (
      client_id text not null,
      rank int not null check (rank >= 1),
      product text not null,
      score double precision not null,
      reasons jsonb not null default '[]'::jsonb check (jsonb_typeof(reasons) = 'array'),
      primary key (client_id, rank),
      unique (client_id, product)
    );

    create table precomputed_loads (
      id bigint generated always as identity primary key,
      loaded_at timestamptz not null default now(),
      loaded_by text,
      format text not null check (format in ('csv', 'json')),
      rows int not null check (rows >= 0),
      clients int not null check (clients >= 0)
    );
  `,
};
