/**
 * `GET /v1/clients/{id}`: one client of the ingested dataset — its profile (latest month), the
 * products it held month by month, its current recommendations (the same answer as
 * `POST /v1/recommendations`, with the offer-catalog product of each) and its segment when a
 * segment model is promoted. Offer texts come from `POST /v1/offers`.
 */
import type { FastifyInstance } from 'fastify';
import { SANTANDER_PRODUCTS } from '../../data/santander-schema.js';
import { errorMessage, isAppError } from '../../errors.js';
import { loadConfiguredCatalog, type Catalog } from '../../offers/catalog.js';
import { PRODUCT_CODES } from '../../reco/products.js';
import { loadClient, segmentFeatures } from '../client-profile.js';
import { datasetReaderOf } from '../dataset-reader.js';
import { offerProductOf } from '../offer-products.js';
import { ERROR_RESPONSES, K_SCHEMA } from '../schemas.js';
import { answerFor } from './recommendations.js';

const NULLABLE_SCALAR = { type: ['string', 'number', 'boolean', 'null'] } as const;

const CLIENT_SCHEMA = {
  type: 'object',
  required: [
    'client_id',
    'dataset_version',
    'month',
    'profile',
    'products',
    'timeline',
    'recommendations',
    'segment',
    'offer_channels',
    'notes',
  ],
  additionalProperties: false,
  properties: {
    client_id: { type: 'integer' },
    dataset_version: { type: 'string' },
    month: { type: 'string', description: "The client's latest month (the profile's)" },
    profile: { type: 'object', additionalProperties: NULLABLE_SCALAR },
    products: { type: 'array', items: { type: 'string' }, description: 'Held in the latest month' },
    timeline: {
      type: 'object',
      required: ['months', 'products', 'codes', 'held'],
      additionalProperties: false,
      properties: {
        months: { type: 'array', items: { type: 'string' } },
        products: { type: 'array', items: { type: 'string' } },
        codes: { type: 'array', items: { type: 'string' } },
        held: {
          type: 'array',
          description: 'held[m][p]: 1 held, 0 not, null unknown',
          items: { type: 'array', items: { type: ['integer', 'null'] } },
        },
      },
    },
    recommendations: {
      type: ['object', 'null'],
      required: ['source', 'model_version', 'items'],
      additionalProperties: false,
      properties: {
        source: { type: 'string', enum: ['precomputed', 'model', 'fallback'] },
        model_version: { type: ['string', 'null'] },
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['product', 'code', 'score', 'reasons', 'offer_product'],
            additionalProperties: false,
            properties: {
              product: { type: 'string' },
              code: { type: ['string', 'null'] },
              score: { type: 'number' },
              reasons: { type: 'array', items: { type: 'string' } },
              offer_product: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    segment: {
      type: ['object', 'null'],
      required: ['segment', 'name', 'path', 'model_version'],
      additionalProperties: false,
      properties: {
        segment: { type: 'integer' },
        name: { type: 'string' },
        path: { type: 'array', items: { type: 'string' } },
        model_version: { type: ['string', 'null'] },
      },
    },
    offer_channels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'name', 'consent_required'],
        additionalProperties: false,
        properties: {
          code: { type: 'string' },
          name: { type: 'string' },
          consent_required: { type: 'boolean' },
        },
      },
    },
    notes: { type: 'array', items: { type: 'string' }, description: 'Why a part is missing' },
  },
} as const;

/** Errors that mean "this part is not available", reported as a note rather than failing the answer. */
const PART_MISSING = new Set(['SERVICE_UNAVAILABLE', 'NOT_FOUND', 'ARGUMENT_INVALID', 'MODEL_NOT_FOUND']);

function note(part: string, e: unknown): string {
  if (isAppError(e) && PART_MISSING.has(e.code)) return `${part}: ${e.message}`;
  throw e;
}

export function clientRoutes(app: FastifyInstance): void {
  const reader = datasetReaderOf(app);
  let catalog: Catalog | null | undefined;
  const catalogOnce = (): Catalog | null => {
    if (catalog === undefined) {
      try {
        catalog = loadConfiguredCatalog(app.apiConfig);
      } catch (e) {
        app.log.warn(`offer catalog not loaded: ${errorMessage(e)}`);
        catalog = null;
      }
    }
    return catalog;
  };

  app.get(
    '/v1/clients/:id',
    {
      config: { access: 'clients.read' },
      schema: {
        summary: 'A client: profile, products over months, recommendations with reason codes, segment',
        tags: ['clients'],
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647, description: 'ncodpers' } },
        },
        querystring: { type: 'object', additionalProperties: false, properties: { k: K_SCHEMA } },
        response: { 200: CLIENT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { id } = request.params as { id: number };
      const { k } = request.query as { k: number };
      const data = await loadClient(reader, id);
      const notes: string[] = [];
      const cat = catalogOnce();
      const codes = new Set(cat?.products.map((p) => p.code) ?? []);
      if (!cat) notes.push('offers: the offer catalog could not be loaded');

      let recommendations = null;
      try {
        const r = await answerFor(app, String(id), k);
        recommendations = {
          source: r.source,
          model_version: r.model_version,
          items: r.items.map((i) => {
            const p = SANTANDER_PRODUCTS.indexOf(i.product as (typeof SANTANDER_PRODUCTS)[number]);
            return {
              ...i,
              code: p >= 0 ? PRODUCT_CODES[p] : null,
              offer_product: offerProductOf(i.product, codes),
            };
          }),
        };
      } catch (e) {
        notes.push(note('recommendations', e));
      }

      let segment = null;
      const service = app.services.segments;
      if (!service) notes.push('segment: no segment service is configured');
      else {
        try {
          const s = await service.assign(segmentFeatures(data));
          segment = { segment: s.segment, name: s.name, path: s.path, model_version: s.modelVersion };
        } catch (e) {
          notes.push(note('segment', e));
        }
      }

      return {
        client_id: id,
        dataset_version: data.datasetVersion,
        month: data.month,
        profile: data.profile,
        products: data.products,
        timeline: {
          months: data.timeline.months,
          products: [...SANTANDER_PRODUCTS],
          codes: [...PRODUCT_CODES],
          held: data.timeline.held,
        },
        recommendations,
        segment,
        offer_channels:
          cat?.channels.map((c) => ({ code: c.code, name: c.name, consent_required: c.consentRequired })) ??
          [],
        notes,
      };
    },
  );
}
