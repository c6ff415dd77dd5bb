import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readTable, tableRecords, type Cell } from '../data/tables.js';
import { loadCatalog, type Catalog } from './catalog.js';
import { checkOffer } from './compliance/check.js';
import { createOfferEngine, type OfferRequestItem } from './engine.js';
import { clientProfile } from './features.js';
import { smsInfo } from './channel-limits.js';

const YAKUTIA = path.resolve(import.meta.dirname, '../../../shared/data/gazprombank/Dataset_Yakutia.xlsx');
const catalog = loadCatalog();

const FEMALE_FORMS = ['Уважаемая клиентка', 'владелица автомобиля', 'наша постоянная клиентка'];
const MALE_FORMS = ['Уважаемый клиент', 'владелец автомобиля', 'наш постоянный клиент'];

function recheck(
  c: Catalog,
  a: {
    text: string;
    title?: string;
    subject?: string;
    product: string;
    channel: string;
    locale: 'ru' | 'en';
  },
) {
  return checkOffer({
    ...a,
    product: c.products.find((p) => p.code === a.product)!,
    channel: c.channels.find((x) => x.code === a.channel)!,
    provider: c.provider,
    consent: true,
  });
}

describe('offer engine on synthetic clients', () => {
  const woman = {
    gender: '1',
    age: 41.5,
    app_vehicle_ind: '1',
    super_clust: 'a. Супер-ЗП (6,15)',
    cnt_zp_12m: '21',
  };
  const man = { ...woman, gender: '0' };

  it('gives the same text for the same input and seed, whatever else is in the batch', () => {
    const e = createOfferEngine({ catalog, seed: 7 });
    const item: OfferRequestItem = {
      client_id: 1,
      features: woman,
      product: 'ПК',
      channel: 'EMAIL',
      consent: true,
    };
    const [a] = e.generate([item]);
    const [, b] = e.generate([{ ...item, client_id: 2 }, item]);
    expect(b).toEqual(a);
    expect(createOfferEngine({ catalog, seed: 7 }).generate([item])).toEqual([a]);
    const texts = new Set(
      Array.from({ length: 20 }, (_, s) => createOfferEngine({ catalog, seed: s }).generate([item])[0].text),
    );
    expect(texts.size).toBeGreaterThan(3);
  });

  it('agrees the forms with the client’s gender', () => {
    const texts = (features: Record<string, unknown>) =>
      Array.from({ length: 40 }, (_, s) =>
        createOfferEngine({ catalog, seed: s })
          .generate(
            ['AUTO', 'ПК', 'CC'].map((product) => ({
              client_id: 5,
              features,
              product,
              channel: 'EMAIL',
              consent: true,
            })),
          )
          .map((a) => a.text),
      )
        .flat()
        .join('\n');
    const w = texts(woman);
    const m = texts(man);
    for (const form of FEMALE_FORMS) {
      expect(w).toContain(form);
      expect(m).not.toContain(form);
    }
    for (const form of MALE_FORMS) {
      expect(m).toContain(form);
      expect(w).not.toContain(form);
    }
    const neutral = texts({ ...woman, gender: 'NULL' });
    for (const form of [...FEMALE_FORMS, ...MALE_FORMS]) expect(neutral).not.toContain(form);
  });

  it('agrees numerals in hooks', () => {
    const gen = (n: string) =>
      Array.from(
        { length: 30 },
        (_, s) =>
          createOfferEngine({ catalog, seed: s }).generate([
            { client_id: 1, features: { cnt_zp_12m: n }, product: 'IZP', channel: 'MOBILE_CHAT' },
          ])[0].text,
      ).join('\n');
    expect(gen('1')).toMatch(/пришла 1\u00a0зарплата/);
    expect(gen('3')).toMatch(/пришли 3\u00a0зарплаты/);
    expect(gen('12')).toMatch(/пришло 12\u00a0зарплат\./);
    expect(gen('21')).toMatch(/21\u00a0поступление зарплаты/);
    expect(gen('24')).toMatch(/24\u00a0поступления зарплаты/);
    expect(gen('25')).toMatch(/25\u00a0поступлений зарплаты/);
    expect(gen('21')).not.toMatch(/зарплата\./);
  });

  it('returns no text without consent where the channel needs it', () => {
    const e = createOfferEngine({ catalog, seed: 1 });
    const [sms, call, push] = e.generate([
      { client_id: 1, features: man, product: 'DC', channel: 'SMS' },
      { client_id: 1, features: man, product: 'DC', channel: 'TMO', consent: { TMO: false } },
      { client_id: 1, features: man, product: 'DC', channel: 'PUSH' },
    ]);
    expect(sms.text).toBe('');
    expect(sms.findings.map((f) => f.code)).toEqual(['CONSENT_REQUIRED']);
    expect(call.findings.map((f) => f.code)).toEqual(['CONSENT_REQUIRED']);
    expect(push.text).not.toBe('');
    expect(push.findings).toEqual([]);
  });

  it('falls back to a safe text with lower confidence when no candidate fits', () => {
    const tight: Catalog = JSON.parse(JSON.stringify(catalog)) as Catalog;
    tight.channels.find((c) => c.code === 'SMS')!.limits = { maxSegments: 1, bodyMax: 70 };
    const e = createOfferEngine({ catalog: tight, seed: 1 });
    const [a] = e.generate([{ client_id: 1, features: woman, product: 'DC', channel: 'SMS', consent: true }]);
    expect(a.fallback).toBe(true);
    expect(a.sms_segments).toBe(1);
    expect(a.confidence).toBeCloseTo(0.15 * 0.5, 10);
    expect(recheck(tight, a)).toEqual([]);
    const [credit] = e.generate([
      { client_id: 1, features: woman, product: 'TOPUP', channel: 'SMS', consent: true },
    ]);
    expect(credit.text).toBe('');
    expect(credit.findings.map((f) => f.code)).toContain('CHANNEL_LIMIT');
  });

  it('writes English texts that pass the English rules', () => {
    const e = createOfferEngine({ catalog, seed: 3 });
    const out = e.generate(
      catalog.products.map((p) => ({
        client_id: 9,
        features: man,
        product: p.code,
        channel: 'MOBILE_CHAT',
        locale: 'en' as const,
      })),
    );
    for (const a of out) {
      expect(a.text).toMatch(/Demobank/);
      expect(a.text).not.toMatch(/[а-яё]/i);
      expect(smsInfo(a.text).encoding).toBe('GSM-7');
      expect(recheck(catalog, a)).toEqual([]);
    }
  });

  it('rejects unknown products, channels and malformed features', () => {
    const e = createOfferEngine({ catalog });
    expect(() => e.generate([{ client_id: 1, features: {}, product: 'X', channel: 'SMS' }])).toThrow(
      /^items\[0\]: unknown product "X"/,
    );
    expect(() => e.generate([{ client_id: 1, features: {}, product: 'DC', channel: 'FAX' }])).toThrow(
      /unknown channel "FAX"/,
    );
    expect(() => clientProfile({ cnt_tr_oil_3m: 'many' })).toThrow(/feature "cnt_tr_oil_3m"/);
    expect(() => clientProfile({ gender: 'x' })).toThrow(/feature "gender"/);
  });
});

describe.runIf(existsSync(YAKUTIA))('offer engine on Dataset_Yakutia.xlsx', () => {
  let clients: Record<string, Cell>[] = [];
  beforeAll(async () => {
    clients = tableRecords(await readTable(YAKUTIA));
  });

  it('reads gender 1 as female and the segments', () => {
    expect(clients).toHaveLength(1000);
    const g = clients.map((c) => clientProfile(c).gender);
    expect(g.filter((x) => x === 'female')).toHaveLength(253);
    expect(g.filter((x) => x === 'male')).toHaveLength(323);
    expect(clientProfile(clients[0]).segment).toBe('super_salary');
  });

  it('every text of 250 clients × 22 products × 8 channels is compliant and fits', () => {
    const e = createOfferEngine({ catalog, seed: 11 });
    const items = clients.slice(0, 250).flatMap((features, i) =>
      catalog.products.flatMap((p) =>
        catalog.channels.map((c) => ({
          client_id: i + 1,
          features,
          product: p.code,
          channel: c.code,
          consent: true,
        })),
      ),
    );
    const out = e.generate(items);
    const bad = out.filter((a) => a.text === '' || a.findings.length > 0 || recheck(catalog, a).length > 0);
    expect(bad).toEqual([]);
    expect(out.filter((a) => a.fallback).length / out.length).toBeLessThan(0.01);
  });

  it('writes at least 50 distinct texts per product across the 1,000 clients, women and men agreed', () => {
    const e = createOfferEngine({ catalog, seed: 5 });
    const items = clients.flatMap((features, i) =>
      catalog.products.map((p) => ({
        client_id: i + 1,
        features,
        product: p.code,
        channel: 'EMAIL',
        consent: true,
      })),
    );
    const out = e.generate(items);
    for (const p of catalog.products) {
      const distinct = new Set(out.filter((a) => a.product === p.code).map((a) => a.text));
      expect(distinct.size, p.code).toBeGreaterThanOrEqual(50);
    }
    const byGender = (g: string) =>
      out
        .filter((a) => String(clients[a.client_id - 1].gender) === g)
        .map((a) => a.text)
        .join('\n');
    const women = byGender('1');
    const men = byGender('0');
    for (const f of FEMALE_FORMS) expect(men).not.toContain(f);
    for (const f of MALE_FORMS) expect(women).not.toContain(f);
    expect(women).toContain('Уважаемая клиентка');
    expect(men).toContain('Уважаемый клиент');
  });
});
