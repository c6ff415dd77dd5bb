/**
 * The offer engine: for each request item (client × product × channel) samples candidate texts from
 * the phrase grammar, keeps those with no compliance finding that fit the channel, picks one by
 * Thompson sampling and attaches its confidence. When no candidate passes, a safe fallback text is
 * returned with lower confidence; when the channel needs consent the client has not given, no text
 * is returned (empty text, the CONSENT_REQUIRED finding). Synchronous; the same input and seed give
 * the same answer, whatever else is in the batch.
 */
import { AppError } from '../errors.js';
import { Rng } from '../ml/random.js';
import { thompsonOrder, type ElementStats } from './bandit.js';
import { channelOf, productOf, type Catalog } from './catalog.js';
import { smsInfo } from './channel-limits.js';
import { checkOffer, type Finding } from './compliance/check.js';
import { RULES } from './compliance/rules.js';
import { ConfidenceModel, fnv1a, priorOf } from './confidence.js';
import { clientProfile } from './features.js';
import { fallbackCandidate, sampleCandidates, type Candidate, type GrammarContext } from './grammar.js';
import type { Locale } from './morphology.js';

export interface OfferRequestItem {
  client_id: number;
  features: Record<string, unknown>;
  product: string;
  channel: string;
  locale?: Locale;
  /** Consent to ads: one flag for every channel, or flags by channel code (`{SMS: true, TMO: false}`). */
  consent?: boolean | Record<string, boolean>;
  /** Recommendation score of the product for this client (0..1); default: a numeric `score` feature, else catalog popularity. */
  score?: number;
}

export interface OfferAnswer {
  client_id: number;
  product: string;
  channel: string;
  locale: Locale;
  text: string;
  title?: string;
  subject?: string;
  confidence: number;
  /** SMS segments of the text (SMS channels only, else null). */
  sms_segments: number | null;
  findings: Finding[];
  elements: string[];
  fallback: boolean;
}

export interface OfferEngineOptions {
  catalog: Catalog;
  confidenceModel?: ConfidenceModel;
  seed?: number;
  /** Candidates sampled per item before filtering. Default 8. */
  candidates?: number;
  /** Confidence of a fallback text, as a share of the prior. Default 0.5. */
  fallbackDiscount?: number;
}

export interface OfferEngine {
  readonly catalog: Catalog;
  generate(items: readonly OfferRequestItem[]): OfferAnswer[];
}

/** Rules checked on each candidate: consent is decided once per item, not per text. */
const TEXT_RULES = RULES.filter((r) => r.test.type !== 'consent');

function consentFor(item: OfferRequestItem, channel: string): boolean | undefined {
  const c = item.consent;
  if (c === undefined || typeof c === 'boolean') return c;
  return c[channel];
}

export function createOfferEngine(options: OfferEngineOptions): OfferEngine {
  const { catalog, confidenceModel } = options;
  const seed = options.seed ?? 0;
  const draws = options.candidates ?? 8;
  const discount = options.fallbackDiscount ?? 0.5;
  const stats: ElementStats = confidenceModel?.elementStats ?? {};
  const consentRule = RULES.find((r) => r.test.type === 'consent')!;

  function one(item: OfferRequestItem): OfferAnswer {
    if (!Number.isSafeInteger(item.client_id))
      throw new AppError('ARGUMENT_INVALID', `client_id ${String(item.client_id)}: must be an integer`);
    const product = productOf(catalog, item.product);
    const channel = channelOf(catalog, item.channel);
    const locale = item.locale ?? 'ru';
    if (locale !== 'ru' && locale !== 'en')
      throw new AppError('ARGUMENT_INVALID', `locale "${String(locale)}": must be ru or en`);
    const profile = clientProfile(item.features);
    const featureScore = item.features.score;
    const prior = priorOf(
      product,
      item.score ?? (typeof featureScore === 'number' ? featureScore : undefined),
    );
    const base = { client_id: item.client_id, product: product.code, channel: channel.code, locale };
    const consent = consentFor(item, channel.code);
    if (channel.consentRequired && consent !== true) {
      return {
        ...base,
        text: '',
        confidence: 0,
        sms_segments: null,
        findings: [
          {
            code: consentRule.code,
            span: null,
            message: `${consentRule.message}: no consent for ${channel.code}; no text generated`,
            severity: 'error',
            citation: consentRule.citation,
          },
        ],
        elements: [],
        fallback: true,
      };
    }
    const rng = new Rng(fnv1a(`${seed}|${item.client_id}|${product.code}|${channel.code}|${locale}`));
    const ctx: GrammarContext = { profile, product, provider: catalog.provider, channel, locale };
    const passes = (c: Candidate) =>
      checkOffer({ ...c, product, channel, provider: catalog.provider, locale, consent }, TEXT_RULES)
        .length === 0;
    const candidates = sampleCandidates(ctx, rng, draws);
    let chosen: Candidate | null = null;
    let fallback = false;
    for (const i of thompsonOrder(candidates, stats, rng)) {
      if (passes(candidates[i])) {
        chosen = candidates[i];
        break;
      }
    }
    if (chosen === null) {
      const f = fallbackCandidate(ctx);
      if (f !== null && passes(f)) chosen = f;
      fallback = true;
    }
    if (chosen === null) {
      const f = fallbackCandidate(ctx);
      const findings = f
        ? checkOffer({ ...f, product, channel, provider: catalog.provider, locale, consent }, TEXT_RULES)
        : [];
      return { ...base, text: '', confidence: 0, sms_segments: null, findings, elements: [], fallback: true };
    }
    const p = confidenceModel
      ? confidenceModel.predict(profile, product.code, channel.code, chosen.elements, prior)
      : prior;
    return {
      ...base,
      text: chosen.text,
      ...(chosen.title !== undefined ? { title: chosen.title } : {}),
      ...(chosen.subject !== undefined ? { subject: chosen.subject } : {}),
      confidence: fallback ? p * discount : p,
      sms_segments: channel.structure === 'sms' ? smsInfo(chosen.text).segments : null,
      findings: [],
      elements: chosen.elements,
      fallback,
    };
  }

  return {
    catalog,
    generate: (items) =>
      items.map((item, i) => {
        try {
          return one(item);
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.code, `items[${i}]: ${e.message}`, { cause: e });
          throw e;
        }
      }),
  };
}
