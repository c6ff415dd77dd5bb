/**
 * The generated data against the real files (../shared/data/santander): 20,000 customers × 17
 * months, seed 1, compared with the 2016-03-28 rows (and the March → April changes) of the ~10%
 * client sample. Each tolerance is stated next to its check.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANTANDER_PRODUCTS } from '../santander-schema.js';
import { CLIENT_TABLES } from './marginals.js';
import {
  byMonth,
  loadRecords,
  shares,
  summarizeAdditions,
  summarizeClients,
  type SantanderRecord,
} from './measure.js';
import { measureClientTables } from './measure-tables.js';
import { writeSantanderCsv, type WriteSummary } from './write.js';

const SAMPLE = path.resolve('../shared/data/santander/santander_mar_apr_2016.csv');
const MARCH = '2016-03-28';
const APRIL = '2016-04-28';
const P = (name: string) => SANTANDER_PRODUCTS.indexOf(name as (typeof SANTANDER_PRODUCTS)[number]);

let dir = '';
let summary: WriteSummary;
let gen = new Map<string, SantanderRecord[]>();
let real = new Map<string, SantanderRecord[]>();

describe.skipIf(!existsSync(SAMPLE))('generated data vs the real sample', () => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nextoffer-realism-'));
    const file = path.join(dir, 'synthetic.csv');
    summary = await writeSantanderCsv(file, { customers: 20_000, months: 17, seed: 1 });
    gen = byMonth(await loadRecords(file));
    real = byMonth(await loadRecords(SAMPLE));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the measured tables in step with the real file (marginals.ts is re-measurable)', () => {
    const measured = measureClientTables(real.get(MARCH) ?? []);
    expect(measured.rows).toBe(CLIENT_TABLES.rows);
    expect(measured.ageCounts).toEqual(CLIENT_TABLES.ageCounts);
    expect(measured.tenureCounts).toEqual(CLIENT_TABLES.tenureCounts);
    expect(measured.indrel99).toBeCloseTo(CLIENT_TABLES.indrel99, 4);
  });

  it('matches the categorical client columns: every real category ≥ 1% within 2.5 points', () => {
    const g = gen.get(MARCH) ?? [];
    const r = real.get(MARCH) ?? [];
    const columns = [
      'ind_empleado',
      'pais_residencia',
      'sexo',
      'ind_nuevo',
      'indrel',
      'tiprel_1mes',
      'indresi',
      'indext',
      'conyuemp',
      'canal_entrada',
      'indfall',
      'tipodom',
      'nomprov',
      'ind_actividad_cliente',
      'segmento',
    ];
    for (const column of columns) {
      const gs = shares(g, column);
      for (const [value, share] of shares(r, column)) {
        if (share < 0.01) continue;
        expect(Math.abs((gs.get(value) ?? 0) - share), `${column}=${value}`).toBeLessThan(0.025);
      }
    }
    // indrel_1mes: `1` and `1.0` together as in the sample (the split follows the raw head file).
    const one = (m: Map<string, number>) => (m.get('1') ?? 0) + (m.get('1.0') ?? 0);
    expect(Math.abs(one(shares(g, 'indrel_1mes')) - one(shares(r, 'indrel_1mes')))).toBeLessThan(0.01);
    // Province code ↔ name pairs are the real ones (foreign clients: NA here, empty in the sample).
    const pairs = (rs: SantanderRecord[]) =>
      new Set(rs.filter((x) => /^\d+$/.test(x.fields[19])).map((x) => `${x.fields[19]}|${x.fields[20]}`));
    const realPairs = pairs(r);
    for (const pair of pairs(g)) expect(realPairs.has(pair), pair).toBe(true);
  });

  it('matches age quantiles (±2 years), renta median (±10%) and missing share (±3 points)', () => {
    const g = summarizeClients(gen.get(MARCH) ?? []);
    const r = summarizeClients(real.get(MARCH) ?? []);
    for (const q of ['p10', 'p25', 'p50', 'p75', 'p90'] as const) {
      expect(Math.abs(g.ageQuantiles[q] - r.ageQuantiles[q]), q).toBeLessThanOrEqual(2);
    }
    expect(Math.abs(g.rentaMedian / r.rentaMedian - 1)).toBeLessThan(0.1);
    expect(Math.abs(g.rentaMissing - r.rentaMissing)).toBeLessThan(0.03);
  });

  it('matches ownership of the main products (within 20% of the real rate, or 0.5 points)', () => {
    const g = summarizeClients(gen.get(MARCH) ?? []).ownership;
    const r = summarizeClients(real.get(MARCH) ?? []).ownership;
    const main = [
      'cco_fin',
      'cno_fin',
      'ctop_fin',
      'ctpp_fin',
      'dela_fin',
      'ecue_fin',
      'fond_fin',
      'reca_fin',
    ];
    for (const name of [...main.map((m) => `ind_${m}_ult1`), 'ind_tjcr_fin_ult1', 'ind_valo_fin_ult1']) {
      expect(Math.abs(g[P(name)] - r[P(name)]), name).toBeLessThan(Math.max(0.2 * r[P(name)], 0.005));
    }
    for (const name of ['ind_nomina_ult1', 'ind_nom_pens_ult1', 'ind_recibo_ult1']) {
      expect(Math.abs(g[P(name)] - r[P(name)]), name).toBeLessThan(Math.max(0.2 * r[P(name)], 0.005));
    }
  });

  it('has 3–5.5% of clients adding a product outside June/December, April within 0.75 points of the sample', () => {
    const sample = summarizeAdditions(real.get(MARCH) ?? [], real.get(APRIL) ?? []);
    const april = summary.perMonth.find((m) => m.month === APRIL);
    expect(Math.abs((april?.adderShare ?? 0) - sample.share)).toBeLessThan(0.0075);
    for (const m of summary.perMonth) {
      if (m.adderShare === null || /-(06|12)-28$/.test(m.month)) continue;
      expect(m.adderShare, m.month).toBeGreaterThan(0.03);
      expect(m.adderShare, m.month).toBeLessThan(0.055);
    }
    // The file agrees with the summary: March → April adders recomputed from the rows.
    const fromRows = summarizeAdditions(gen.get(MARCH) ?? [], gen.get(APRIL) ?? []);
    expect(fromRows.adders).toBe(april?.adders);
  });

  it('peaks reca_fin (×4 in June, ×2 in December) and cco_fin (×1.4 in June) additions', () => {
    const adds = (name: string) =>
      new Map(summary.perMonth.filter((m) => m.additions).map((m) => [m.month, m.additions?.[name] ?? 0]));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const [name, june, december] of [
      ['ind_reca_fin_ult1', 4, 2],
      ['ind_cco_fin_ult1', 1.4, 1],
    ] as const) {
      const byMonth = adds(name);
      const rows = new Map(summary.perMonth.map((m) => [m.month, m.rows]));
      const rate = (m: string) => (byMonth.get(m) ?? 0) / (rows.get(m) ?? 1);
      const others = [...byMonth.keys()].filter((m) => !/-(06|12)-28$/.test(m)).map(rate);
      expect(rate('2015-06-28'), name).toBeGreaterThan(june * median(others));
      expect(rate('2015-12-28'), name).toBeGreaterThan(december * median(others));
    }
  });

  it('makes adoption learnable: activity, age, payroll co-additions and recent drops matter', () => {
    const months = [...gen.keys()];
    const activity = { active: [0, 0], inactive: [0, 0] };
    const tjcr = { young: [0, 0], middle: [0, 0] };
    const pension = { withPayroll: [0, 0], without: [0, 0] };
    const recibo = { recentDrop: [0, 0], never: [0, 0] };
    for (let k = 2; k < months.length; k++) {
      const before2 = new Map((gen.get(months[k - 2]) ?? []).map((r) => [r.id, r.products]));
      const before = new Map((gen.get(months[k - 1]) ?? []).map((r) => [r.id, r]));
      for (const r of gen.get(months[k]) ?? []) {
        const prev = before.get(r.id);
        if (!prev || Number.isNaN(prev.age)) continue;
        const added = r.products & ~prev.products;
        const a = prev.fields[21] === '1' ? activity.active : activity.inactive;
        a[0]++;
        a[1] += added !== 0 ? 1 : 0;
        const bit = (mask: number, name: string) => (mask >> P(name)) & 1;
        const group = prev.age < 25 ? tjcr.young : prev.age >= 35 && prev.age < 55 ? tjcr.middle : undefined;
        if (group && !bit(prev.products, 'ind_tjcr_fin_ult1')) {
          group[0]++;
          group[1] += bit(added, 'ind_tjcr_fin_ult1');
        }
        if (!bit(prev.products, 'ind_nom_pens_ult1')) {
          const g = bit(added, 'ind_nomina_ult1') ? pension.withPayroll : pension.without;
          g[0]++;
          g[1] += bit(added, 'ind_nom_pens_ult1');
        }
        const older = before2.get(r.id) ?? 0;
        if (!bit(prev.products, 'ind_recibo_ult1')) {
          const g = bit(older, 'ind_recibo_ult1') ? recibo.recentDrop : recibo.never;
          g[0]++;
          g[1] += bit(added, 'ind_recibo_ult1');
        }
      }
    }
    const rate = ([n, k]: number[]) => k / Math.max(n, 1);
    // Active clients add far more often (real adders of 2016-05: 97% active, vs 42% of all clients).
    expect(rate(activity.active)).toBeGreaterThan(3 * rate(activity.inactive));
    // Credit cards: clients of 35–54 add them at least twice as often as clients under 25.
    expect(rate(tjcr.middle)).toBeGreaterThan(2 * rate(tjcr.young));
    // Payroll brings the pension flag in the same month (real sample: 98% of payroll additions).
    expect(rate(pension.withPayroll)).toBeGreaterThan(0.7);
    expect(rate(pension.without)).toBeLessThan(0.02);
    // Lags matter: a direct debit dropped last month comes back ≥ 5× more often than a new one.
    expect(rate(recibo.recentDrop)).toBeGreaterThan(5 * rate(recibo.never));
  });
});
