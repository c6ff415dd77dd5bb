/**
 * The contact ledger: what the contact policy reads from the offer log and how a request takes a
 * contact slot. A contact is an offer served (`offers` row). Counting uses the index
 * `offers_client_channel_idx` (migration 005).
 *
 * Reserving is atomic: in one transaction the request takes an advisory lock per (client, channel)
 * (in sorted order, so batches never dead-lock), counts the offers in each limit's window plus the
 * reservations of requests still in flight, and inserts a reservation only while every count is
 * below its limit. The reservation is deleted after the offers are saved (or on failure), so at any
 * moment each served or in-flight contact is counted at least once: two concurrent requests can
 * never both pass the last free slot. Reservations older than `PENDING_MINUTES` (a crashed
 * process) no longer count.
 */
import type { Database, Queryable } from '../store/db.js';
import type { ContactHistory } from './eligibility.js';

export const PENDING_MINUTES = 10;
/** First key of the advisory locks (namespace of this module). */
const LOCK_CLASS = 5005;

export interface ReservationRequest {
  clientId: number;
  channel: string;
  product: string;
  /** The contact limits of the channel; `path` names the rule in the policy file. */
  limits: readonly { max: number; days: number; path?: string }[];
}

export type Reservation =
  { ok: true; id: number | null } | { ok: false; count: number; max: number; days: number; path: string };

interface HistoryRow {
  client_id: number;
  channel: string;
  product: string;
  age_days: number;
  outcome: string | null;
}

export const EMPTY_HISTORY: ContactHistory = { contacts: () => 0, failures: () => 0 };

export class ContactLedger {
  readonly #db: Database;
  #reserves = 0;

  constructor(db: Database) {
    this.#db = db;
  }

  /** A client's offers of the last `days` days with their latest outcomes, as counts. */
  async history(clientId: number, days: number): Promise<ContactHistory> {
    return (await this.histories([clientId], days)).get(clientId) ?? EMPTY_HISTORY;
  }

  /** `history` of several clients in one query. */
  async histories(clientIds: readonly number[], days: number): Promise<Map<number, ContactHistory>> {
    const ids = [...new Set(clientIds)];
    const rows = await this.#db.query<HistoryRow>(
      `select o.client_id, o.channel, o.product,
              (extract(epoch from now() - o.created_at) / 86400)::float8 as age_days, l.outcome
         from offers o
         left join lateral (select outcome from offer_outcomes u where u.offer_id = o.offer_id
                             order by u.id desc limit 1) l on true
        where o.client_id in (select jsonb_array_elements_text($1::jsonb)::bigint)
          and o.created_at > now() - make_interval(days => $2)`,
      [JSON.stringify(ids), days],
    );
    return new Map(
      ids.map((id) => {
        const own = rows.filter((r) => r.client_id === id);
        const history: ContactHistory = {
          contacts: (channel, d) => own.filter((r) => r.channel === channel && r.age_days < d).length,
          failures: (product, d) =>
            own.filter((r) => r.product === product && r.outcome === 'failure' && r.age_days < d).length,
        };
        return [id, history];
      }),
    );
  }

  /** Takes a contact slot per request (in order); see the module comment. */
  async reserve(requests: readonly ReservationRequest[]): Promise<Reservation[]> {
    const limited = requests.filter((r) => r.limits.length > 0);
    if (limited.length === 0) return requests.map(() => ({ ok: true, id: null }));
    if (++this.#reserves % 100 === 1)
      await this.#db.query(
        `delete from contact_reservations where created_at < now() - make_interval(mins => $1)`,
        [PENDING_MINUTES * 6],
      );
    return this.#db.transaction(async (tx) => {
      const keys = [...new Set(limited.map((r) => `${r.clientId}:${r.channel}`))].sort();
      for (const key of keys)
        await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, key]);
      const out: Reservation[] = [];
      for (const r of requests)
        out.push(r.limits.length === 0 ? { ok: true, id: null } : await reserveOne(tx, r));
      return out;
    });
  }

  /** Drops reservations once their offers are saved or their request failed. */
  async release(ids: readonly (number | null)[]): Promise<void> {
    const real = ids.filter((x): x is number => x !== null);
    if (real.length === 0) return;
    await this.#db.query(
      'delete from contact_reservations where id in (select jsonb_array_elements_text($1::jsonb)::bigint)',
      [JSON.stringify(real)],
    );
  }
}

/** Contacts (offers and pending reservations) per limit window of one request. */
const COUNTS = `
  select l.max, l.days, l.path,
         (select count(*) from offers
           where client_id = $1 and channel = $2 and created_at > now() - make_interval(days => l.days))
       + (select count(*) from contact_reservations
           where client_id = $1 and channel = $2 and created_at > now() - make_interval(mins => $4)) as n
    from jsonb_to_recordset($3::jsonb) as l(max int, days int, path text)`;

async function reserveOne(tx: Queryable, r: ReservationRequest): Promise<Reservation> {
  const params = [r.clientId, r.channel, JSON.stringify(r.limits), PENDING_MINUTES, r.product];
  // One statement on the common path: insert only while every window is below its limit.
  const inserted = await tx.query<{ id: number }>(
    `with counts as (${COUNTS})
     insert into contact_reservations (client_id, channel, product)
     select $1, $2, $5 where not exists (select 1 from counts where n >= max)
     returning id`,
    params,
  );
  if (inserted.length === 1) return { ok: true, id: inserted[0].id };
  const counts = await tx.query<{ max: number; days: number; path: string | null; n: number }>(
    COUNTS,
    params.slice(0, 4),
  );
  const full = counts.find((c) => c.n >= c.max) ?? { max: 0, days: 0, path: null, n: 0 };
  return { ok: false, count: full.n, max: full.max, days: full.days, path: full.path ?? 'contacts.limits' };
}
