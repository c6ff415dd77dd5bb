import type { Migration } from './index.js';

/**
 * Web UI sessions: one row per signed-in browser, keyed by the SHA-256 of the cookie token (the
 * token itself is never stored). `password_tag` ties a session to the password it was opened
 * with, so a password reset ends every session of the user; logout deletes the row.
 */
export const migration008: Migration = {
  id: 8,
  name: 'web_sessions',
  sql: `
    create table web_sessions (
      id text primary key,
      user_name text not null references users (name) on delete cascade,
      password_tag text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index web_sessions_user_idx on web_sessions (user_name);
    create index web_sessions_expires_idx on web_sessions (expires_at);
  `,
};
