/** Personal offer texts: the public entry points of the module. */
export {
  createOfferEngine,
  type OfferAnswer,
  type OfferEngine,
  type OfferEngineOptions,
  type OfferRequestItem,
} from './engine.js';
export {
  loadCatalog,
  loadConfiguredCatalog,
  catalogPathFrom,
  parseCatalog,
  checkCatalog,
  DEFAULT_CATALOG_PATH,
  type Catalog,
  type Product,
  type Channel,
} from './catalog.js';
export {
  checkOffer,
  assertCompliant,
  isCompliant,
  type Finding,
  type CheckInput,
} from './compliance/check.js';
export { RULES, type Rule } from './compliance/rules.js';
export { ConfidenceModel, priorOf, type CalibrationReport, type TrainingExample } from './confidence.js';
export { smsInfo, limitViolations } from './channel-limits.js';
export { clientProfile, type ClientProfile } from './features.js';
export { createRewriter, REWRITE_TIMEOUT_MS, type RewriterOptions } from './rewriter.js';
export { trainFromLog, loadConfidenceModel, saveConfidenceModel, CONFIDENCE_ARTIFACT } from './feedback.js';
export { loadClients, type ClientRecord } from './clients.js';
