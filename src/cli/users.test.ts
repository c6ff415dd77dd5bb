import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../api/auth/passwords.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../store/db.js';
import { UserRepository } from '../store/users.js';
import { runCli } from './run-cli.test-util.js';

const run = runCli;

describe('nextoffer users', () => {
  afterEach(() => vi.restoreAllMocks());

  it('adds, lists, disables, enables and changes passwords of API users', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-cli-users-'));
    try {
      const added = await run('users', 'add', 'crm', '--role', 'api', '--data-dir', dir, '--json');
      expect(added.code).toBe(0);
      const { password } = JSON.parse(added.out) as { password: string };
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect((await run('users', 'add', 'crm', '--role', 'api', '--data-dir', dir)).err).toMatch(
        /CONFLICT.*already exists/,
      );
      expect((await run('users', 'add', 'x', '--role', 'root', '--data-dir', dir)).err).toMatch(
        /role "root"/,
      );
      expect(
        (await run('users', 'add', 'y', '--role', 'api', '--password', 'short', '--data-dir', dir)).err,
      ).toMatch(/at least 12/);
      expect((await run('users', 'disable', 'crm', '--data-dir', dir)).out).toMatch(
        /crm: role api, disabled/,
      );
      expect((await run('users', 'list', '--data-dir', dir)).out).toMatch(/^crm\s+api\s+disabled$/m);
      expect((await run('users', 'enable', 'crm', '--data-dir', dir)).code).toBe(0);
      expect(
        (await run('users', 'passwd', 'crm', '--password', 'a brand new password', '--data-dir', dir)).out,
      ).not.toMatch(/password:/);
      expect((await run('users', 'passwd', 'nobody', '--data-dir', dir)).err).toMatch(/NOT_FOUND/);
      const db = await openDatabase(loadConfig({ NEXTOFFER_DATA_DIR: dir }));
      try {
        const user = await new UserRepository(db).get('crm');
        expect(user).toMatchObject({ role: 'api', disabled: false });
        expect(await verifyPassword('a brand new password', user?.passwordHash ?? '')).toBe(true);
      } finally {
        await db.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
