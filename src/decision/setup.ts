/**
 * Wiring of the decisioning step for the server: the configured policy (`NEXTOFFER_POLICY_FILE`)
 * validated against the configured catalog, the offer log as contact ledger, and the facts the
 * recommender knows about its clients.
 */
import type { ModelHolder } from '../api/model-holder.js';
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

/** Facts of a client by id from the promoted recommender's client store (null: not known). */
export function recommenderFacts(holder: Pick<ModelHolder<Recommender>, 'current'>) {
  return (clientId: string): ClientFacts | null => {
    const held = holder.current();
    const id = Number(clientId);
    if (held === null || !/^\d{1,15}$/.test(clientId)) return null;
    return factsFromRecommender(held.model, id);
  };
}
