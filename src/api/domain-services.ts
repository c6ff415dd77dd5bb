/**
 * The domain modules behind the REST API: offer texts (`src/offers`), segment assignment
 * (`src/segments`) and recommendations (`src/reco`), each loaded from the model registry or the
 * artifact store and hot-reloaded when a new version is promoted or trained.
 *
 * Offers served over HTTP are stored in the offer log (`offers` table) so that operators' marks
 * (`POST /v1/feedback` with an `offer_id`) train the confidence model (`nextoffer offers train`).
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { decidedOffers, decidedRecommendations } from '../decision/services.js';
import { configuredDecider, recommenderFacts } from '../decision/setup.js';
import { AppError, errorMessage } from '../errors.js';
import { consentFromFeatures } from '../offers/clients.js';
import { loadConfiguredCatalog } from '../offers/catalog.js';
import { ConfidenceModel } from '../offers/confidence.js';
import { createOfferEngine, type OfferEngine } from '../offers/engine.js';
import { CONFIDENCE_ARTIFACT } from '../offers/feedback.js';
import { RECO_MODEL_NAME as RECO_MODEL, recommenderFromBytes } from '../reco/artifact.js';
import type { OnlineClient } from '../reco/online.js';
import type { Recommendation, Recommender } from '../reco/recommender.js';
import { SegmentModel } from '../segments/model.js';
import { SEGMENT_MODEL_NAME } from '../segments/save.js';
import type { ArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { OfferLog } from '../store/offers.js';
import { ModelRegistry } from '../store/registry.js';
import { ModelHolder, type PromotedSource } from './model-holder.js';
import type {
  OfferAnswer,
  OfferService,
  RecommendationService,
  SegmentService,
  ServiceRecommendation,
  Services,
} from './services.js';
import { registryPromotedSource, storeServices } from './store-services.js';

/** The confidence model's "version" is the hash of its stored JSON: a retrain swaps it in. */
function confidenceSource(artifacts: ArtifactStore): PromotedSource {
  return {
    promoted: async () => {
      if (!(await artifacts.exists(CONFIDENCE_ARTIFACT))) return null;
      const bytes = await artifacts.get(CONFIDENCE_ARTIFACT);
      return { version: createHash('sha256').update(bytes).digest('hex').slice(0, 12) };
    },
  };
}

export function offerService(
  catalogConfig: Pick<Config, 'catalog'>,
  log: OfferLog,
  confidence: ModelHolder<ConfidenceModel>,
): OfferService {
  const catalog = loadConfiguredCatalog(catalogConfig);
  const channels = catalog.channels.map((c) => c.code);
  let engine: { version: string | null; engine: OfferEngine } | null = null;
  const current = (): { version: string | null; engine: OfferEngine } => {
    const held = confidence.current();
    const version = held?.version ?? null;
    if (engine === null || engine.version !== version) {
      engine = { version, engine: createOfferEngine({ catalog, confidenceModel: held?.model }) };
    }
    return engine;
  };
  return {
    async generate(items) {
      const { version, engine: e } = current();
      const answers = e.generate(
        items.map((i) => ({ ...i, consent: consentFromFeatures(i.features, channels) })),
      );
      const ids = await log.save(
        answers.map((a, k) => ({
          client_id: a.client_id,
          product: a.product,
          channel: a.channel,
          locale: a.locale,
          text: a.text,
          title: a.title,
          subject: a.subject,
          elements: a.elements,
          features: items[k].features,
          confidence: a.confidence,
        })),
      );
      return answers.map((a, k): OfferAnswer => ({
        ...a,
        offer_id: ids[k],
        compliance_fallback: a.fallback,
        model_version: version === null ? null : `confidence:${version}`,
      }));
    },
  };
}

export function segmentService(holder: ModelHolder<SegmentModel>): SegmentService {
  return {
    assign(features) {
      const held = holder.current();
      if (held === null) return Promise.reject(unavailable('segment', 'nextoffer segment --input …'));
      const a = held.model.assign(features);
      return Promise.resolve({ ...a, modelVersion: `${SEGMENT_MODEL_NAME}:${held.version}` });
    },
  };
}

function unavailable(what: string, how: string): AppError {
  return new AppError(
    'SERVICE_UNAVAILABLE',
    `no ${what} model is promoted yet: run \`${how}\` (or \`npm start\`)`,
  );
}

function answer(r: Recommendation, source?: 'fallback'): ServiceRecommendation {
  return {
    items: r.items,
    source: source ?? r.source,
    modelVersion: r.modelVersion === null ? null : `${RECO_MODEL}:${r.modelVersion}`,
  };
}

/**
 * Recommendations from the promoted recommender. A client the model has not seen gets the
 * cold-start answer (client features only, blended with segment popularity), marked `fallback`.
 * Online requests take `{history?: [[product…], …], …client attributes}` as features.
 */
export function recommendationService(holder: ModelHolder<Recommender>): RecommendationService {
  const model = (): Recommender => {
    const held = holder.current();
    if (held === null) throw unavailable('recommendation', 'nextoffer train');
    return held.model;
  };
  return {
    recommend(clientId, k) {
      try {
        const r = model();
        const id = Number(clientId);
        if (Number.isSafeInteger(id) && r.hasClient(id)) return Promise.resolve(answer(r.recommend(id, k)));
        return Promise.resolve(answer(r.recommendOnline({}, k), 'fallback'));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    recommendOnline(features, k) {
      try {
        const { history, ...attributes } = features;
        if (history !== undefined && !Array.isArray(history)) {
          throw new AppError('ARGUMENT_INVALID', 'features.history: must be an array of product lists');
        }
        const client = { attributes, history } as OnlineClient; // values are validated by the encoder
        return Promise.resolve(answer(model().recommendOnline(client, k)));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  };
}

/**
 * Every service the server offers: the store's (models, runs) and the domain modules. Holders load
 * the promoted versions now and poll every `modelReloadSeconds`.
 */
export async function domainServices(
  db: Database,
  artifacts: ArtifactStore,
  config: Config,
): Promise<Services> {
  const registry = new ModelRegistry(db, artifacts);
  const intervalMs = config.modelReloadSeconds * 1000;
  const warn = (name: string, message: string) =>
    process.stderr.write(`warning: model ${name} not (re)loaded: ${message}\n`);
  const segments = new ModelHolder<SegmentModel>({
    name: SEGMENT_MODEL_NAME,
    source: registryPromotedSource(registry),
    load: async (name, version) => SegmentModel.fromBytes(await registry.load(name, Number(version))),
    intervalMs,
    onError: warn,
  });
  const confidence = new ModelHolder<ConfidenceModel>({
    name: 'offers-confidence',
    source: confidenceSource(artifacts),
    load: async () => {
      const bytes = await artifacts.get(CONFIDENCE_ARTIFACT);
      try {
        return ConfidenceModel.fromJSON(JSON.parse(bytes.toString('utf8')));
      } catch (e) {
        throw new AppError('ARTIFACT_STORE_ERROR', `${CONFIDENCE_ARTIFACT}: ${errorMessage(e)}`, {
          cause: e,
        });
      }
    },
    intervalMs,
    onError: warn,
  });
  const reco = new ModelHolder<Recommender>({
    name: RECO_MODEL,
    source: registryPromotedSource(registry),
    load: async (name, version) =>
      recommenderFromBytes(await registry.load(name, Number(version)), Number(version)),
    intervalMs,
    onError: warn,
  });
  const decider = configuredDecider(config, db);
  await Promise.all([segments.start(), confidence.start(), reco.start()]);
  return {
    ...(await storeServices(db, artifacts)),
    offers: decidedOffers(offerService(config, new OfferLog(db), confidence), decider),
    segments: segmentService(segments),
    recommendations: decidedRecommendations(
      recommendationService(reco),
      decider,
      recommenderFacts(() => reco.current()?.model),
    ),
  };
}
