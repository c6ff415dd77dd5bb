import type { Migration } from './index.js';

/**
 * Offer texts as generated (with the phrase ids used and the client features they were built from)
 * and the outcomes operators record for them; outcomes train the confidence model.
 */
export const migration003: Migration = {
  id: 3,
  name: 'offers',
  sql: `
    create table offers (
      offer_id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity unique,
      request_id text,
      client_id bigint not null,
      product text not null check (product <> ''),
      channel text not null check (channel <> ''),
      locale text not null default 'ru' check (locale in ('ru', 'en')),
      text text not null,
      title text,
      subject text,
      elements jsonb not null default '[]'::jsonb check (jsonb_typeof(elements) = 'array'),
      features jsonb not null default '{}'::jsonb check (jsonb_typeof(features) = 'object'),
      confidence double precision not null check (confidence >= 0 and confidence <= 1),
      created_at timestamptz not null default now()
    );
    create index offers_client_idx on offers (client_id, created_at desc);
    create index offers_request_idx on offers (request_id) where request_id is not null;
    create table offer_outcomes (
      id bigint generated always as identity primary key,
      offer_id uuid not null references offers (offer_id) on delete cascade,
      outcome text not null check (outcome in ('success', 'failure')),
      comment text,
      user_name text,
      created_at timestamptz not null default now()
    );
    create index offer_outcomes_offer_idx on offer_outcomes (offer_id, id desc);
  `,
};
