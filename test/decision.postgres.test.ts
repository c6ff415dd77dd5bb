/**
 * The contact ledger (`src/decision/contacts.suite.ts`) on a real PostgreSQL server, where concurrent
 * reservations run on separate connections. Runs only when TEST_DATABASE_URL is set; each test
 * works in a fresh random schema, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { defineContactLedgerTests } from '../src/decision/contacts.suite.js';
import { openPostgres } from '../src/store/db-postgres.js';
import type { Database } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';

const url = process.env.TEST_DATABASE_URL ?? '';

describe.runIf(url !== '')('contact ledger on PostgreSQL (TEST_DATABASE_URL)', () => {
  let admin: Database;
  let db: Database;
  let schema = '';

  beforeAll(async () => {
    admin = await openPostgres(url, { maxConnections: 2 });
  });
  afterAll(async () => {
    await admin.close();
  });
  beforeEach(async () => {
    schema = `nextoffer_test_${randomBytes(6).toString('hex')}`;
    await admin.exec(`create schema ${schema}`);
    db = await openPostgres(url, { searchPath: schema, maxConnections: 8 });
    await migrate(db);
  });
  afterEach(async () => {
    await db.close();
    await admin.exec(`drop schema if exists ${schema} cascade`);
  });

  defineContactLedgerTests(() => db);
});
