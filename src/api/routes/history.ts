/**
 * `GET /v1/history`: recorded requests with their answers, user, timings, model version and
 * feedback, newest first. Filters: route, user, client_id, from/to, feedback outcome (or `unmarked`),
 * product, channel and segment named in the request or answer.
 * Pagination: `limit` with `offset`, or `cursor` (the `next_cursor` of the previous page).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { listHistory } from '../../store/history-queries.js';
import { DATE_QUERY, ERROR_RESPONSES } from '../schemas.js';
import { parseInstant } from './window.js';

export function historyRoutes(app: FastifyInstance): void {
  app.get(
    '/v1/history',
    {
      config: { access: 'history.read' },
      schema: {
        summary: 'Recorded requests and answers with their feedback, newest first',
        tags: ['history'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            route: { type: 'string', pattern: '^/[A-Za-z0-9_./-]{0,127}$' },
            user: { type: 'string', pattern: '^[a-z0-9][a-z0-9_.@-]{0,63}$' },
            client_id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,64}$' },
            from: DATE_QUERY,
            to: DATE_QUERY,
            outcome: { type: 'string', enum: ['success', 'failure', 'unmarked'] },
            product: { type: 'string', pattern: '^[\\p{L}\\p{N}_.:-]{1,64}$' },
            channel: { type: 'string', pattern: '^[\\p{L}\\p{N}_.:-]{1,64}$' },
            segment: { type: 'integer', minimum: 0, maximum: 10000 },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            offset: { type: 'integer', minimum: 0, maximum: 1_000_000 },
            cursor: { type: 'string', maxLength: 200 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['items', 'next_cursor'],
            properties: {
              next_cursor: { type: ['string', 'null'] },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['request_id', 'route', 'user', 'client_ids', 'request', 'answer', 'status'],
                  properties: {
                    request_id: { type: 'string' },
                    route: { type: 'string' },
                    user: { type: ['string', 'null'] },
                    client_ids: { type: 'array', items: { type: 'string' } },
                    request: {},
                    answer: {},
                    status: { type: 'integer' },
                    started_at: { type: 'string' },
                    duration_ms: { type: 'number' },
                    model_version: { type: ['string', 'null'] },
                    sources: { type: 'object', additionalProperties: { type: 'integer' } },
                    feedback: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          id: { type: 'integer' },
                          outcome: { type: 'string' },
                          comment: { type: ['string', 'null'] },
                          user: { type: ['string', 'null'] },
                          offer_id: { type: ['string', 'null'] },
                          created_at: { type: 'string' },
                        },
                      },
                    },
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
      const q = request.query as {
        route?: string;
        user?: string;
        client_id?: string;
        from?: string;
        to?: string;
        outcome?: 'success' | 'failure' | 'unmarked';
        product?: string;
        channel?: string;
        segment?: number;
        limit: number;
        offset?: number;
        cursor?: string;
      };
      if (q.cursor !== undefined && q.offset !== undefined)
        throw new AppError('VALIDATION_FAILED', 'cursor and offset: give one of them, not both');
      await app.history.flush();
      return listHistory(app.db, {
        route: q.route,
        user: q.user,
        clientId: q.client_id,
        from: parseInstant('from', q.from),
        to: parseInstant('to', q.to),
        outcome: q.outcome,
        product: q.product,
        channel: q.channel,
        segment: q.segment,
        limit: q.limit,
        offset: q.offset,
        cursor: q.cursor,
      });
    },
  );
}
