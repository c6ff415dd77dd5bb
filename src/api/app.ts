/**
 * `buildApp`: the Fastify application of the REST API — request ids, authentication and roles,
 * metrics, the error handler, OpenAPI (`/openapi.json`, Swagger UI at `/docs`) and one route
 * file per resource. Routes over domain services are registered only for the services given.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import type { Database } from '../store/db.js';
import { UserRepository } from '../store/users.js';
import { Authenticator, type Principal } from './auth/authenticator.js';
import { allowed, type Permission } from './auth/roles.js';
import { readCookie, SESSION_COOKIE, SessionStore } from './auth/sessions.js';
import { trustProxyOption } from './auth/trust-proxy.js';
import { installErrorHandler } from './error-handler.js';
import { Outbox } from './history/outbox.js';
import { HistoryWriter } from './history/writer.js';
import { createMetrics, type ApiMetrics } from './metrics.js';
import { PrecomputedCache } from './precomputed-cache.js';
import { registerRoutes } from './routes/index.js';
import { assertCsrfHeader } from './routes/session.js';
import type { Services } from './services.js';
import { defaultWebDir, webRoutes } from './web-static.js';

/** Who may call a route: a permission, `public` (no auth) or `metrics` (bearer token or loopback). */
export type Access = Permission | 'public' | 'metrics' | 'authenticated';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    metrics: ApiMetrics;
    history: HistoryWriter;
    db: Database;
    services: Services;
    authenticator: Authenticator;
    sessions: SessionStore;
    users: UserRepository;
    precomputed: PrecomputedCache;
    apiConfig: Config;
  }
}

export interface AppOptions {
  config: Config;
  /** Open, migrated database; the caller closes it after `app.close()`. */
  db: Database;
  services?: Services;
  /** Fastify logger options; default: off. `nextoffer serve` passes pino options. */
  logger?: FastifyServerOptions['logger'];
  /** Metrics registry; default: a fresh one for this app. */
  metrics?: ApiMetrics;
  /** History batching (tests shorten it). */
  history?: { flushIntervalMs?: number; retryMs?: number; maxQueued?: number };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    // A client's X-Request-Id is kept when it is a UUID (it becomes the history key, so a retry
    // with the same id is recorded once); otherwise the server assigns one.
    genReqId: (req) => {
      const h = req.headers['x-request-id'];
      return typeof h === 'string' && UUID_RE.test(h) ? h.toLowerCase() : randomUUID();
    },
    ajv: {
      customOptions: { coerceTypes: true, removeAdditional: false, allErrors: false, allowUnionTypes: true },
    },
    return503OnClosing: true,
    trustProxy: trustProxyOption(config.trustProxy),
  });
  const metrics = options.metrics ?? createMetrics();
  const users = new UserRepository(db);
  const outbox = await Outbox.open(path.join(config.dataDir, 'outbox'), config.outboxMaxBytes);
  const history = new HistoryWriter({
    db,
    outbox,
    metrics,
    ...options.history,
    log: (level, message) => app.log[level](message),
  });
  app.decorate('metrics', metrics);
  app.decorate('history', history);
  app.decorate('db', db);
  app.decorate('services', options.services ?? {});
  app.decorate('users', users);
  app.decorate('apiConfig', config);
  app.decorate(
    'authenticator',
    new Authenticator(users, {
      maxFailures: Math.max(1, config.authMaxFailures),
      windowSeconds: config.authLockoutSeconds,
      backoffMaxSeconds: Math.max(1, config.authBackoffMaxSeconds),
      cacheSeconds: config.authCacheSeconds,
      outageGraceSeconds: config.authOutageGraceSeconds,
    }),
  );
  app.decorate('sessions', new SessionStore(db, Math.max(1, config.sessionHours) * 3600));
  app.decorate('precomputed', new PrecomputedCache(db));
  app.decorateRequest('principal', null);
  // Shutdown: responses finishing after close() began ask their client to close the connection,
  // so keep-alive connections do not hold the server open until their idle timeout.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onClose', async () => {
    await app.precomputed.stop();
    await history.close();
  });
  await app.precomputed.refresh();
  app.precomputed.start(5000);

  installErrorHandler(app);
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= config.bodyLimitBytes;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    await authorize(app, request.routeOptions.config.access ?? 'authenticated', request);
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      route: request.routeOptions.url ?? 'unmatched',
      method: request.method,
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  // Security headers on every answer; the CSP allows only this origin's scripts (the web UI and
  // Swagger UI load no inline script) and inline styles (both set style attributes).
  await app.register(helmet, {
    frameguard: { action: 'deny' },
    contentSecurityPolicy: {
      directives: {
        'style-src': ["'self'", "'unsafe-inline'"],
        'font-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': null,
      },
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'nextoffer API',
        version: '1',
        description: 'Next-best-offer recommendations, segments, offers, history and feedback.',
      },
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic' },
          bearerAuth: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ basicAuth: [] }],
    },
  });
  registerRoutes(app);
  webRoutes(app, config.webDir !== '' ? config.webDir : defaultWebDir());
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.ready();
  return app;
}

async function authorize(
  app: FastifyInstance,
  access: Access,
  request: import('fastify').FastifyRequest,
): Promise<void> {
  if (access === 'public') return;
  if (access === 'metrics') {
    const token = app.apiConfig.metricsToken;
    const header = request.headers.authorization;
    if (token !== '' && typeof header === 'string' && header.startsWith('Bearer ')) {
      const given = Buffer.from(header.slice(7).trim());
      const expected = Buffer.from(token);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return;
      throw new AppError('UNAUTHORIZED', 'Invalid metrics token');
    }
    if (LOOPBACK.has(request.socket.remoteAddress ?? '')) return;
    throw new AppError(
      'FORBIDDEN',
      '/metrics needs the bearer token (NEXTOFFER_METRICS_TOKEN) or a loopback client',
    );
  }
  const principal = await principalOf(app, request);
  request.principal = principal;
  if (access !== 'authenticated' && !allowed(principal.role, access))
    throw new AppError('FORBIDDEN', `Role ${principal.role} may not ${access}`);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Basic credentials when given; otherwise the web UI's session cookie, whose state-changing
 * requests must also carry `X-Requested-With` (a cross-site form cannot set it).
 */
async function principalOf(
  app: FastifyInstance,
  request: import('fastify').FastifyRequest,
): Promise<Principal> {
  const token =
    request.headers.authorization === undefined
      ? readCookie(request.headers.cookie, SESSION_COOKIE)
      : undefined;
  if (token === undefined || token === '')
    return app.authenticator.authenticate(request.headers.authorization, request.ip);
  const principal = await app.sessions.resolve(token);
  if (!principal) throw new AppError('UNAUTHORIZED', 'The session has ended or expired; sign in again');
  if (!SAFE_METHODS.has(request.method)) assertCsrfHeader(request);
  return principal;
}
