/**
 * The domain modules behind the REST API: offer texts (`src/offers`), segment assignment
 * (`src/segments`) and recommendations (`src/reco`), each loaded from the model registry or the
 * artifact store and hot-reloaded when a new version is promoted or trained.
 *
 * Offers served over HTTP are stored in the offer log (`offers` table) so that operators' marks
 * (`POST /v1/feedback` with an `offer_id`) train the confidence model (`nextoffer offers train`,
 * `nextoffer retrain`). Champion/challenger routing, drift and the retrain schedule come from
 * `src/learn/serving.ts`.
 */
import type { Config } from '../config.js';
import { decidedOffers, decidedRecommendations } from '../decision/services.js';
import { configuredDecider, recommenderFacts } from '../decision/setup.js';
import { AppError } from '../errors.js';
import { consentFromFeatures } from '../offers/clients.js';
import { loadConfiguredCatalog } from '../offers/catalog.js';
import type { ConfidenceModel } from '../offers/confidence.js';
import { createOfferEngine, type OfferEngine } from '../offers/engine.js';
import type { ArmChoice, ArmRouter } from '../learn/arms.js';
import { recoObservation } from '../learn/reco-drift.js';
import { wireLearning, type DriftMonitors } from '../learn/serving.js';
import { CONFIDENCE_MODEL } from '../learn/versions.js';
import { RECO_MODEL_NAME as RECO_MODEL } from '../reco/artifact.js';
import type { OnlineClient } from '../reco/online.js';
import type { Recommendation, Recommender } from '../reco/recommender.js';
import { SegmentModel } from '../segments/model.js';
import { SEGMENT_MODEL_NAME } from '../segments/save.js';
import type { ArtifactStore } from '../store/artifacts.js';
import type { Database } from '../store/db.js';
import { OfferLog } from '../store/offers.js';
import { ModelRegistry } from '../store/registry.js';
import { ModelHolder } from './model-holder.js';
import type {
  OfferAnswer,
  OfferService,
  RecommendationService,
  SegmentService,
  ServiceRecommendation,
  Services,
} from './services.js';
import { registryPromotedSource, storeServices } from './store-services.js';

/**
 * Offer texts. Each item is answered by the confidence model of its client's arm (champion or,
 * for `NEXTOFFER_CHALLENGER_SHARE` of clients, a registered challenger); the offer log records
 * the arm, the model version and the experiment, and champion answers feed the drift monitor.
 */
export function offerService(
  catalogConfig: Pick<Config, 'catalog'>,
  log: OfferLog,
  confidence: ArmRouter<ConfidenceModel>,
  drift?: DriftMonitors,
): OfferService {
  const catalog = loadConfiguredCatalog(catalogConfig);
  const channels = catalog.channels.map((c) => c.code);
  const engines = new Map<string | null, OfferEngine>();
  const engineFor = (version: string | null, model: ConfidenceModel | undefined): OfferEngine => {
    let e = engines.get(version);
    if (e === undefined) {
      if (engines.size >= 4) engines.clear();
      e = createOfferEngine({ catalog, confidenceModel: model });
      engines.set(version, e);
    }
    return e;
  };
  return {
    async generate(items) {
      const choices = items.map((i) => confidence.choose(i.client_id));
      const withConsent = items.map((i) => ({ ...i, consent: consentFromFeatures(i.features, channels) }));
      const answers = choices.every((c) => c.modelVersion === choices[0].modelVersion)
        ? engineFor(choices[0].modelVersion, choices[0].model).generate(withConsent)
        : withConsent.map((item, k) => {
            try {
              return engineFor(choices[k].modelVersion, choices[k].model).generate([item])[0];
            } catch (e) {
              if (!(e instanceof AppError)) throw e;
              throw new AppError(e.code, e.message.replace(/^items\[0\]/, `items[${k}]`), { cause: e });
            }
          });
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
          arm: choices[k].experiment === null ? null : choices[k].arm,
          model_version: choices[k].modelVersion,
          experiment: choices[k].experiment,
        })),
      );
      const champion = confidence.championVersion();
      answers.forEach((a, k) => {
        if (drift && champion !== null && choices[k].arm === 'champion' && a.text !== '')
          drift.observe(CONFIDENCE_MODEL, champion, { ...items[k].features, score: a.confidence });
      });
      return answers.map((a, k): OfferAnswer => ({
        ...a,
        offer_id: ids[k],
        compliance_fallback: a.fallback,
        model_version: choices[k].modelVersion,
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

function answer(
  r: Recommendation,
  choice: ArmChoice<Recommender>,
  source?: 'fallback',
): ServiceRecommendation {
  return {
    items: r.items,
    source: source ?? r.source,
    modelVersion: r.modelVersion === null ? null : `${RECO_MODEL}:${r.modelVersion}`,
    ...(choice.experiment === null ? {} : { arm: choice.arm, experiment: choice.experiment }),
  };
}

/**
 * Recommendations from the promoted recommender (or, for `NEXTOFFER_CHALLENGER_SHARE` of clients,
 * a registered challenger). A client the model has not seen gets the cold-start answer (client
 * features only, blended with segment popularity), marked `fallback`. Online requests take
 * `{history?: [[product…], …], …client attributes}` as features and are answered by the champion.
 * Champion answers feed the drift monitor.
 */
export function recommendationService(
  router: ArmRouter<Recommender>,
  drift?: DriftMonitors,
): RecommendationService {
  const model = (choice: ArmChoice<Recommender>): Recommender => {
    if (choice.model === undefined) throw unavailable('recommendation', 'nextoffer train');
    return choice.model;
  };
  const observe = (
    r: Recommender,
    client: number | OnlineClient,
    a: Recommendation,
    c: ArmChoice<Recommender>,
  ) => {
    const version = router.championVersion();
    if (drift && c.arm === 'champion' && version !== null)
      drift.observe(RECO_MODEL, version, recoObservation(r, client, a));
  };
  return {
    recommend(clientId, k) {
      try {
        const choice = router.choose(clientId);
        const r = model(choice);
        const id = Number(clientId);
        if (Number.isSafeInteger(id) && r.hasClient(id)) {
          const a = r.recommend(id, k);
          observe(r, id, a, choice);
          return Promise.resolve(answer(a, choice));
        }
        return Promise.resolve(answer(r.recommendOnline({}, k), choice, 'fallback'));
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
        const choice = router.champion();
        const r = model(choice);
        const a = r.recommendOnline(client, k);
        observe(r, client, a, choice);
        return Promise.resolve(answer(a, choice));
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
  const learning = wireLearning(db, artifacts, config, {
    intervalMs,
    onError: warn,
    log: (level, message) => process.stderr.write(`${level}: ${message}\n`),
  });
  const decider = configuredDecider(config, db);
  await Promise.all([segments.start(), learning.start()]);
  return {
    ...(await storeServices(db, artifacts)),
    offers: decidedOffers(
      offerService(config, new OfferLog(db), learning.confidence, learning.drift),
      decider,
    ),
    segments: segmentService(segments),
    recommendations: decidedRecommendations(
      recommendationService(learning.reco, learning.drift),
      decider,
      recommenderFacts((id) => learning.reco.choose(id).model),
    ),
    learning: { ...learning.service, stop: () => learning.stop() },
  };
}
