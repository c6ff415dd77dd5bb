/**
 * Feedback learning: turns the outcomes operators recorded (`OfferLog.trainingSet`) into training
 * examples, fits the confidence model, and keeps it in the artifact store (`offers/confidence.json`)
 * where `nextoffer offers` and the API load it from.
 */
import type { ArtifactStore } from '../store/artifacts.js';
import type { OfferLog, TrainingRow } from '../store/offers.js';
import type { Catalog } from './catalog.js';
import { ConfidenceModel, priorOf, type ConfidenceFitOptions, type TrainingExample } from './confidence.js';

export const CONFIDENCE_ARTIFACT = 'offers/confidence.json';

/** Training examples from stored outcomes; offers of products no longer in the catalog are skipped. */
export function trainingExamples(rows: readonly TrainingRow[], catalog: Catalog): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const r of rows) {
    const product = catalog.products.find((p) => p.code === r.product);
    if (!product) continue;
    const score = typeof r.features.score === 'number' ? r.features.score : undefined;
    out.push({
      features: r.features,
      product: r.product,
      channel: r.channel,
      elements: r.elements,
      prior: priorOf(product, score),
      success: r.outcome === 'success',
    });
  }
  return out;
}

/** Fits the confidence model on everything the log holds. */
export async function trainFromLog(
  log: OfferLog,
  catalog: Catalog,
  options: ConfidenceFitOptions = {},
): Promise<ConfidenceModel> {
  return ConfidenceModel.fit(trainingExamples(await log.trainingSet(), catalog), catalog, options);
}

export async function saveConfidenceModel(store: ArtifactStore, model: ConfidenceModel): Promise<void> {
  await store.put(CONFIDENCE_ARTIFACT, JSON.stringify(model.toJSON()), 'application/json');
}

/** The stored model, or undefined before the first training. */
export async function loadConfidenceModel(store: ArtifactStore): Promise<ConfidenceModel | undefined> {
  if (!(await store.exists(CONFIDENCE_ARTIFACT))) return undefined;
  return ConfidenceModel.fromJSON(JSON.parse((await store.get(CONFIDENCE_ARTIFACT)).toString('utf8')));
}
