/**
 * The learning loop over HTTP (analyst, admin): `GET /v1/models/{name}/compare` — champion vs
 * challenger outcomes with the significance test — and `GET /v1/drift` — PSI per model and
 * feature with the alert state. The drift gauges of `/metrics` are refreshed before each scrape
 * and every 15 seconds.
 */
import type { FastifyInstance } from 'fastify';
import { setDriftGauges } from '../../learn/drift-monitor.js';
import type { Services } from '../services.js';
import { ERROR_RESPONSES } from '../schemas.js';

const NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9_.-]{0,63}$' } as const;
const VERSION = { type: 'integer', minimum: 1 } as const;
const NULLABLE_NUMBER = { type: ['number', 'null'] } as const;

const ARM_SCHEMA = {
  type: 'object',
  required: ['served', 'trials', 'successes', 'rate'],
  properties: {
    served: { type: 'integer' },
    trials: { type: 'integer' },
    successes: { type: 'integer' },
    rate: NULLABLE_NUMBER,
  },
} as const;

const COMPARE_SCHEMA = {
  type: 'object',
  required: ['model', 'experiment', 'challenger_version', 'running', 'arms', 'comparison'],
  properties: {
    model: { type: 'string' },
    experiment: { type: 'string' },
    challenger_version: { type: 'integer' },
    running: { type: 'boolean' },
    champion: { type: ['string', 'null'] },
    confidence: { type: 'number' },
    min_outcomes: { type: 'integer' },
    arms: {
      type: 'object',
      required: ['champion', 'challenger'],
      properties: { champion: ARM_SCHEMA, challenger: ARM_SCHEMA },
    },
    comparison: {
      type: 'object',
      required: ['test', 'p_value', 'verdict'],
      properties: {
        test: { type: 'string', enum: ['z', 'fisher'] },
        champion_rate: NULLABLE_NUMBER,
        challenger_rate: NULLABLE_NUMBER,
        difference: NULLABLE_NUMBER,
        z: NULLABLE_NUMBER,
        p_value: NULLABLE_NUMBER,
        verdict: {
          type: 'string',
          enum: ['challenger-wins', 'champion-wins', 'no-difference', 'too-few-outcomes'],
        },
      },
    },
  },
} as const;

const DRIFT_SCHEMA = {
  type: 'object',
  required: ['threshold', 'alert', 'models'],
  properties: {
    threshold: { type: ['number', 'null'] },
    alert: { type: 'boolean' },
    models: {
      type: 'array',
      items: {
        type: 'object',
        required: ['model', 'model_version', 'alert', 'max_psi', 'features'],
        properties: {
          model: { type: 'string' },
          model_version: { type: 'string' },
          alert: { type: 'boolean' },
          max_psi: NULLABLE_NUMBER,
          threshold: { type: 'number' },
          observed: { type: 'integer' },
          features: {
            type: 'array',
            items: {
              type: 'object',
              required: ['feature', 'psi', 'n'],
              properties: { feature: { type: 'string' }, psi: { type: 'number' }, n: { type: 'integer' } },
            },
          },
        },
      },
    },
  },
} as const;

export function learningRoutes(app: FastifyInstance, service: NonNullable<Services['learning']>): void {
  const updateGauges = () => {
    const reports = service.drift();
    setDriftGauges(app.metrics, reports);
    return reports;
  };
  const timer = setInterval(updateGauges, 15_000);
  timer.unref();
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.url === '/metrics') updateGauges();
    done();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await service.stop();
  });

  app.get(
    '/v1/models/:name/compare',
    {
      config: { access: 'models.read' },
      schema: {
        summary: 'Champion vs challenger: outcomes per arm, significance test and verdict',
        tags: ['models'],
        params: { type: 'object', required: ['name'], properties: { name: NAME } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { champion: VERSION, challenger: VERSION },
        },
        response: { 200: COMPARE_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { name } = request.params as { name: string };
      const r = await service.compare(name, request.query as { champion?: number; challenger?: number });
      const c = r.comparison;
      return {
        model: r.model,
        experiment: r.experiment,
        challenger_version: r.challengerVersion,
        running: r.running,
        champion: r.champion,
        confidence: r.confidence,
        min_outcomes: r.minOutcomes,
        arms: r.arms,
        comparison: {
          test: c.test,
          champion_rate: c.championRate,
          challenger_rate: c.challengerRate,
          difference: c.difference,
          z: c.z,
          p_value: c.pValue,
          verdict: c.verdict,
        },
      };
    },
  );

  app.get(
    '/v1/drift',
    {
      config: { access: 'models.read' },
      schema: {
        summary: 'Population stability index per model input and score: training data vs recent requests',
        tags: ['models'],
        response: { 200: DRIFT_SCHEMA, ...ERROR_RESPONSES },
      },
    },
    () => {
      const reports = updateGauges();
      return {
        threshold: reports[0]?.threshold ?? null,
        alert: reports.some((r) => r.alert),
        models: reports.map((r) => ({
          model: r.model,
          model_version: r.modelVersion,
          alert: r.alert,
          max_psi: r.maxPsi,
          threshold: r.threshold,
          observed: r.observed,
          features: r.features,
        })),
      };
    },
  );
}
