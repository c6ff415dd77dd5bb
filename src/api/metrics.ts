/**
 * Prometheus metrics of one app instance, in a registry of its own (several apps in one process —
 * tests, benchmarks — do not collide). Routes of other modules reach them as `app.metrics`.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ApiMetrics {
  readonly registry: Registry;
  /** Requests by route pattern, method and status code. */
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  /** Request duration in seconds by route pattern, method and status code. */
  readonly httpDuration: Histogram<'route' | 'method' | 'status'>;
  /** 1 for the model version being served, by model name. */
  readonly modelInfo: Gauge<'name' | 'version'>;
  /** Recommendation answers by source (precomputed, model, fallback). */
  readonly answersBySource: Counter<'source'>;
  /** Confidence of generated offers. */
  readonly offerConfidence: Histogram;
  /** Offers whose text was replaced by a compliant fallback. */
  readonly complianceFallbacks: Counter;
  /** Request-history records waiting in the on-disk outbox, and its size. */
  readonly outboxRecords: Gauge;
  readonly outboxBytes: Gauge;
  /** Feedback received, by outcome. */
  readonly feedback: Counter<'outcome'>;
  /** Model swaps done by the hot reload, by model name. */
  readonly modelReloads: Counter<'name' | 'result'>;
  /** Population stability index of a model input (or `feature="score"`) between training and recent traffic. */
  readonly driftPsi: Gauge<'model' | 'feature'>;
  /** 1 when some PSI of the model is at or above the configured alert threshold. */
  readonly driftAlert: Gauge<'model'>;
}

export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nextoffer_process_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'nextoffer_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'nextoffer_http_request_duration_seconds',
      help: 'HTTP request duration by route, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    modelInfo: new Gauge({
      name: 'nextoffer_model_info',
      help: 'Model version being served (value 1), by model name',
      labelNames: ['name', 'version'],
      registers,
    }),
    answersBySource: new Counter({
      name: 'nextoffer_recommendation_answers_total',
      help: 'Recommendation answers by source',
      labelNames: ['source'],
      registers,
    }),
    offerConfidence: new Histogram({
      name: 'nextoffer_offer_confidence',
      help: 'Confidence of generated offers',
      buckets: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
      registers,
    }),
    complianceFallbacks: new Counter({
      name: 'nextoffer_offer_compliance_fallbacks_total',
      help: 'Offers whose text was replaced by a compliant fallback text',
      registers,
    }),
    outboxRecords: new Gauge({
      name: 'nextoffer_history_outbox_records',
      help: 'Request-history records waiting in the on-disk outbox',
      registers,
    }),
    outboxBytes: new Gauge({
      name: 'nextoffer_history_outbox_bytes',
      help: 'Size of the on-disk request-history outbox',
      registers,
    }),
    feedback: new Counter({
      name: 'nextoffer_feedback_total',
      help: 'Feedback received by outcome',
      labelNames: ['outcome'],
      registers,
    }),
    modelReloads: new Counter({
      name: 'nextoffer_model_reloads_total',
      help: 'Hot reloads of promoted models by model name and result (swapped, failed)',
      labelNames: ['name', 'result'],
      registers,
    }),
    driftPsi: new Gauge({
      name: 'nextoffer_drift_psi',
      help: 'Population stability index between training data and recent requests, by model and feature',
      labelNames: ['model', 'feature'],
      registers,
    }),
    driftAlert: new Gauge({
      name: 'nextoffer_drift_alert',
      help: '1 when a PSI of the model is at or above the alert threshold',
      labelNames: ['model'],
      registers,
    }),
  };
}
