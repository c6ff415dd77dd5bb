/**
 * Drift inputs of the recommender: the numeric client attributes it scores on (`ATTRIBUTES`, as
 * encoded for the model) and the top recommendation's score. The reference is taken at training
 * time from the clients in the model's store (every attribute; the score on an evenly spaced
 * sample), and each served request is observed the same way.
 */
import { ATTRIBUTES, findClient } from '../reco/history.js';
import { encodeAttributes, type OnlineClient } from '../reco/online.js';
import type { Recommendation, Recommender } from '../reco/recommender.js';
import { buildReference, type DriftReference } from './drift.js';
import { SCORE_FEATURE } from './drift-monitor.js';

function attributesRecord(values: ArrayLike<number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  ATTRIBUTES.forEach((a, i) => (out[a] = values[i]));
  return out;
}

/** Reference of the recommender's inputs over (a sample of) its clients and of its top score. */
export function recoDriftReference(
  r: Recommender,
  options: { maxClients?: number; scored?: number } = {},
): DriftReference {
  const { clients, attributes } = r.store;
  const A = ATTRIBUTES.length;
  const n = clients.length;
  const take = Math.min(n, options.maxClients ?? 20_000);
  const scored = Math.min(take, options.scored ?? 2000);
  const records: Record<string, unknown>[] = [];
  for (let j = 0; j < take; j++) {
    const c = Math.floor((j * n) / take);
    const rec = attributesRecord(attributes.subarray(c * A, (c + 1) * A));
    if (j % Math.max(1, Math.floor(take / Math.max(1, scored))) === 0)
      rec[SCORE_FEATURE] = r.recommend(clients[c], 1).items[0]?.score ?? null;
    records.push(rec);
  }
  return buildReference(records, { minPresent: 0 });
}

/** The drift record of an answer for a known client (its stored attributes) or an online client. */
export function recoObservation(
  r: Recommender,
  client: number | OnlineClient,
  answer: Recommendation,
): Record<string, unknown> {
  const A = ATTRIBUTES.length;
  let values: ArrayLike<number>;
  if (typeof client === 'number') {
    const c = findClient(r.store.clients, client);
    values = c < 0 ? new Float32Array(A).fill(Number.NaN) : r.store.attributes.subarray(c * A, (c + 1) * A);
  } else values = encodeAttributes(client.attributes ?? {}, r.store.lastMonth);
  return { ...attributesRecord(values), [SCORE_FEATURE]: answer.items[0]?.score ?? null };
}
