/**
 * Schema migrations: each pending migration runs in its own transaction together with its
 * `schema_migrations` row, so it is applied completely or not at all. An advisory lock (per
 * schema) serialises replicas that start at the same moment; each re-checks under the lock.
 */
import { AppError, errorMessage } from '../errors.js';
import type { Database, Queryable } from './db.js';
import { MIGRATIONS, type Migration } from './migrations/index.js';

export type { Migration } from './migrations/index.js';
export { MIGRATIONS } from './migrations/index.js';

export interface AppliedMigration {
  id: number;
  name: string;
  appliedAt: Date;
}

export interface MigrateResult {
  /** Ids applied by this call, in order (empty when the schema was already current). */
  applied: number[];
  /** Id of the newest migration now in the database (0: none). */
  version: number;
}

const LOCK_SQL = `select pg_advisory_xact_lock(hashtext('nextoffer.migrate:' || coalesce(current_schema(), '')))`;

const CREATE_TABLE_SQL = `
  create table if not exists schema_migrations (
    id int primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`;

/** `001_init` */
export function migrationLabel(m: { id: number; name: string }): string {
  return `${String(m.id).padStart(3, '0')}_${m.name}`;
}

async function readApplied(q: Queryable): Promise<AppliedMigration[]> {
  const rows = await q.query<{ id: number; name: string; applied_at: Date }>(
    'select id, name, applied_at from schema_migrations order by id',
  );
  return rows.map((r) => ({ id: r.id, name: r.name, appliedAt: r.applied_at }));
}

/** Migrations recorded in the database, oldest first; empty when it was never migrated. */
export async function appliedMigrations(db: Queryable): Promise<AppliedMigration[]> {
  const [row] = await db.query<{ present: boolean }>(
    `select to_regclass('schema_migrations') is not null as present`,
  );
  return row.present ? readApplied(db) : [];
}

function listProblem(m: Migration, previous: number): string | undefined {
  if (!Number.isSafeInteger(m.id) || m.id <= previous) {
    return `id ${m.id} is not a positive integer greater than ${previous}`;
  }
  if (!/^[a-z0-9_]{1,60}$/.test(m.name)) return `name ${JSON.stringify(m.name)} is not snake_case`;
  if (m.sql.trim() === '') return 'its SQL is empty';
  return undefined;
}

function assertValidList(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    const problem = listProblem(m, previous);
    if (problem !== undefined) {
      throw new AppError(
        'MIGRATION_FAILED',
        `Invalid migration list: migration ${m.id} (${m.name}): ${problem}`,
      );
    }
    previous = m.id;
  }
}

function assertKnown(recorded: readonly AppliedMigration[], migrations: readonly Migration[]): void {
  const newest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].id;
  for (const r of recorded) {
    const known = migrations.find((m) => m.id === r.id);
    if (known === undefined) {
      const why =
        r.id > newest
          ? `it was migrated by a newer version of nextoffer (it has migration ${migrationLabel(r)}, ` +
            `this version knows migrations up to ${newest}); upgrade nextoffer or restore a matching backup`
          : `it has migration ${migrationLabel(r)}, which this version of nextoffer does not know`;
      throw new AppError('MIGRATION_FAILED', `Refusing to use the database: ${why}`);
    }
    if (known.name !== r.name) {
      throw new AppError(
        'MIGRATION_FAILED',
        `Refusing to use the database: migration ${r.id} is recorded as "${r.name}" but this version calls it "${known.name}"`,
      );
    }
  }
}

async function applyOne(db: Database, m: Migration, recordedVersion: number): Promise<boolean> {
  try {
    return await db.transaction(async (tx) => {
      await tx.query(LOCK_SQL);
      const done = await tx.query('select 1 from schema_migrations where id = $1', [m.id]);
      if (done.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (id, name, applied_at) values ($1, $2, now())', [
        m.id,
        m.name,
      ]);
      return true;
    });
  } catch (e) {
    throw new AppError(
      'MIGRATION_FAILED',
      `Migration ${migrationLabel(m)} failed and was rolled back (the database stays at migration ` +
        `${recordedVersion}): ${errorMessage(e)}`,
      { cause: e },
    );
  }
}

/**
 * Brings the schema up to date. Creates `schema_migrations` when missing, refuses a database that
 * knows migrations this code does not, then applies the pending ones in order.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrateResult> {
  assertValidList(migrations);
  const recorded = await db.transaction(async (tx) => {
    await tx.query(LOCK_SQL);
    await tx.exec(CREATE_TABLE_SQL);
    return readApplied(tx);
  });
  assertKnown(recorded, migrations);
  const recordedIds = new Set(recorded.map((r) => r.id));
  let version = recorded.length === 0 ? 0 : recorded[recorded.length - 1].id;
  const applied: number[] = [];
  for (const m of migrations) {
    if (recordedIds.has(m.id)) continue;
    if (await applyOne(db, m, version)) applied.push(m.id);
    version = Math.max(version, m.id);
  }
  return { applied, version };
}
