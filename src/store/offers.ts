/**
 * Repository of generated offers and their outcomes (`offers`, `offer_outcomes`, migration 003).
 * `save` records the texts returned to a caller; `mark` records an operator's verdict (the latest
 * verdict of an offer counts); `trainingSet` joins each marked offer with its latest outcome, the
 * input of `nextoffer offers train`.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { JsonObject, Queryable } from './db.js';

export type OfferOutcome = 'success' | 'failure';

export interface OfferToSave {
  client_id: number;
  product: string;
  channel: string;
  locale?: 'ru' | 'en';
  text: string;
  title?: string;
  subject?: string;
  elements: readonly string[];
  features: Record<string, unknown>;
  confidence: number;
  /** Champion/challenger arm that answered (null outside an experiment; migration 006). */
  arm?: 'champion' | 'challenger' | null;
  /** `name:version` of the model that answered. */
  model_version?: string | null;
  /** `name:version` of the challenger under test when the offer was made. */
  experiment?: string | null;
}

export interface SavedOffer extends Required<
  Omit<OfferToSave, 'title' | 'subject' | 'arm' | 'model_version' | 'experiment'>
> {
  offerId: string;
  requestId: string | null;
  title: string | null;
  subject: string | null;
  createdAt: Date;
}

export interface OutcomeRecord {
  offerId: string;
  outcome: OfferOutcome;
  comment: string | null;
  userName: string | null;
  createdAt: Date;
}

export interface TrainingRow {
  offerId: string;
  clientId: number;
  product: string;
  channel: string;
  locale: 'ru' | 'en';
  elements: string[];
  features: JsonObject;
  confidence: number;
  outcome: OfferOutcome;
}

interface OfferRow {
  offer_id: string;
  request_id: string | null;
  client_id: number;
  product: string;
  channel: string;
  locale: 'ru' | 'en';
  text: string;
  title: string | null;
  subject: string | null;
  elements: string[];
  features: JsonObject;
  confidence: number;
  created_at: Date;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalid = (m: string) => new AppError('ARGUMENT_INVALID', m);

function checkOffer(o: OfferToSave, i: number): void {
  const at = `offers[${i}]`;
  if (!Number.isSafeInteger(o.client_id)) throw invalid(`${at}.client_id: must be an integer`);
  if (!o.product) throw invalid(`${at}.product: must not be empty`);
  if (!o.channel) throw invalid(`${at}.channel: must not be empty`);
  if (!(o.confidence >= 0 && o.confidence <= 1))
    throw invalid(`${at}.confidence: ${o.confidence} is not in 0..1`);
  if (!Array.isArray(o.elements)) throw invalid(`${at}.elements: must be an array of phrase ids`);
}

export class OfferLog {
  readonly #db: Queryable;

  constructor(db: Queryable) {
    this.#db = db;
  }

  /** Stores offers (one statement for the batch) and returns their ids, in order. */
  async save(offers: readonly OfferToSave[], requestId?: string): Promise<string[]> {
    if (offers.length === 0) return [];
    offers.forEach(checkOffer);
    const ids = offers.map(() => randomUUID());
    await this.#db.query(
      `insert into offers (offer_id, request_id, client_id, product, channel, locale, text, title, subject,
                           elements, features, confidence, arm, model_version, experiment)
       select x.offer_id, $1, x.client_id, x.product, x.channel, coalesce(x.locale, 'ru'), x.text, x.title,
              x.subject, coalesce(x.elements, '[]'::jsonb), coalesce(x.features, '{}'::jsonb), x.confidence,
              x.arm, x.model_version, x.experiment
         from jsonb_to_recordset($2::jsonb)
              as x(offer_id uuid, client_id bigint, product text, channel text, locale text, text text,
                   title text, subject text, elements jsonb, features jsonb, confidence double precision,
                   arm text, model_version text, experiment text)`,
      [requestId ?? null, JSON.stringify(offers.map((o, k) => ({ ...o, offer_id: ids[k] })))],
    );
    return ids;
  }

  /** One saved offer; `OFFER_NOT_FOUND` when the id is unknown. */
  async get(offerId: string): Promise<SavedOffer> {
    if (!UUID_RE.test(offerId)) throw invalid(`offer id ${JSON.stringify(offerId)} is not a UUID`);
    const [r] = await this.#db.query<OfferRow>(
      `select offer_id, request_id, client_id, product, channel, locale, text, title, subject, elements,
              features, confidence, created_at
         from offers where offer_id = $1`,
      [offerId],
    );
    if (!r) throw new AppError('OFFER_NOT_FOUND', `no offer with id ${offerId}`);
    return {
      offerId: r.offer_id,
      requestId: r.request_id,
      client_id: r.client_id,
      product: r.product,
      channel: r.channel,
      locale: r.locale,
      text: r.text,
      title: r.title,
      subject: r.subject,
      elements: r.elements,
      features: r.features,
      confidence: r.confidence,
      createdAt: r.created_at,
    };
  }

  /** Records an operator's verdict on an offer; clear errors for an unknown id or outcome. */
  async mark(
    offerId: string,
    outcome: OfferOutcome,
    comment?: string,
    user?: string,
  ): Promise<OutcomeRecord> {
    if (!UUID_RE.test(offerId)) throw invalid(`offer id ${JSON.stringify(offerId)} is not a UUID`);
    if (outcome !== 'success' && outcome !== 'failure')
      throw invalid(`outcome ${JSON.stringify(outcome)}: must be success or failure`);
    const rows = await this.#db.query<{
      offer_id: string;
      outcome: OfferOutcome;
      comment: string | null;
      user_name: string | null;
      created_at: Date;
    }>(
      `insert into offer_outcomes (offer_id, outcome, comment, user_name)
       select offer_id, $2, $3, $4 from offers where offer_id = $1
       returning offer_id, outcome, comment, user_name, created_at`,
      [offerId, outcome, comment ?? null, user ?? null],
    );
    if (rows.length === 0)
      throw new AppError('OFFER_NOT_FOUND', `no offer with id ${offerId}: outcome not recorded`);
    const r = rows[0];
    return {
      offerId: r.offer_id,
      outcome: r.outcome,
      comment: r.comment,
      userName: r.user_name,
      createdAt: r.created_at,
    };
  }

  /** Every marked offer with its latest outcome, in the order the offers were saved. */
  async trainingSet(): Promise<TrainingRow[]> {
    const rows = await this.#db.query<OfferRow & { outcome: OfferOutcome }>(
      `select o.offer_id, o.client_id, o.product, o.channel, o.locale, o.elements, o.features, o.confidence,
              l.outcome
         from offers o
         join lateral (select outcome from offer_outcomes u where u.offer_id = o.offer_id order by u.id desc limit 1) l on true
        order by o.seq`,
    );
    return rows.map((r) => ({
      offerId: r.offer_id,
      clientId: r.client_id,
      product: r.product,
      channel: r.channel,
      locale: r.locale,
      elements: r.elements,
      features: r.features,
      confidence: r.confidence,
      outcome: r.outcome,
    }));
  }

  /** Counts of offers and outcomes (for status output). */
  async counts(): Promise<{ offers: number; outcomes: number }> {
    const [r] = await this.#db.query<{ offers: number; outcomes: number }>(
      'select (select count(*) from offers) as offers, (select count(*) from offer_outcomes) as outcomes',
    );
    return r;
  }
}
