/**
 * Contract checking: every response a test receives is validated against the response schema
 * the OpenAPI document (`/openapi.json`) declares for its path, method and status.
 */
import Ajv from 'ajv';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { AS } from './testing.test-util.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: object }> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

export interface ContractClient {
  /** Injects a request, asserts the status when given, validates the body against the document. */
  call(options: InjectOptions, status?: number): Promise<LightMyRequestResponse>;
  /** How many responses were validated against a schema. */
  readonly checked: number;
}

export async function contractClient(app: FastifyInstance): Promise<ContractClient> {
  const res = await app.inject({ url: '/openapi.json', headers: AS.analyst });
  expect(res.statusCode).toBe(200);
  const doc = res.json<OpenApi>();
  const ajv = new Ajv({ nullable: true, allErrors: true, unknownFormats: 'ignore', schemaId: 'auto' });
  const routes = Object.entries(doc.paths).map(([p, ops]) => ({
    re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    ops,
  }));
  let checked = 0;
  return {
    get checked() {
      return checked;
    },
    async call(options, status) {
      const response = await app.inject(options);
      if (status !== undefined) expect(response.statusCode, response.body).toBe(status);
      const url = (typeof options.url === 'string' ? options.url : '/').split('?')[0];
      const method = String(options.method ?? 'GET').toLowerCase();
      const route = routes.find((r) => r.re.test(url));
      const op = route?.ops[method];
      if (!op) return response; // unmatched route: the 404 body is checked by the caller
      const code = String(response.statusCode);
      const declared = op.responses?.[code] ?? op.responses?.[`${code[0]}XX`];
      expect(declared, `${method.toUpperCase()} ${url} ${code} is documented`).toBeDefined();
      const schema = declared?.content?.['application/json']?.schema;
      if (schema && String(response.headers['content-type']).startsWith('application/json')) {
        const valid = ajv.validate(schema, response.json());
        expect(
          valid,
          `${method.toUpperCase()} ${url} ${code}: ${ajv.errorsText()} in ${response.body.slice(0, 300)}`,
        ).toBe(true);
        checked++;
      }
      return response;
    },
  };
}
