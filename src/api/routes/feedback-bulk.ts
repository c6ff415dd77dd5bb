/**
 * `POST /v1/feedback/bulk`: one outcome (and comment) for many answers at once, by request id —
 * what an operator does when marking a selection in the history. Each answer gets a feedback row
 * and its offers get the outcome in the offer log, as `POST /v1/feedback` does for one answer.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { ERROR_RESPONSES } from '../schemas.js';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function feedbackBulkRoutes(app: FastifyInstance): void {
  app.post(
    '/v1/feedback/bulk',
    {
      config: { access: 'feedback.write' },
      schema: {
        summary: 'Record one outcome for many answers (by request id), all or none',
        tags: ['history'],
        body: {
          type: 'object',
          required: ['request_ids', 'outcome'],
          additionalProperties: false,
          properties: {
            request_ids: {
              type: 'array',
              minItems: 1,
              maxItems: 500,
              uniqueItems: true,
              items: { type: 'string', pattern: UUID },
            },
            outcome: { type: 'string', enum: ['success', 'failure'] },
            comment: { type: 'string', maxLength: 4000 },
          },
        },
        response: {
          201: {
            type: 'object',
            required: ['marked', 'ids'],
            properties: {
              marked: { type: 'integer' },
              ids: { type: 'array', items: { type: 'integer' } },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const b = request.body as { request_ids: string[]; outcome: 'success' | 'failure'; comment?: string };
      const wanted = b.request_ids.map((id) => id.toLowerCase());
      await app.history.flush();
      const found = await app.db.query<{ id: string; offer_ids: string[] | null }>(
        `select id, offer_ids from api_requests where id in (select jsonb_array_elements_text($1::jsonb)::uuid)`,
        [JSON.stringify(wanted)],
      );
      const known = new Set(found.map((r) => r.id));
      const missing = wanted.filter((id) => !known.has(id));
      if (missing.length > 0)
        throw new AppError(
          'NOT_FOUND',
          `request_ids: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}: no such answer in the history`,
        );
      const comment = b.comment?.replaceAll('\u0000', '\uFFFD') ?? null;
      const user = request.principal?.name ?? null;
      const offerIds = found.flatMap((r) => r.offer_ids ?? []).filter((id) => UUID_RE.test(id));
      const ids = await app.db.transaction(async (tx) => {
        const rows = await tx.query<{ id: number }>(
          `insert into feedback (request_id, outcome, comment, user_name)
           select x::uuid, $2, $3, $4 from jsonb_array_elements_text($1::jsonb) as x returning id`,
          [JSON.stringify(wanted), b.outcome, comment, user],
        );
        if (offerIds.length > 0) {
          await tx.query(
            `insert into offer_outcomes (offer_id, outcome, comment, user_name)
             select offer_id, $2, $3, $4 from offers
              where offer_id in (select jsonb_array_elements_text($1::jsonb)::uuid)`,
            [JSON.stringify(offerIds), b.outcome, comment, user],
          );
        }
        return rows.map((r) => r.id);
      });
      app.metrics.feedback.inc({ outcome: b.outcome }, ids.length);
      return reply.status(201).send({ marked: ids.length, ids });
    },
  );
}
