import type { Migration } from './index.js';

/**
 * Run heartbeats: a running run refreshes `heartbeat_at`; one whose heartbeat is stale (its
 * process was killed) is marked `aborted`, with its error saying so and `finished_at` set to the
 * last heartbeat.
 */
export const migration011: Migration = {
  id: 11,
  name: 'run_heartbeat',
  sql: `
    alter table runs add column heartbeat_at timestamptz;
    update runs set heartbeat_at = coalesce(finished_at, started_at);
    alter table runs alter column heartbeat_at set default now();
    alter table runs alter column heartbeat_at set not null;
    alter table runs drop constraint runs_status_check;
    alter table runs drop constraint runs_check1;
    alter table runs add constraint runs_status_check
      check (status in ('running', 'succeeded', 'failed', 'aborted'));
    alter table runs add constraint runs_error_check
      check ((status in ('failed', 'aborted')) = (error is not null));
    create index runs_running_idx on runs (heartbeat_at) where status = 'running';
  `,
};
