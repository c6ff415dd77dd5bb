/**
 * `GET /v1/data/eda`: exploratory analysis of the ingested dataset (product popularity, ownership
 * and additions by month, age/income/segment/channel distributions) with the quality report of
 * the ingest behind it. Cached in memory per dataset version: the dataset changes only on ingest.
 */
import type { FastifyInstance } from 'fastify';
import { computeEda, type Eda } from '../data-eda.js';
import { qualityOf, QUALITY_SCHEMA, type QualitySummary } from '../data-quality.js';
import { datasetReaderOf } from '../dataset-reader.js';
import { ERROR_RESPONSES } from '../schemas.js';

const INT_ARRAY = { type: 'array', items: { type: 'integer' } } as const;
const STRING_ARRAY = { type: 'array', items: { type: 'string' } } as const;
const MATRIX = { type: 'array', items: INT_ARRAY } as const;

function object(properties: Record<string, object>) {
  return {
    type: 'object',
    required: Object.keys(properties),
    additionalProperties: false,
    properties,
  } as const;
}

const BIN = object({
  from: { type: 'number' },
  to: { type: ['number', 'null'] },
  clients: { type: 'integer' },
});
const VALUE_COUNT = object({ value: { type: ['string', 'null'] }, clients: { type: 'integer' } });

const EDA_SCHEMA = object({
  dataset: object({
    version: { type: 'string' },
    rows: { type: 'integer' },
    clients: { type: 'integer' },
    months: STRING_ARRAY,
    created_at: { type: 'string' },
  }),
  products: { type: 'array', items: object({ product: { type: 'string' }, code: { type: 'string' } }) },
  popularity: {
    type: 'array',
    items: object({
      product: { type: 'string' },
      code: { type: 'string' },
      clients: { type: 'integer' },
      share: { type: 'number' },
    }),
  },
  ownership: object({ months: STRING_ARRAY, clients: INT_ARRAY, held: MATRIX }),
  additions: object({ months: STRING_ARRAY, clients: INT_ARRAY, added: MATRIX, total: INT_ARRAY }),
  age: object({ bins: { type: 'array', items: BIN }, missing: { type: 'integer' } }),
  income: object({
    quantiles: { type: 'array', items: object({ q: { type: 'number' }, value: { type: 'number' } }) },
    bins: { type: 'array', items: BIN },
    imputed: { type: 'integer' },
  }),
  segments: { type: 'array', items: VALUE_COUNT },
  channels: object({ top: { type: 'array', items: VALUE_COUNT }, other: { type: 'integer' } }),
  quality: QUALITY_SCHEMA,
  computed_at: { type: 'string' },
  seconds: { type: 'number' },
});

export type EdaAnswer = Eda & { quality: QualitySummary | null; computed_at: string; seconds: number };

export function dataRoutes(app: FastifyInstance): void {
  const reader = datasetReaderOf(app);
  /** One entry: the latest version's analysis (or its computation in flight). */
  let cache: { version: string; answer: Promise<EdaAnswer> } | null = null;

  const analyse = (): Promise<EdaAnswer> =>
    reader.use(async (conn, manifest) => {
      const started = performance.now();
      const eda = await computeEda(conn, manifest);
      const quality = await qualityOf(app.db, app.apiConfig.dataDir, manifest);
      return {
        ...eda,
        quality,
        computed_at: new Date().toISOString(),
        seconds: (performance.now() - started) / 1000,
      };
    });

  app.get(
    '/v1/data/eda',
    {
      config: { access: 'data.read' },
      schema: {
        summary: 'Exploratory analysis of the ingested dataset with its quality report',
        tags: ['data'],
        response: { 200: EDA_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async () => {
      const { version } = await reader.manifest();
      if (cache?.version !== version) {
        const entry = { version, answer: analyse() };
        cache = entry;
        entry.answer.catch(() => {
          if (cache === entry) cache = null;
        });
      }
      return cache.answer;
    },
  );
}
