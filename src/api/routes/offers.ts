/**
 * `POST /v1/offers`: the offer contract — an array of `{client_id, features, product, channel}`
 * in, an array of offers (text per channel, confidence, offer id) out, in the same order. An item
 * the decision policy excludes (eligibility, contact policy) gets `{eligible: false, excluded}`
 * instead of a text; `explain: true` on an item lists the other channels excluded for it.
 */
import type { FastifyInstance } from 'fastify';
import { isExcludedOffer, type OfferAnswer, type OfferRequestItem, type OfferService } from '../services.js';
import { ERROR_RESPONSES, EXCLUDED_SCHEMA, EXPLAIN_SCHEMA, FEATURES_SCHEMA } from '../schemas.js';
import { record, recordFailure } from './record.js';

/** Product and channel codes: letters of any script (the catalog has «ПК»), digits, `_.:-`. */
const NAME = { type: 'string', pattern: '^[\\p{L}\\p{N}_.:-]{1,64}$' } as const;

export const OFFER_ANSWER_SCHEMA = {
  type: 'object',
  required: ['client_id', 'product', 'channel', 'text', 'confidence', 'offer_id'],
  additionalProperties: true,
  properties: {
    client_id: { type: 'integer' },
    product: { type: 'string' },
    channel: { type: 'string' },
    text: { type: 'string' },
    title: { type: 'string' },
    subject: { type: 'string' },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    offer_id: { type: 'string' },
    compliance_fallback: { type: 'boolean' },
    model_version: { type: ['string', 'null'] },
    excluded: EXCLUDED_SCHEMA,
  },
} as const;

/** The answer for an item the decision policy excludes: no text is generated, the reasons are given. */
export const EXCLUDED_OFFER_SCHEMA = {
  type: 'object',
  required: ['client_id', 'product', 'channel', 'eligible', 'excluded'],
  additionalProperties: false,
  properties: {
    client_id: { type: 'integer' },
    product: { type: 'string' },
    channel: { type: 'string' },
    eligible: { type: 'boolean', enum: [false] },
    excluded: EXCLUDED_SCHEMA,
  },
} as const;

export function offerRoutes(app: FastifyInstance, service: OfferService): void {
  app.post(
    '/v1/offers',
    {
      config: { access: 'recommend' },
      schema: {
        summary: 'Offer texts for (client, product, channel) triples',
        tags: ['offers'],
        body: {
          type: 'array',
          minItems: 1,
          maxItems: 1000,
          items: {
            type: 'object',
            required: ['client_id', 'features', 'product', 'channel'],
            additionalProperties: false,
            properties: {
              client_id: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
              features: FEATURES_SCHEMA,
              product: NAME,
              channel: NAME,
              explain: EXPLAIN_SCHEMA,
            },
          },
        },
        response: {
          200: { type: 'array', items: { anyOf: [EXCLUDED_OFFER_SCHEMA, OFFER_ANSWER_SCHEMA] } },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      app.history.assertAccepting();
      const items = request.body as OfferRequestItem[];
      const clientIds = [...new Set(items.map((i) => String(i.client_id)))];
      let answers;
      try {
        answers = await service.generate(items);
      } catch (e) {
        recordFailure(app, request, reply, clientIds, e);
      }
      const served = answers.filter((a): a is OfferAnswer => !isExcludedOffer(a));
      for (const a of served) {
        app.metrics.offerConfidence.observe(a.confidence);
        if (a.compliance_fallback === true) app.metrics.complianceFallbacks.inc();
      }
      record(app, request, reply, {
        clientIds,
        offerIds: served.map((a) => a.offer_id),
        answer: answers,
        modelVersion: served.find((a) => typeof a.model_version === 'string')?.model_version ?? null,
      });
      return answers;
    },
  );
}
