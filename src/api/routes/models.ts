/** Model registry over HTTP: list versions (analyst, admin), promote and roll back (admin). */
import type { FastifyInstance } from 'fastify';
import type { ModelService } from '../services.js';
import { ERROR_RESPONSES } from '../schemas.js';

const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' } as const;

const MODEL_SCHEMA = {
  type: 'object',
  required: ['name', 'version', 'promoted', 'created_at'],
  additionalProperties: true,
  properties: {
    name: { type: 'string' },
    version: { type: 'string' },
    promoted: { type: 'boolean' },
    created_at: { type: 'string' },
    metrics: { type: 'object', additionalProperties: { type: 'number' } },
  },
} as const;

export function modelRoutes(app: FastifyInstance, service: ModelService): void {
  app.get(
    '/v1/models',
    {
      config: { access: 'models.read' },
      schema: {
        summary: 'Model versions, newest first',
        tags: ['models'],
        querystring: { type: 'object', additionalProperties: false, properties: { name: NAME } },
        response: {
          200: {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: MODEL_SCHEMA } },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => ({ items: await service.list((request.query as { name?: string }).name) }),
  );

  app.post(
    '/v1/models/:name/promote',
    {
      config: { access: 'models.write' },
      schema: {
        summary: 'Promote a version: the servers load it at their next poll',
        tags: ['models'],
        params: { type: 'object', required: ['name'], properties: { name: NAME } },
        body: {
          type: 'object',
          required: ['version'],
          additionalProperties: false,
          properties: { version: { type: 'string', minLength: 1, maxLength: 128 } },
        },
        response: { 200: MODEL_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      return service.promote(name, (request.body as { version: string }).version);
    },
  );

  app.post(
    '/v1/models/:name/rollback',
    {
      config: { access: 'models.write' },
      schema: {
        summary: 'Promote again the version promoted before the current one',
        tags: ['models'],
        params: { type: 'object', required: ['name'], properties: { name: NAME } },
        response: { 200: MODEL_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => service.rollback((request.params as { name: string }).name),
  );
}
