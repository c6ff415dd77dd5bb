/**
 * `GET /v1/segments/model`: the promoted segmentation for the web UI — version, metrics and its
 * report: sizes, profiles, rules, the k-selection table and a 2-D projection sample.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { SegmentReportService } from '../services.js';
import { ERROR_RESPONSES } from '../schemas.js';

const OPEN_OBJECT = { type: 'object', additionalProperties: true } as const;

export function segmentModelRoutes(app: FastifyInstance, service: SegmentReportService): void {
  app.get(
    '/v1/segments/model',
    {
      config: { access: 'segments.read' },
      schema: {
        summary: 'The promoted segmentation: sizes, profiles, rules, k selection and a 2-D projection',
        tags: ['segments'],
        response: {
          200: {
            type: 'object',
            required: ['name', 'version', 'created_at', 'metrics', 'report'],
            properties: {
              name: { type: 'string' },
              version: { type: 'string' },
              created_at: { type: 'string' },
              metrics: { type: 'object', additionalProperties: { type: 'number' } },
              report: {
                type: ['object', 'null'],
                additionalProperties: true,
                properties: {
                  k: { type: 'integer' },
                  k_reason: { type: 'string' },
                  rows: { type: 'integer' },
                  features: { type: 'array', items: { type: 'string' } },
                  sizes: { type: 'array', items: { type: 'integer' } },
                  rules: { type: 'array', items: { type: 'string' } },
                  k_selection: { type: 'array', items: OPEN_OBJECT },
                  profiles: { type: 'array', items: OPEN_OBJECT },
                  priorities: { type: 'array', items: OPEN_OBJECT },
                  projection: {
                    type: 'object',
                    properties: {
                      explained_variance_ratio: { type: 'array', items: { type: 'number' } },
                      points: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            x: { type: 'number' },
                            y: { type: 'number' },
                            segment: { type: 'integer' },
                          },
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
    async () => {
      const view = await service.promoted();
      if (!view)
        throw new AppError(
          'NOT_FOUND',
          'no segments model is promoted yet: run `nextoffer segment` (or `npm start`)',
        );
      return view;
    },
  );
}
