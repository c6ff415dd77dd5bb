/**
 * `POST /v1/feedback`: an operator's or a channel's outcome for an answer, identified by the
 * request id of the answer or by an offer id it contained.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { ERROR_RESPONSES } from '../schemas.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export function feedbackRoutes(app: FastifyInstance): void {
  app.post(
    '/v1/feedback',
    {
      config: { access: 'feedback.write' },
      schema: {
        summary: 'Record the outcome of an answer (by request_id) or of an offer (by offer_id)',
        tags: ['history'],
        body: {
          type: 'object',
          required: ['outcome'],
          additionalProperties: false,
          properties: {
            request_id: { type: 'string', pattern: UUID },
            offer_id: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
            outcome: { type: 'string', enum: ['success', 'failure'] },
            comment: { type: 'string', maxLength: 4000 },
          },
          anyOf: [{ required: ['request_id'] }, { required: ['offer_id'] }],
        },
        response: {
          201: {
            type: 'object',
            required: ['id', 'request_id', 'offer_id', 'outcome'],
            properties: {
              id: { type: 'integer' },
              request_id: { type: 'string' },
              offer_id: { type: ['string', 'null'] },
              outcome: { type: 'string' },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const b = request.body as { request_id?: string; offer_id?: string; outcome: string; comment?: string };
      await app.history.flush();
      const found = await app.db.query<{ id: string }>(
        b.request_id !== undefined
          ? `select id from api_requests where id = $1::uuid and ($2::text is null or offer_ids @> array[$2::text])`
          : `select id from api_requests where offer_ids @> array[$2::text] and $1::uuid is null
              order by started_at desc limit 1`,
        [b.request_id?.toLowerCase() ?? null, b.offer_id ?? null],
      );
      if (found.length === 0)
        throw new AppError(
          'NOT_FOUND',
          b.request_id !== undefined
            ? `request_id ${b.request_id}${b.offer_id !== undefined ? ` with offer_id ${b.offer_id}` : ''}: no such answer in the history`
            : `offer_id ${b.offer_id}: no such offer in the history`,
        );
      const [row] = await app.db.query<{ id: number }>(
        `insert into feedback (request_id, offer_id, outcome, comment, user_name)
         values ($1::uuid, $2, $3, $4, $5) returning id`,
        [
          found[0].id,
          b.offer_id ?? null,
          b.outcome,
          b.comment?.replaceAll('\u0000', '\uFFFD') ?? null,
          request.principal?.name ?? null,
        ],
      );
      app.metrics.feedback.inc({ outcome: b.outcome });
      return reply
        .status(201)
        .send({ id: row.id, request_id: found[0].id, offer_id: b.offer_id ?? null, outcome: b.outcome });
    },
  );
}
