import type { FastifyInstance } from 'fastify';
import { ERROR_RESPONSES } from '../schemas.js';

/** `GET /health` (no auth): liveness, with the state of the history writer. `GET /metrics`. */
export function healthRoutes(app: FastifyInstance): void {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Liveness (no authentication)',
        tags: ['system'],
        security: [],
        response: {
          200: {
            type: 'object',
            required: ['status', 'history', 'outbox_records'],
            properties: {
              status: { type: 'string', enum: ['ok'] },
              history: {
                type: 'string',
                enum: ['ok', 'degraded'],
                description: 'degraded: writing to the outbox',
              },
              outbox_records: { type: 'integer' },
            },
          },
        },
      },
    },
    () => ({
      status: 'ok',
      history: app.history.degraded ? 'degraded' : 'ok',
      outbox_records: app.history.outboxRecords,
    }),
  );

  app.get(
    '/metrics',
    {
      config: { access: 'metrics' },
      schema: {
        summary: 'Prometheus metrics (bearer token NEXTOFFER_METRICS_TOKEN, or loopback clients)',
        tags: ['system'],
        security: [{ bearerAuth: [] }],
        produces: ['text/plain'],
        response: {
          200: { description: 'Prometheus text exposition format', type: 'string' },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (_request, reply) => {
      const text = await app.metrics.registry.metrics();
      return reply.type(app.metrics.registry.contentType).send(text);
    },
  );
}
