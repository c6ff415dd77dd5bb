/**
 * Every schema migration, in the order it is applied. A migration is a TypeScript module so that
 * `tsc` ships it with the code; once released, a migration is never edited — add a new one.
 */
import { migration001 } from './001_init.js';
import { migration002 } from './002_registry.js';
import { migration003 } from './003_offers.js';
import { migration004 } from './004_api.js';
import { migration005 } from './005_contacts.js';
import { migration006 } from './006_learning.js';
import { migration007 } from './007_scoring.js';
import { migration008 } from './008_web_sessions.js';
import { migration011 } from './011_run_heartbeat.js';

export interface Migration {
  /** Positive integer, strictly increasing along `MIGRATIONS`. */
  readonly id: number;
  /** Short snake_case name, recorded in `schema_migrations`. */
  readonly name: string;
  /** One or more statements, run in one transaction with the `schema_migrations` row. */
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration011,
];
