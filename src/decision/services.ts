/**
 * The decisioning step wrapped around the API's recommendation and offer services: the policy is
 * applied before ranking (recommendations: every candidate product is scored, the ineligible ones
 * are dropped, the rest ranked by the arbitration score) and before generating (offers: an
 * ineligible product/channel gets no text, only the reasons; a contact slot is reserved atomically).
 */
import type {
  DecisionOptions,
  ExcludedOfferAnswer,
  OfferAnswer,
  OfferRequestItem,
  OfferService,
  RecommendationService,
  ServiceRecommendation,
} from '../api/services.js';
import { channelOf, productOf } from '../offers/catalog.js';
import { N_PRODUCTS } from '../reco/products.js';
import { factsFromFeatures, type ClientFacts } from './client.js';
import { UNKNOWN_CLIENT, type Decider } from './decider.js';
import { channelExclusions, contactExclusions, limitsOf, type Exclusion } from './eligibility.js';

const numericId = (id: string): number | null => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/**
 * Recommendations through the policy. `factsOf` gives what is known of a client by id (the
 * recommender's client store); an unknown client is judged on no facts (rules needing one exclude).
 */
export function decidedRecommendations(
  inner: RecommendationService,
  decider: Decider,
  factsOf: (clientId: string) => ClientFacts | null,
): RecommendationService {
  const decide = async (
    clientId: string | null,
    facts: ClientFacts,
    r: Pick<ServiceRecommendation, 'items'>,
    k: number,
    options: DecisionOptions | undefined,
  ) => {
    const d = await decider.rank(clientId === null ? null : numericId(clientId), facts, r.items, k);
    return { items: d.items, ...(options?.explain === true ? { excluded: d.excluded } : {}) };
  };
  return {
    async recommend(clientId, k, options) {
      // Every product is scored so that the eligible ones can be ranked (k > N_PRODUCTS fails as before).
      const r = await inner.recommend(clientId, Math.max(k, N_PRODUCTS));
      return { ...r, ...(await decide(clientId, factsOf(clientId) ?? UNKNOWN_CLIENT, r, k, options)) };
    },
    async recommendOnline(features, k, options) {
      const r = await inner.recommendOnline(features, Math.max(k, N_PRODUCTS));
      return { ...r, ...(await decide(null, factsFromFeatures(features, decider.channels), r, k, options)) };
    },
    async decide(clientId, items, k, options) {
      return decide(clientId, factsOf(clientId) ?? UNKNOWN_CLIENT, { items }, k, options);
    },
  };
}

/** Offers through the policy (see the module comment); answers keep the request order. */
export function decidedOffers(inner: OfferService, decider: Decider): OfferService {
  const { policy, catalog } = decider;
  return {
    async generate(items) {
      items.forEach((i) => (productOf(catalog, i.product), channelOf(catalog, i.channel)));
      const facts = items.map((i) => factsFromFeatures(i.features, decider.channels));
      const histories = await decider.histories(items.map((i) => i.client_id));
      // Contacts earlier items of this batch will take count against later ones.
      const pending = new Map<string, number>();
      const verdicts: Exclusion[][] = items.map((i, n) => {
        const history = histories.get(i.client_id)!;
        const key = `${i.client_id}:${i.channel}`;
        const ex = [
          ...decider.productExclusions(facts[n], history, i.product),
          ...channelExclusions(policy, facts[n], i.product, i.channel),
          ...contactExclusions(policy, history, i.product, i.channel, pending.get(key) ?? 0),
        ];
        if (ex.length === 0) pending.set(key, (pending.get(key) ?? 0) + 1);
        return ex;
      });
      const open = items.flatMap((_, n) => (verdicts[n].length === 0 ? [n] : []));
      const ledger = decider.ledger;
      const reservations = ledger
        ? await ledger.reserve(
            open.map((n) => ({
              clientId: items[n].client_id,
              channel: items[n].channel,
              product: items[n].product,
              limits: limitsOf(policy, items[n].channel),
            })),
          )
        : open.map(() => ({ ok: true as const, id: null }));
      reservations.forEach((r, j) => {
        const i = items[open[j]];
        if (!r.ok)
          verdicts[open[j]] = [
            {
              product: i.product,
              channel: i.channel,
              rule: 'CONTACT_LIMIT',
              reason: `${r.count} contacts on ${i.channel} in ${r.days} days; limit ${r.max} (${r.path})`,
            },
          ];
      });
      const go = open.filter((n) => verdicts[n].length === 0);
      let generated: (OfferAnswer | ExcludedOfferAnswer)[] = [];
      try {
        if (go.length > 0)
          generated = await inner.generate(go.map((n): OfferRequestItem => withoutExplain(items[n])));
      } finally {
        await ledger?.release(reservations.map((r) => (r.ok ? r.id : null)));
      }
      const byIndex = new Map(go.map((n, j) => [n, generated[j]]));
      return items.map((i, n): OfferAnswer | ExcludedOfferAnswer => {
        const answer = byIndex.get(n);
        if (answer === undefined)
          return {
            client_id: i.client_id,
            product: i.product,
            channel: i.channel,
            eligible: false,
            excluded: verdicts[n],
          };
        if (i.explain !== true) return answer;
        const history = histories.get(i.client_id)!;
        const others = decider.channels
          .filter((c) => c !== i.channel)
          .flatMap((c) => decider.offerExclusions(facts[n], history, i.product, c));
        return { ...answer, excluded: others };
      });
    },
  };
}

function withoutExplain(item: OfferRequestItem): OfferRequestItem {
  const { explain: _explain, ...rest } = item;
  return rest;
}
