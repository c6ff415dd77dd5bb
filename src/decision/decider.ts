/**
 * The decisioning step between the models and the caller: drops what the policy forbids for a
 * client (eligibility, then the contact policy read from the offer log) and ranks what is left by
 * the arbitration score. Used by the recommendation and offer services (`services.ts`) and by
 * `nextoffer policy explain`.
 */
import type { Catalog } from '../offers/catalog.js';
import { arbitrate, utcDate, type ScoredItem } from './arbitration.js';
import type { ClientFacts } from './client.js';
import { EMPTY_HISTORY, type ContactLedger } from './contacts.js';
import {
  channelExclusions,
  contactExclusions,
  productExclusions,
  suppressionExclusions,
  type ContactHistory,
  type Exclusion,
} from './eligibility.js';
import type { Policy } from './policy.js';

export interface DeciderOptions {
  policy: Policy;
  catalog: Catalog;
  /** The offer log's contacts and failures; null: the contact policy sees no history. */
  ledger: ContactLedger | null;
  /** Clock for the levers' date windows (tests). */
  now?: () => Date;
}

export interface Decision {
  items: ScoredItem[];
  excluded: Exclusion[];
}

/** Facts of a client nothing is known about: rules that need a fact exclude (fail closed). */
export const UNKNOWN_CLIENT: ClientFacts = {
  age: null,
  codProv: null,
  regions: [],
  holdings: new Set(),
  consent: null,
};

export class Decider {
  readonly policy: Policy;
  readonly catalog: Catalog;
  readonly channels: readonly string[];
  readonly #ledger: ContactLedger | null;
  readonly #now: () => Date;
  /** The widest window of the contact policy, in days (0: no contact policy). */
  readonly #days: number;

  constructor(options: DeciderOptions) {
    this.policy = options.policy;
    this.catalog = options.catalog;
    this.channels = options.catalog.channels.map((c) => c.code);
    this.#ledger = options.ledger;
    this.#now = options.now ?? (() => new Date());
    this.#days = Math.max(
      0,
      ...options.policy.limits.map((l) => l.days),
      ...options.policy.suppression.map((s) => s.days),
    );
  }

  get ledger(): ContactLedger | null {
    return this.#ledger;
  }

  today(): string {
    return utcDate(this.#now());
  }

  /** The client's contacts and failures from the offer log (empty without a client id or policy). */
  async history(clientId: number | null): Promise<ContactHistory> {
    if (clientId === null || this.#ledger === null || this.#days === 0) return EMPTY_HISTORY;
    return this.#ledger.history(clientId, this.#days);
  }

  /** `history` of several clients, read in one query. */
  async histories(clientIds: readonly number[]): Promise<Map<number, ContactHistory>> {
    if (this.#ledger === null || this.#days === 0) return new Map(clientIds.map((id) => [id, EMPTY_HISTORY]));
    return this.#ledger.histories(clientIds, this.#days);
  }

  /** Why a product may not be offered to the client on any channel (a zero lever switches it off). */
  productExclusions(facts: ClientFacts, history: ContactHistory, product: string): Exclusion[] {
    const lever = arbitrate([{ product, score: 1, reasons: [] }], this.catalog, this.policy, this.today());
    return [
      ...productExclusions(this.policy, facts, product),
      ...suppressionExclusions(this.policy, history, product),
      ...lever.excluded,
    ];
  }

  /** Why a product may not be offered on a channel (contact limits as of `history`). */
  offerExclusions(
    facts: ClientFacts,
    history: ContactHistory,
    product: string,
    channel: string,
  ): Exclusion[] {
    return [
      ...this.productExclusions(facts, history, product),
      ...channelExclusions(this.policy, facts, product, channel),
      ...contactExclusions(this.policy, history, product, channel),
    ];
  }

  /**
   * Filters candidate items (score = propensity) with the product rules, then ranks the eligible
   * ones by the arbitration score and keeps the top `k`. Products the client holds are dropped too
   * (a recommendation is for a product not owned yet).
   */
  async rank(
    clientId: number | null,
    facts: ClientFacts,
    candidates: readonly ScoredItem[],
    k: number,
  ): Promise<Decision> {
    const history = await this.history(clientId);
    const excluded: Exclusion[] = [];
    const eligible: ScoredItem[] = [];
    for (const item of candidates) {
      const ex = this.productExclusions(facts, history, item.product);
      if (ex.length === 0 && facts.holdings.has(item.product))
        ex.push({
          product: item.product,
          rule: 'HOLDS_PRODUCT',
          reason: `client holds ${item.product} already`,
        });
      if (ex.length > 0) excluded.push(...ex);
      else eligible.push(item);
    }
    const ranked = arbitrate(eligible, this.catalog, this.policy, this.today());
    return { items: ranked.items.slice(0, k), excluded: [...excluded, ...ranked.excluded] };
  }

  /** Every product × channel of the catalog for a client: eligible, or why not (CLI `policy explain`). */
  async explain(
    clientId: number | null,
    facts: ClientFacts,
  ): Promise<{ product: string; channel: string; excluded: Exclusion[] }[]> {
    const history = await this.history(clientId);
    return this.catalog.products.flatMap((p) =>
      this.channels.map((channel) => ({
        product: p.code,
        channel,
        excluded: this.offerExclusions(facts, history, p.code, channel),
      })),
    );
  }
}
