/**
 * `GET /v1/stats`: requests, latency percentiles, answers by source, feedback success rate and the
 * model versions that answered; with `bucket`, also a time series of requests, latency and feedback.
 */
import type { FastifyInstance } from 'fastify';
import { historyStats } from '../../store/history-queries.js';
import { BUCKETS, historySeries, modelVersionsInUse, type Bucket } from '../../store/history-series.js';
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
          properties: {
            from: DATE_QUERY,
            to: DATE_QUERY,
            bucket: {
              type: 'string',
              enum: [...BUCKETS],
              description: 'Adds `series`: one point per bucket',
            },
          },
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
              model_versions: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['model_version', 'requests', 'last_used'],
                  properties: {
                    model_version: { type: 'string' },
                    requests: { type: 'integer' },
                    last_used: { type: 'string' },
                  },
                },
              },
              series: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['at', 'requests', 'errors', 'p50_ms', 'p95_ms', 'success', 'failure'],
                  properties: {
                    at: { type: 'string' },
                    requests: { type: 'integer' },
                    errors: { type: 'integer' },
                    p50_ms: { type: 'number' },
                    p95_ms: { type: 'number' },
                    success: { type: 'integer' },
                    failure: { type: 'integer' },
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
      const q = request.query as { from?: string; to?: string; bucket?: Bucket };
      const from = parseInstant('from', q.from);
      const to = parseInstant('to', q.to);
      await app.history.flush();
      const stats = await historyStats(app.db, from, to);
      const model_versions = await modelVersionsInUse(app.db, from, to);
      if (q.bucket === undefined) return { ...stats, model_versions };
      return { ...stats, model_versions, series: await historySeries(app.db, q.bucket, from, to) };
    },
  );
}
