/**
 * Users of the REST API: name, role, scrypt password hash, disabled flag (table `users`,
 * migration 004). Passwords are hashed by the caller (`src/api/auth/passwords.ts`).
 */
import { AppError } from '../errors.js';
import { sqlState, type Database, type Queryable } from './db.js';

export const ROLES = ['admin', 'operator', 'analyst', 'api'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

interface Row {
  name: string;
  role: Role;
  disabled: boolean;
  created_at: Date;
  updated_at: Date;
  password_hash: string;
}

const COLUMNS = 'name, role, disabled, created_at, updated_at, password_hash';
const NAME_RE = /^[a-z0-9][a-z0-9_.@-]{0,63}$/;

function toUser(r: Row): UserWithHash {
  return {
    name: r.name,
    role: r.role,
    disabled: r.disabled,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordHash: r.password_hash,
  };
}

/** Drops the hash, for anything that leaves the process. */
export function publicUser(u: User): User {
  return { name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt, updatedAt: u.updatedAt };
}

export function assertUserName(name: string): void {
  if (!NAME_RE.test(name))
    throw new AppError(
      'VALIDATION_FAILED',
      `name ${JSON.stringify(name)}: must be 1–64 of a-z 0-9 _ . @ - starting with a letter or digit`,
    );
}

export function assertRole(role: string): asserts role is Role {
  if (!(ROLES as readonly string[]).includes(role))
    throw new AppError(
      'VALIDATION_FAILED',
      `role ${JSON.stringify(role)}: must be one of ${ROLES.join(', ')}`,
    );
}

export class UserRepository {
  constructor(private readonly db: Queryable) {}

  async get(name: string): Promise<UserWithHash | null> {
    const [row] = await this.db.query<Row>(`select ${COLUMNS} from users where name = $1`, [name]);
    return row ? toUser(row) : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.query<Row>(`select ${COLUMNS} from users order by name`);
    return rows.map((r) => publicUser(toUser(r)));
  }

  async create(name: string, role: Role, passwordHash: string): Promise<User> {
    assertUserName(name);
    try {
      const [row] = await this.db.query<Row>(
        `insert into users (name, role, password_hash) values ($1, $2, $3) returning ${COLUMNS}`,
        [name, role, passwordHash],
      );
      return publicUser(toUser(row));
    } catch (e) {
      if (sqlState(e) === '23505')
        throw new AppError('CONFLICT', `user ${JSON.stringify(name)} already exists`, { cause: e });
      throw e;
    }
  }

  /** Changes the given fields; throws NOT_FOUND for an unknown user. */
  async update(
    name: string,
    changes: { role?: Role; disabled?: boolean; passwordHash?: string },
  ): Promise<User> {
    const [row] = await this.db.query<Row>(
      `update users set role = coalesce($2, role), disabled = coalesce($3, disabled),
              password_hash = coalesce($4, password_hash), updated_at = now()
        where name = $1 returning ${COLUMNS}`,
      [name, changes.role ?? null, changes.disabled ?? null, changes.passwordHash ?? null],
    );
    if (!row) throw new AppError('NOT_FOUND', `user ${JSON.stringify(name)} does not exist`);
    return publicUser(toUser(row));
  }

  /** Number of enabled admins (the last one cannot be disabled or demoted). */
  async activeAdmins(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `select count(*) as n from users where role = 'admin' and not disabled`,
    );
    return row.n;
  }

  async adminExists(): Promise<boolean> {
    const [row] = await this.db.query<{ n: number }>(`select count(*) as n from users where role = 'admin'`);
    return row.n > 0;
  }
}

/**
 * Changes the role or disabled flag of `name` in one transaction that first locks the rows of every
 * enabled admin (and of `name`) with `SELECT … FOR UPDATE`: concurrent changes are serialised, so
 * the last enabled admin can never be disabled or demoted (throws CONFLICT naming the rule).
 */
export async function updateAccessKeepingAnAdmin(
  db: Database,
  name: string,
  changes: { role?: Role; disabled?: boolean },
): Promise<User> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ name: string; role: Role; disabled: boolean }>(
      `select name, role, disabled from users
        where (role = 'admin' and not disabled) or name = $1
        order by name for update`,
      [name],
    );
    const current = rows.find((r) => r.name === name);
    if (!current) throw new AppError('NOT_FOUND', `user ${JSON.stringify(name)} does not exist`);
    const admins = rows.filter((r) => r.role === 'admin' && !r.disabled).length;
    const losesAdmin =
      current.role === 'admin' &&
      !current.disabled &&
      ((changes.role !== undefined && changes.role !== 'admin') || changes.disabled === true);
    if (losesAdmin && admins <= 1)
      throw new AppError(
        'CONFLICT',
        `user ${JSON.stringify(name)} is the last enabled admin: it cannot be disabled or demoted (enable or create another admin first)`,
      );
    return new UserRepository(tx).update(name, changes);
  });
}
