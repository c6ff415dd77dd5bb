/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachCsvRow } from '../data/generate/csv-read.js';
import { writeSantanderCsv } from '../data/generate/write.js';
import { ingest } from '../data/ingest/ingest.js';
import { SANTANDER_PRODUCTS } from '../data/santander-schema.js';
import { IngestRuns } from '../store/ingest-runs.js';
import { contractClient, type ContractClient } from './contract.test-util.js';
import { AS, createTestApp, fakeServices, type TestApp } from './testing.test-util.js';

/** The generated file read back independently of DuckDB: one record per line, trimmed. */
type Row = Record<string, string>;

async function readRows(file: string): Promise<Row[]> {
  const out: Row[] = [];
  const header = await forEachCsvRow(file, (f) =>
    out.push(Object.fromEntries(f.map((v, i) => [i, v.trim()]))),
  );
  return out.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const flag = (r: Row, p: string) => (r[p] === '1' ? 1 : 0);
/** The ingest drops the code prefix of `segmento` ("02 - PARTICULARES" → "PARTICULARES"). */
const segmento = (r: Row) => r.segmento.replace(/^\d\d - /, '');

/** quantile_cont: linear interpolation between order statistics. */
function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (pos - lo);
}

describe('GET /v1/clients/{id} and GET /v1/data/eda over a generated dataset', () => {
  let dir: string;
  let rows: Row[];
  let months: string[];
  let t: TestApp;
  let c: ContractClient;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-clients-data-'));
    const file = path.join(dir, 'panel.csv');
    await writeSantanderCsv(file, { customers: 300, months: 4, seed: 5 });
    const report = await ingest(file, { dataDir: dir, threads: 1 });
    expect(report.rowsQuarantined).toBe(0);
    rows = await readRows(file);
    months = [...new Set(rows.map((r) => r.fecha_dato))].sort();
    t = await createTestApp({ services: fakeServices(), env: { NEXTOFFER_DATA_DIR: dir } });
    c = await contractClient(t.app);
  });
  afterAll(async () => {
    expect(c.checked).toBeGreaterThan(8);
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a client: latest profile, products month by month, recommendations, segment, channels', async () => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.ncodpers, (counts.get(r.ncodpers) ?? 0) + 1);
    const id = [...counts].find(([, n]) => n === months.length)![0];
    const mine = rows.filter((r) => r.ncodpers === id);
    const last = mine[mine.length - 1];
    const body = (await c.call({ url: `/v1/clients/${id}?k=2`, headers: AS.operator }, 200)).json();

    expect(body.client_id).toBe(Number(id));
    expect(body.month).toBe(months[months.length - 1]);
    expect(body.profile).toMatchObject({
      age: Number(last.age),
      sexo: last.sexo,
      segmento: segmento(last),
      canal_entrada: last.canal_entrada,
      renta_imputed: last.renta === '',
    });
    if (last.renta !== '') expect(body.profile.renta).toBeCloseTo(Number(last.renta), 2);
    expect(body.timeline.months).toEqual(months);
    expect(body.timeline.products).toEqual([...SANTANDER_PRODUCTS]);
    expect(body.timeline.held).toEqual(mine.map((r) => SANTANDER_PRODUCTS.map((p) => flag(r, p))));
    expect(body.products).toEqual(SANTANDER_PRODUCTS.filter((p) => flag(last, p) === 1));

    // The fake recommender: the first k of its four products; even ids come from the model.
    expect(body.recommendations).toEqual({
      source: Number(id) % 2 === 0 ? 'model' : 'fallback',
      model_version: Number(id) % 2 === 0 ? 'reco@v2' : null,
      items: [
        {
          product: 'ind_recibo_ult1',
          code: 'DIRECT_DEBIT',
          score: 0.9,
          reasons: [`lag:${id}`],
          offer_product: 'DC',
        },
        {
          product: 'ind_nom_pens_ult1',
          code: 'PENSIONS',
          score: 0.8,
          reasons: [`lag:${id}`],
          offer_product: 'DEPOSIT',
        },
      ],
    });
    // The fake segment model splits at age 40.
    expect(body.segment.name).toBe(Number(last.age) >= 40 ? 'mature' : 'young');
    expect(body.offer_channels).toContainEqual({ code: 'SMS', name: 'СМС', consent_required: true });
    expect(body.notes).toEqual([]);
  });

  it('refuses an unknown client (404 NOT_FOUND), a malformed id (400) and the api role (403)', async () => {
    const missing = (await c.call({ url: '/v1/clients/999999', headers: AS.analyst }, 404)).json();
    expect(missing.error.code).toBe('NOT_FOUND');
    expect(missing.error.message).toMatch(/client 999999 is not in the dataset/);
    const bad = (await c.call({ url: '/v1/clients/12ab', headers: AS.analyst }, 400)).json();
    expect(bad.error.code).toBe('VALIDATION_FAILED');
    await c.call({ url: '/v1/clients/1?k=0', headers: AS.analyst }, 400);
    const forbidden = (await c.call({ url: `/v1/clients/${rows[0].ncodpers}`, headers: AS.api }, 403)).json();
    expect(forbidden.error.code).toBe('FORBIDDEN');
  });

  it('GET /v1/data/eda counts ownership, additions and distributions exactly as the CSV has them', async () => {
    const eda = (await c.call({ url: '/v1/data/eda', headers: AS.analyst }, 200)).json();
    const byMonth = months.map((m) => rows.filter((r) => r.fecha_dato === m));
    expect(eda.dataset.months).toEqual(months);
    expect(eda.dataset.rows).toBe(rows.length);
    expect(eda.ownership.months).toEqual(months);
    expect(eda.ownership.clients).toEqual(byMonth.map((rs) => rs.length));
    expect(eda.ownership.held).toEqual(
      byMonth.map((rs) => SANTANDER_PRODUCTS.map((p) => rs.reduce((s, r) => s + flag(r, p), 0))),
    );

    // Additions: held this month, not the month before, among clients present in both months.
    const expectedAdds = months.slice(1).map((m, k) => {
      const before = new Map(byMonth[k].map((r) => [r.ncodpers, r]));
      const pairs = byMonth[k + 1].filter((r) => before.has(r.ncodpers));
      return {
        clients: pairs.length,
        added: SANTANDER_PRODUCTS.map((p) =>
          pairs.reduce((s, r) => s + (flag(r, p) === 1 && flag(before.get(r.ncodpers)!, p) === 0 ? 1 : 0), 0),
        ),
        month: m,
      };
    });
    expect(eda.additions.months).toEqual(expectedAdds.map((a) => a.month));
    expect(eda.additions.clients).toEqual(expectedAdds.map((a) => a.clients));
    expect(eda.additions.added).toEqual(expectedAdds.map((a) => a.added));
    expect(eda.additions.total).toEqual(expectedAdds.map((a) => a.added.reduce((s, x) => s + x, 0)));
    expect(eda.additions.total.reduce((s: number, x: number) => s + x, 0)).toBeGreaterThan(0);

    const latest = byMonth[byMonth.length - 1];
    const top = eda.popularity[0];
    const held = latest.filter((r) => flag(r, top.product) === 1).length;
    expect(top.clients).toBe(held);
    expect(top.share).toBeCloseTo(held / latest.length, 12);
    expect(Math.max(...SANTANDER_PRODUCTS.map((p) => latest.filter((r) => flag(r, p) === 1).length))).toBe(
      held,
    );

    // Age: 5-year bins over the latest month.
    for (const bin of eda.age.bins) {
      const n = latest
        .filter((r) => r.age !== '' && Math.min(Number(r.age), 100) >= bin.from)
        .filter((r) => bin.to === null || Number(r.age) < bin.to).length;
      expect(n, `age ${bin.from}`).toBe(bin.clients);
    }
    expect(
      eda.age.bins.reduce((s: number, b: { clients: number }) => s + b.clients, 0) + eda.age.missing,
    ).toBe(latest.length);

    // Income: imputed rows left out; the median is the declared incomes' median.
    const declared = latest
      .filter((r) => r.renta !== '')
      .map((r) => Number(r.renta))
      .sort((a, b) => a - b);
    expect(eda.income.imputed).toBe(latest.length - declared.length);
    expect(eda.income.bins.reduce((s: number, b: { clients: number }) => s + b.clients, 0)).toBe(
      declared.length,
    );
    const median = eda.income.quantiles.find((q: { q: number }) => q.q === 0.5).value;
    expect(median).toBeCloseTo(quantile(declared, 0.5), 2);

    const tally = (value: (r: Row) => string) => {
      const m = new Map<string | null, number>();
      for (const r of latest) {
        const v = value(r) === '' ? null : value(r);
        m.set(v, (m.get(v) ?? 0) + 1);
      }
      return m;
    };
    const segs = tally(segmento);
    expect(eda.segments).toHaveLength(segs.size);
    for (const s of eda.segments) expect(s.clients).toBe(segs.get(s.value));
    const chans = tally((r) => r.canal_entrada);
    for (const ch of eda.channels.top) expect(ch.clients).toBe(chans.get(ch.value));
    expect(
      eda.channels.top.reduce((s: number, x: { clients: number }) => s + x.clients, 0) + eda.channels.other,
    ).toBe(latest.length);

    // The quality report of the ingest that published this version (read from its quality.json).
    expect(eda.quality).toMatchObject({ origin: 'file', rows_ingested: rows.length, rows_quarantined: 0 });
    expect(eda.quality.months.map((m: { month: string }) => m.month)).toEqual(months);
  });

  it('caches the analysis per dataset version and opens it to analysts, operators and admins only', async () => {
    const first = (await c.call({ url: '/v1/data/eda', headers: AS.operator }, 200)).json();
    const again = (await c.call({ url: '/v1/data/eda', headers: AS.admin }, 200)).json();
    expect(again.computed_at).toBe(first.computed_at);
    await c.call({ url: '/v1/data/eda', headers: AS.api }, 403);

    const file = path.join(dir, 'next.csv');
    await writeSantanderCsv(file, { customers: 120, months: 2, seed: 9 });
    const report = await ingest(file, { dataDir: dir, threads: 1 });
    // As `nextoffer ingest` does: the run and its report in ingest_runs, where the route looks first.
    const runs = new IngestRuns(t.db);
    const run = await runs.start({ sourcePath: file, sourceSha256: report.source.sha256 });
    await runs.finish(run.id, {
      rowsRead: report.linesRead,
      rowsIngested: report.rowsIngested,
      rowsQuarantined: report.rowsQuarantined,
      months: report.months.map((m) => m.month),
      report,
    });
    await new Promise((r) => setTimeout(r, 1100)); // the reader re-reads CURRENT once a second
    const fresh = (await c.call({ url: '/v1/data/eda', headers: AS.analyst }, 200)).json();
    expect(fresh.dataset.version).toBe(report.version);
    expect(fresh.dataset.version).not.toBe(first.dataset.version);
    expect(fresh.computed_at).not.toBe(first.computed_at);
    expect(fresh.quality).toMatchObject({ origin: 'ingest_runs', ingest_id: report.ingestId });
  });
});

describe('GET /v1/clients/{id} and GET /v1/data/eda without a dataset or services', () => {
  it('answers DATASET_NOT_FOUND before any ingest, and notes what is missing without services', async () => {
    const empty = await createTestApp();
    try {
      const c = await contractClient(empty.app);
      for (const url of ['/v1/clients/1', '/v1/data/eda']) {
        const r = (await c.call({ url, headers: AS.admin }, 404)).json();
        expect(r.error.code).toBe('DATASET_NOT_FOUND');
      }
      const file = path.join(empty.dataDir, 'panel.csv');
      await writeSantanderCsv(file, { customers: 40, months: 2, seed: 2 });
      await ingest(file, { dataDir: empty.dataDir, threads: 1 });
      await new Promise((r) => setTimeout(r, 1100));
      const [first] = await readRows(file);
      const body = (await c.call({ url: `/v1/clients/${first.ncodpers}`, headers: AS.admin }, 200)).json();
      expect(body.recommendations).toBeNull();
      expect(body.segment).toBeNull();
      expect(body.notes).toEqual([
        expect.stringMatching(/^recommendations: client \d+: no precomputed recommendations and no model/),
        'segment: no segment service is configured',
      ]);
    } finally {
      await empty.close();
    }
  });
});
