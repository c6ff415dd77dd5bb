/**
 * `POST /v1/feedback`: an operator's or a channel's outcome for an answer, identified by the
 * request id of the answer or by an offer id it contained.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { ERROR_RESPONSES } from '../schemas.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
      const found = await app.db.query<{ id: string; offer_ids: string[] | null }>(
        b.request_id !== undefined
          ? `select id, offer_ids from api_requests where id = $1::uuid and ($2::text is null or offer_ids @> array[$2::text])`
          : `select id, offer_ids from api_requests where offer_ids @> array[$2::text] and $1::uuid is null
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
      const comment = b.comment?.replaceAll('\u0000', '\uFFFD') ?? null;
      const user = request.principal?.name ?? null;
      // The offers this mark is about: one offer, or every offer of the marked answer. Offers kept in
      // the offer log also get the outcome there, which is what the confidence model trains on.
      const offerIds = (b.offer_id !== undefined ? [b.offer_id] : (found[0].offer_ids ?? [])).filter((id) =>
        UUID_RE.test(id),
      );
      const row = await app.db.transaction(async (tx) => {
        const [inserted] = await tx.query<{ id: number }>(
          `insert into feedback (request_id, offer_id, outcome, comment, user_name)
           values ($1::uuid, $2, $3, $4, $5) returning id`,
          [found[0].id, b.offer_id ?? null, b.outcome, comment, user],
        );
        if (offerIds.length > 0) {
          await tx.query(
            `insert into offer_outcomes (offer_id, outcome, comment, user_name)
             select offer_id, $2, $3, $4 from offers
              where offer_id in (select jsonb_array_elements_text($1::jsonb)::uuid)`,
            [JSON.stringify(offerIds), b.outcome, comment, user],
          );
        }
        return inserted;
      });
      app.metrics.feedback.inc({ outcome: b.outcome });
      return reply
        .status(201)
        .send({ id: row.id, request_id: found[0].id, offer_id: b.offer_id ?? null, outcome: b.outcome });
    },
  );
}
