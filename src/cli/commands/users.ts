import type { Command } from 'commander';
import { assertPasswordAcceptable, generatePassword, hashPassword } from '../../api/auth/passwords.js';
import { AppError } from '../../errors.js';
import { ROLES, UserRepository, assertRole } from '../../store/users.js';
import { configWith, print, printJson, withDatabase, type CommonFlags } from '../context.js';

interface UserFlags extends CommonFlags {
  role?: string;
  password?: string;
}

/**
 * `nextoffer users add|list|disable|enable|passwd`: API users in the database. Without
 * `--password` a password is generated and printed once. The change is in the database at once,
 * also next to a running server on the same data dir (it hosts the embedded database and this
 * command connects to it); the server re-checks a cached login after NEXTOFFER_AUTH_CACHE_SECONDS.
 */
export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('manage API users (roles: admin, operator, analyst, api)');
  const common = (c: Command) =>
    c
      .option('--data-dir <dir>', 'data directory (default: NEXTOFFER_DATA_DIR)')
      .option('--json', 'print JSON');

  common(users.command('add <name>').description('create a user'))
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password <password>', 'password (at least 12 characters); default: generated and printed')
    .action(async (name: string, flags: UserFlags) => {
      const role = flags.role ?? '';
      assertRole(role);
      if (flags.password !== undefined) assertPasswordAcceptable(flags.password, '--password');
      const password = flags.password ?? generatePassword();
      const user = await withDatabase(configWith(flags), async (db) =>
        new UserRepository(db).create(name, role, await hashPassword(password)),
      );
      report(flags, { user, password: flags.password === undefined ? password : undefined });
    });

  common(users.command('list').description('list users')).action(async (flags: UserFlags) => {
    const list = await withDatabase(configWith(flags), (db) => new UserRepository(db).list());
    if (flags.json) printJson(list);
    else
      for (const u of list)
        print(`${u.name.padEnd(24)} ${u.role.padEnd(9)} ${u.disabled ? 'disabled' : 'enabled'}`);
  });

  for (const [command, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    common(users.command(`${command} <name>`).description(`${command} a user`)).action(
      async (name: string, flags: UserFlags) => {
        const user = await withDatabase(configWith(flags), async (db) => {
          const repo = new UserRepository(db);
          const current = await repo.get(name);
          if (disabled && current?.role === 'admin' && !current.disabled && (await repo.activeAdmins()) <= 1)
            throw new AppError('CONFLICT', 'the last enabled admin cannot be disabled');
          return repo.update(name, { disabled });
        });
        report(flags, { user });
      },
    );
  }

  common(users.command('passwd <name>').description('set a new password'))
    .option('--password <password>', 'new password (at least 12 characters); default: generated and printed')
    .action(async (name: string, flags: UserFlags) => {
      if (flags.password !== undefined) assertPasswordAcceptable(flags.password, '--password');
      const password = flags.password ?? generatePassword();
      const user = await withDatabase(configWith(flags), async (db) =>
        new UserRepository(db).update(name, { passwordHash: await hashPassword(password) }),
      );
      report(flags, { user, password: flags.password === undefined ? password : undefined });
    });
}

function report(
  flags: UserFlags,
  r: { user: { name: string; role: string; disabled: boolean }; password?: string },
): void {
  if (flags.json) return printJson(r);
  print(`${r.user.name}: role ${r.user.role}, ${r.user.disabled ? 'disabled' : 'enabled'}`);
  if (r.password !== undefined) print(`password: ${r.password} (shown once)`);
}
