/**
 * Users (admin only): list, create, change role or disable (`PATCH`), reset the password.
 * Every change drops the user's cached credentials. The last enabled admin cannot be disabled
 * or demoted, even by concurrent requests (one transaction locking the admins' rows).
 */
import type { FastifyInstance } from 'fastify';
import { ROLES, assertRole, updateAccessKeepingAnAdmin, type Role } from '../../store/users.js';
import { assertPasswordAcceptable, generatePassword, hashPassword } from '../auth/passwords.js';
import { ERROR_RESPONSES } from '../schemas.js';

const USER_SCHEMA = {
  type: 'object',
  required: ['name', 'role', 'disabled', 'createdAt', 'updatedAt'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    disabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.@-]{0,63}$' } as const;
const PASSWORD = { type: 'string', minLength: 12, maxLength: 1024 } as const;
const PARAMS = { type: 'object', required: ['name'], properties: { name: NAME } } as const;
const WITH_PASSWORD = {
  type: 'object',
  required: ['user'],
  properties: {
    user: USER_SCHEMA,
    password: {
      type: 'string',
      description: 'The generated password, shown once (absent when one was given)',
    },
  },
} as const;

export function userRoutes(app: FastifyInstance): void {
  const opts = (summary: string, extra: Record<string, unknown>) => ({
    config: { access: 'users.manage' as const },
    schema: { summary, tags: ['users'], ...extra },
  });

  app.get(
    '/v1/users',
    opts('List users', {
      querystring: { type: 'object', additionalProperties: false, properties: {} },
      response: {
        200: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: USER_SCHEMA } },
        },
        ...ERROR_RESPONSES,
      },
    }),
    async () => ({
      items: await app.users.list(),
    }),
  );

  app.post(
    '/v1/users',
    opts('Create a user; without a password one is generated and returned once', {
      body: {
        type: 'object',
        required: ['name', 'role'],
        additionalProperties: false,
        properties: { name: NAME, role: { type: 'string', enum: ROLES }, password: PASSWORD },
      },
      response: { 201: WITH_PASSWORD, ...ERROR_RESPONSES },
    }),
    async (request, reply) => {
      const b = request.body as { name: string; role: Role; password?: string };
      if (b.password !== undefined) assertPasswordAcceptable(b.password);
      const password = b.password ?? generatePassword();
      const user = await app.users.create(b.name, b.role, await hashPassword(password));
      return reply.status(201).send(b.password === undefined ? { user, password } : { user });
    },
  );

  app.patch(
    '/v1/users/:name',
    opts('Change the role of a user, or disable / enable it', {
      params: PARAMS,
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { role: { type: 'string', enum: ROLES }, disabled: { type: 'boolean' } },
      },
      response: { 200: USER_SCHEMA, ...ERROR_RESPONSES },
    }),
    async (request) => {
      const { name } = request.params as { name: string };
      const b = request.body as { role?: string; disabled?: boolean };
      if (b.role !== undefined) assertRole(b.role);
      const user = await updateAccessKeepingAnAdmin(app.db, name, {
        role: b.role,
        disabled: b.disabled,
      });
      app.authenticator.invalidate(name);
      return user;
    },
  );

  app.post(
    '/v1/users/:name/password',
    opts('Reset a password; without one in the body a password is generated and returned once', {
      params: PARAMS,
      body: { type: 'object', additionalProperties: false, properties: { password: PASSWORD } },
      response: { 200: WITH_PASSWORD, ...ERROR_RESPONSES },
    }),
    async (request) => {
      const { name } = request.params as { name: string };
      const given = (request.body as { password?: string } | undefined)?.password;
      if (given !== undefined) assertPasswordAcceptable(given);
      const password = given ?? generatePassword();
      const user = await app.users.update(name, { passwordHash: await hashPassword(password) });
      app.authenticator.invalidate(name);
      return given === undefined ? { user, password } : { user };
    },
  );
}
