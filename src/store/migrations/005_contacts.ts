import type { Migration } from './index.js';

/**
 * Contact policy (`src/decision`): an index to count a client's offers per channel in a time window,
 * and the contacts reserved by requests still generating their texts. A reservation is taken under
 * an advisory lock on (client, channel) and deleted once the offer is saved, so two concurrent
 * requests can never both take the last free contact slot.
 */
export const migration005: Migration = {
  id: 5,
  name: 'contacts',
  sql: `
    create index offers_client_channel_idx on offers (client_id, channel, created_at desc);
    create table contact_reservations (
      id bigint generated always as identity primary key,
      client_id bigint not null,
      channel text not null check (channel <> ''),
      product text not null check (product <> ''),
      created_at timestamptz not null default now()
    );
    create index contact_reservations_client_idx on contact_reservations (client_id, channel, created_at);
    create index contact_reservations_created_idx on contact_reservations (created_at);
  `,
};
