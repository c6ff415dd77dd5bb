/**
 * Wiring of the decisioning step for the server: the configured policy (`NEXTOFFER_POLICY_FILE`)
 * validated against the configured catalog, the offer log as contact ledger, and the facts the
 * recommender knows about its clients.
 */
import type { Config } from '../config.js';
import { loadConfiguredCatalog } from '../offers/catalog.js';
import type { Recommender } from '../reco/recommender.js';
import type { Database } from '../store/db.js';
import { factsFromRecommender, type ClientFacts } from './client.js';
import { ContactLedger } from './contacts.js';
import { Decider } from './decider.js';
import { loadPolicy, policyPathFrom } from './policy.js';

/** The decider of the configuration; throws `POLICY_INVALID` naming the file and rule. */
export function configuredDecider(
  config: Pick<Config, 'catalog' | 'policyFile'>,
  db: Database | null,
): Decider {
  const catalog = loadConfiguredCatalog(config);
  const policy = loadPolicy(policyPathFrom(config), catalog);
  return new Decider({ policy, catalog, ledger: db === null ? null : new ContactLedger(db) });
}

/**
 * Facts of a client by id from the client store of the recommender that serves it (`model` gives
 * that recommender, e.g. the promoted one, or the client's champion/challenger arm); null: unknown.
 */
export function recommenderFacts(model: (clientId: string) => Recommender | null | undefined) {
  return (clientId: string): ClientFacts | null => {
    if (!/^\d{1,15}$/.test(clientId)) return null;
    const r = model(clientId);
    return r ? factsFromRecommender(r, Number(clientId)) : null;
  };
}
