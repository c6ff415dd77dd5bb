/** `GET /v1/runs`: training and evaluation runs, newest first (analyst, admin). */
import type { FastifyInstance } from 'fastify';
import type { RunService } from '../services.js';
import { ERROR_RESPONSES } from '../schemas.js';

export function runRoutes(app: FastifyInstance, service: RunService): void {
  app.get(
    '/v1/runs',
    {
      config: { access: 'models.read' },
      schema: {
        summary: 'Experiment runs, newest first',
        tags: ['models'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 50 },
            kind: { type: 'string', pattern: '^[a-z0-9_.-]{1,64}$' },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['id', 'kind', 'status', 'started_at'],
                  additionalProperties: true,
                  properties: {
                    id: { type: 'string' },
                    kind: { type: 'string' },
                    status: { type: 'string' },
                    started_at: { type: 'string' },
                    finished_at: { type: ['string', 'null'] },
                  },
                },
              },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const q = request.query as { limit: number; kind?: string };
      return { items: await service.list({ limit: q.limit, kind: q.kind }) };
    },
  );
}
