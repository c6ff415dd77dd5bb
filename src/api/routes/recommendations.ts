/**
 * `POST /v1/recommendations` (one client or a batch) and `POST /v1/recommendations/online`
 * (cold start from features). A client in the precomputed set is answered from it
 * (`source: precomputed`); otherwise the recommendation service answers (`model` or `fallback`).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors.js';
import type { DecisionOptions, ExcludedItem, RecommendationService } from '../services.js';
import {
  ERROR_RESPONSES,
  EXCLUDED_SCHEMA,
  EXPLAIN_SCHEMA,
  FEATURES_SCHEMA,
  ID_SCHEMA,
  K_SCHEMA,
  RECOMMENDED_ITEM_SCHEMA,
} from '../schemas.js';
import { record, recordFailure, type Recorded } from './record.js';

const ANSWER_PROPERTIES = {
  client_id: { type: 'string' },
  source: { type: 'string', enum: ['precomputed', 'model', 'fallback'] },
  model_version: { type: ['string', 'null'] },
  items: { type: 'array', items: RECOMMENDED_ITEM_SCHEMA },
  excluded: EXCLUDED_SCHEMA,
} as const;

const ANSWER_SCHEMA = {
  type: 'object',
  required: ['client_id', 'source', 'model_version', 'items'],
  additionalProperties: false,
  properties: ANSWER_PROPERTIES,
} as const;

export interface ClientAnswer {
  client_id: string;
  source: 'precomputed' | 'model' | 'fallback';
  model_version: string | null;
  items: { product: string; score: number; reasons: string[] }[];
  excluded?: ExcludedItem[];
}

export async function answerFor(
  app: FastifyInstance,
  clientId: string,
  k: number,
  options: DecisionOptions = {},
): Promise<ClientAnswer> {
  const service: RecommendationService | undefined = app.services.recommendations;
  // With a decision policy, every stored item is read: the eligible ones are re-ranked, top k kept.
  const pre = await app.precomputed.get(clientId, service?.decide ? Math.max(k, 100) : k);
  if (pre !== null && pre.length > 0) {
    const decided = service?.decide ? await service.decide(clientId, pre, k, options) : { items: pre };
    return { client_id: clientId, source: 'precomputed', model_version: null, ...decided };
  }
  // With the database unreachable (pre === null), the model still answers.
  if (!service && pre === null)
    throw new AppError(
      'SERVICE_UNAVAILABLE',
      'The precomputed recommendations cannot be read (database unreachable)',
    );
  if (!service)
    throw new AppError(
      'NOT_FOUND',
      `client ${clientId}: no precomputed recommendations and no model is served`,
    );
  const r = await service.recommend(clientId, k, options);
  const answer: ClientAnswer = {
    client_id: clientId,
    source: r.source,
    model_version: r.modelVersion,
    items: r.items,
    ...(r.excluded ? { excluded: r.excluded } : {}),
  };
  if (r.arm !== undefined) ARMS.set(answer, { arm: r.arm, experiment: r.experiment ?? null });
  return answer;
}

/** Champion/challenger arm of model answers (kept beside the answer, which the schema fixes). */
const ARMS = new WeakMap<ClientAnswer, { arm: 'champion' | 'challenger'; experiment: string | null }>();

/** The arm of a batch (`mixed` when both answered) and its experiment, for the request history. */
function armsOf(answers: readonly ClientAnswer[]): Pick<Recorded, 'arm' | 'experiment'> {
  const arms = answers.flatMap((a) => ARMS.get(a) ?? []);
  const experiment = arms.find((a) => a.experiment !== null)?.experiment ?? null;
  if (experiment === null) return {};
  const kinds = new Set(arms.map((a) => a.arm));
  return { arm: kinds.size > 1 ? 'mixed' : [...kinds][0], experiment };
}

function sourcesOf(answers: readonly ClientAnswer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) out[a.source] = (out[a.source] ?? 0) + 1;
  return out;
}

export function recommendationRoutes(app: FastifyInstance): void {
  app.post(
    '/v1/recommendations',
    {
      config: { access: 'recommend' },
      schema: {
        summary: 'Top-k products for one client (client_id) or a batch (client_ids)',
        tags: ['recommendations'],
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            client_id: ID_SCHEMA,
            client_ids: { type: 'array', minItems: 1, maxItems: 1000, items: ID_SCHEMA },
            k: K_SCHEMA,
            explain: EXPLAIN_SCHEMA,
          },
          oneOf: [{ required: ['client_id'] }, { required: ['client_ids'] }],
        },
        response: {
          200: {
            description: 'One answer (client_id form) or `results` (client_ids form)',
            type: 'object',
            required: ['request_id'],
            additionalProperties: false,
            properties: {
              request_id: { type: 'string' },
              ...ANSWER_PROPERTIES,
              results: { type: 'array', items: ANSWER_SCHEMA },
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      app.history.assertAccepting();
      const body = request.body as {
        client_id?: string | number;
        client_ids?: (string | number)[];
        k: number;
        explain?: boolean;
      };
      const ids = (body.client_ids ?? [body.client_id as string | number]).map(String);
      const options = { explain: body.explain === true };
      let answers: ClientAnswer[];
      try {
        answers = await Promise.all(ids.map((id) => answerFor(app, id, body.k, options)));
      } catch (e) {
        recordFailure(app, request, reply, ids, e);
      }
      const sources = sourcesOf(answers);
      for (const [source, n] of Object.entries(sources)) app.metrics.answersBySource.inc({ source }, n);
      const result =
        body.client_ids === undefined
          ? { request_id: request.id, ...answers[0] }
          : { request_id: request.id, results: answers };
      record(app, request, reply, {
        clientIds: ids,
        answer: result,
        modelVersion: answers.find((a) => a.model_version !== null)?.model_version ?? null,
        sources,
        ...armsOf(answers),
      });
      return result;
    },
  );

  const service = app.services.recommendations;
  if (!service) return;
  app.post(
    '/v1/recommendations/online',
    {
      config: { access: 'recommend' },
      schema: {
        summary: 'Cold start: top-k products for a client known only by its features',
        tags: ['recommendations'],
        body: {
          type: 'object',
          required: ['features'],
          additionalProperties: false,
          properties: {
            features: FEATURES_SCHEMA,
            history: {
              description:
                'Products owned, most recent month first (product names or codes); absent: none known',
              type: 'array',
              maxItems: 24,
              items: {
                type: 'array',
                maxItems: 24,
                items: { type: 'string', pattern: '^[A-Za-z0-9_]{1,40}$' },
              },
            },
            k: K_SCHEMA,
            explain: EXPLAIN_SCHEMA,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['request_id', 'source', 'model_version', 'items'],
            additionalProperties: false,
            properties: {
              request_id: { type: 'string' },
              source: { type: 'string', enum: ['model', 'fallback'] },
              model_version: { type: ['string', 'null'] },
              items: { type: 'array', items: RECOMMENDED_ITEM_SCHEMA },
              excluded: EXCLUDED_SCHEMA,
            },
          },
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      app.history.assertAccepting();
      const body = request.body as {
        features: Record<string, unknown>;
        history?: string[][];
        k: number;
        explain?: boolean;
      };
      let r;
      try {
        const features =
          body.history === undefined ? body.features : { ...body.features, history: body.history };
        r = await service.recommendOnline(features, body.k, { explain: body.explain === true });
      } catch (e) {
        recordFailure(app, request, reply, [], e);
      }
      app.metrics.answersBySource.inc({ source: r.source });
      const result = {
        request_id: request.id,
        source: r.source,
        model_version: r.modelVersion,
        items: r.items,
        ...(r.excluded ? { excluded: r.excluded } : {}),
      };
      record(app, request, reply, {
        clientIds: [],
        answer: result,
        modelVersion: r.modelVersion,
        sources: { [r.source]: 1 },
      });
      return result;
    },
  );
}
