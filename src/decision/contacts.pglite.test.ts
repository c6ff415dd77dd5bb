/**
 * The contact ledger on PGlite: one in-memory instance, a fresh migrated schema per test.
 * The same suite runs on PostgreSQL in `test/decision.postgres.test.ts`.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { PGLITE_PARSERS, wrapPglite } from '../store/db-pglite.js';
import type { Database } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { defineContactLedgerTests } from './contacts.suite.js';

let instance: PGlite | undefined;
let schemas = 0;
let db: Database;
let schema = '';

beforeEach(async () => {
  instance ??= await PGlite.create({ parsers: PGLITE_PARSERS });
  schema = `contacts_${++schemas}`;
  await instance.exec(`create schema ${schema}; set search_path to ${schema}`);
  db = wrapPglite(instance, { ownsInstance: false });
  await migrate(db);
});
afterEach(async () => {
  await db.close();
  await instance?.exec(`set search_path to public; drop schema ${schema} cascade`);
});
afterAll(async () => {
  await instance?.close();
});

defineContactLedgerTests(() => db);
