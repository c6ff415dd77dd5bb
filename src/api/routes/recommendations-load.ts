/**
 * `POST /v1/recommendations/load` (admin): replaces the precomputed recommendations with the
 * uploaded set, CSV (`text/csv`) or JSON. All or nothing: any bad line refuses the whole upload
 * (422 with every finding, up to 100), and the old set stays until the new one is committed.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import { replacePrecomputed } from '../../store/precomputed.js';
import { parseCsvUpload, parseJsonUpload } from '../precomputed-parse.js';
import { ERROR_RESPONSES } from '../schemas.js';

export function recommendationLoadRoutes(app: FastifyInstance): void {
  app.post(
    '/v1/recommendations/load',
    {
      config: { access: 'recommendations.load' },
      bodyLimit: app.apiConfig.uploadLimitBytes,
      schema: {
        summary: 'Replace the precomputed recommendations (CSV client_id,product,score[,reasons] or JSON)',
        tags: ['recommendations'],
        body: {
          content: {
            'application/json': {
              schema: {
                type: 'array',
                description:
                  'Items {client_id: string|integer, product: string, score: number, reasons?: string[]}',
                items: { type: 'object' },
              },
            },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['load_id', 'rows', 'clients'],
            properties: {
              load_id: { type: 'integer' },
              rows: { type: 'integer' },
              clients: { type: 'integer' },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      let rows;
      if (type === 'text/csv' || type === 'text/plain') rows = parseCsvUpload(request.body as string);
      else if (type === 'application/json') rows = parseJsonUpload(request.body);
      else throw new AppError('INPUT_UNSUPPORTED', `content type ${type}: send text/csv or application/json`);
      const summary = await replacePrecomputed(app.db, rows, {
        format: type === 'application/json' ? 'json' : 'csv',
        loadedBy: request.principal?.name ?? null,
      });
      await app.precomputed.refresh();
      return summary;
    },
  );
}
