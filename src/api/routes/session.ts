/**
 * Web UI sign-in: `POST /v1/session` checks a user name and password exactly like HTTP Basic
 * (same lockout and failure counting) and sets the HttpOnly, SameSite=Strict session cookie;
 * `GET /v1/session` names the signed-in user, role and permissions; `DELETE /v1/session` ends it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { ROLE_PERMISSIONS } from '../auth/roles.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from '../auth/sessions.js';
import { ERROR_RESPONSES } from '../schemas.js';

const SESSION_RESPONSE = {
  type: 'object',
  required: ['name', 'role', 'permissions'],
  properties: {
    name: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'operator', 'analyst', 'api'] },
    permissions: { type: 'array', items: { type: 'string' } },
  },
} as const;

/** Cookie-authenticated and login requests must carry this header (a cross-site form cannot). */
export function assertCsrfHeader(request: FastifyRequest): void {
  if (request.headers['x-requested-with'] === undefined)
    throw new AppError('FORBIDDEN', 'the X-Requested-With header is required (CSRF protection)');
}

const secure = (request: FastifyRequest) => request.protocol === 'https';

export function sessionRoutes(app: FastifyInstance): void {
  app.post(
    '/v1/session',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign in to the web UI: sets the session cookie (needs the X-Requested-With header)',
        tags: ['session'],
        security: [],
        body: {
          type: 'object',
          required: ['name', 'password'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 1024 },
          },
        },
        response: { 200: SESSION_RESPONSE, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      assertCsrfHeader(request);
      const { name, password } = request.body as { name: string; password: string };
      const header = `Basic ${Buffer.from(`${name}:${password}`, 'utf8').toString('base64')}`;
      const principal = await app.authenticator.authenticate(header, request.ip);
      const user = await app.users.get(principal.name);
      if (!user) throw new AppError('UNAUTHORIZED', 'Invalid user name or password, or the user is disabled');
      const token = await app.sessions.open(user.name, user.passwordHash);
      reply.header('set-cookie', sessionCookie(token, app.sessions.ttl, secure(request)));
      reply.header('cache-control', 'no-store');
      return { name: principal.name, role: principal.role, permissions: ROLE_PERMISSIONS[principal.role] };
    },
  );

  app.get(
    '/v1/session',
    {
      config: { access: 'authenticated' },
      schema: {
        summary: 'The signed-in user, role and permissions (session cookie or Basic credentials)',
        tags: ['session'],
        response: { 200: SESSION_RESPONSE, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new AppError('UNAUTHORIZED', 'not signed in');
      reply.header('cache-control', 'no-store');
      return { name: principal.name, role: principal.role, permissions: ROLE_PERMISSIONS[principal.role] };
    },
  );

  app.delete(
    '/v1/session',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Sign out of the web UI: ends the session and clears its cookie',
        tags: ['session'],
        security: [],
        response: { 204: { type: 'null' }, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const token = readCookie(request.headers.cookie, SESSION_COOKIE);
      if (token !== undefined) {
        assertCsrfHeader(request);
        await app.sessions.close(token);
      }
      reply.header('set-cookie', sessionCookie('', 0, secure(request)));
      return reply.status(204).send();
    },
  );
}
