/** `POST /v1/segments/assign`: the segment of a client described by its features, with the rule path. */
import type { FastifyInstance } from 'fastify';
import type { SegmentService } from '../services.js';
import { ERROR_RESPONSES, FEATURES_SCHEMA } from '../schemas.js';
import { record, recordFailure } from './record.js';

export function segmentRoutes(app: FastifyInstance, service: SegmentService): void {
  app.post(
    '/v1/segments/assign',
    {
      config: { access: 'recommend' },
      schema: {
        summary: 'Segment of a client from its features, with the decision path',
        tags: ['segments'],
        body: {
          type: 'object',
          required: ['features'],
          additionalProperties: false,
          properties: { features: FEATURES_SCHEMA },
        },
        response: {
          200: {
            type: 'object',
            required: ['request_id', 'segment', 'name', 'path', 'model_version'],
            additionalProperties: false,
            properties: {
              request_id: { type: 'string' },
              segment: { type: 'integer' },
              name: { type: 'string' },
              path: { type: 'array', items: { type: 'string' } },
              model_version: { type: ['string', 'null'] },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      app.history.assertAccepting();
      const { features } = request.body as { features: Record<string, unknown> };
      let r;
      try {
        r = await service.assign(features);
      } catch (e) {
        recordFailure(app, request, reply, [], e);
      }
      const result = {
        request_id: request.id,
        segment: r.segment,
        name: r.name,
        path: r.path,
        model_version: r.modelVersion,
      };
      record(app, request, reply, { clientIds: [], answer: result, modelVersion: r.modelVersion });
      return result;
    },
  );
}
