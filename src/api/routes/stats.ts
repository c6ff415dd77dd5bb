/** `GET /v1/stats`: requests, latency percentiles, answers by source and feedback success rate. */
import type { FastifyInstance } from 'fastify';
import { historyStats } from '../../store/history-queries.js';
import { DATE_QUERY, ERROR_RESPONSES } from '../schemas.js';
import { parseInstant } from './window.js';

export function statsRoutes(app: FastifyInstance): void {
  app.get(
    '/v1/stats',
    {
      config: { access: 'stats.read' },
      schema: {
        summary: 'Request counts and latency percentiles by route, answers by source, feedback success rate',
        tags: ['history'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { from: DATE_QUERY, to: DATE_QUERY },
        },
        response: {
          200: {
            type: 'object',
            required: ['from', 'to', 'requests', 'routes', 'answers_by_source', 'feedback'],
            properties: {
              from: { type: ['string', 'null'] },
              to: { type: ['string', 'null'] },
              requests: { type: 'integer' },
              routes: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['route', 'requests', 'errors', 'latency_ms'],
                  properties: {
                    route: { type: 'string' },
                    requests: { type: 'integer' },
                    errors: { type: 'integer' },
                    latency_ms: {
                      type: 'object',
                      required: ['p50', 'p95', 'p99'],
                      properties: {
                        p50: { type: 'number' },
                        p95: { type: 'number' },
                        p99: { type: 'number' },
                      },
                    },
                  },
                },
              },
              answers_by_source: { type: 'object', additionalProperties: { type: 'integer' } },
              feedback: {
                type: 'object',
                required: ['success', 'failure', 'success_rate'],
                properties: {
                  success: { type: 'integer' },
                  failure: { type: 'integer' },
                  success_rate: { type: ['number', 'null'] },
                },
              },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const q = request.query as { from?: string; to?: string };
      const from = parseInstant('from', q.from);
      const to = parseInstant('to', q.to);
      await app.history.flush();
      return historyStats(app.db, from, to);
    },
  );
}
