import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../data/ingest/fixtures.test-util.js';
import { runCli } from './run-cli.test-util.js';

const run = runCli;

interface Row {
  client_id: number;
  product: string;
  channel: string;
  text: string;
  title?: string;
  confidence: number;
  sms_segments: number | null;
  findings: { code: string }[];
  offer_id?: string;
}

describe('nextoffer offers / compliance', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes offers for a JSON client file, SMS only with consent, and stores them for feedback', async () => {
    const dir = await tempDir();
    const clients = path.join(dir, 'clients.json');
    writeFileSync(
      clients,
      JSON.stringify([
        { client_id: 501, features: { gender: '1', cnt_zp_12m: '6', consent_sms: 1 } },
        { gender: '0', cnt_tr_oil_3m: 3 },
      ]),
    );
    const args = ['offers', '--clients', clients, '--products', 'DC,ПК', '--channels', 'SMS,PUSH', '--json'];
    const { code, out } = await run(...args, '--data-dir', dir, '--save');
    expect(code).toBe(0);
    const rows = JSON.parse(out) as Row[];
    expect(rows.map((r) => [r.client_id, r.product, r.channel])).toEqual([
      [501, 'DC', 'SMS'],
      [501, 'DC', 'PUSH'],
      [501, 'ПК', 'SMS'],
      [501, 'ПК', 'PUSH'],
      [2, 'DC', 'SMS'],
      [2, 'DC', 'PUSH'],
      [2, 'ПК', 'SMS'],
      [2, 'ПК', 'PUSH'],
    ]);
    for (const r of rows.filter((x) => x.client_id === 501 || x.channel === 'PUSH')) {
      expect(`${r.title ?? ''} ${r.text}`).toMatch(/Демобанк/);
      expect(r.findings).toEqual([]);
      expect(r.offer_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(rows[0].sms_segments).toBeGreaterThanOrEqual(1);
    expect(rows[1].title).toMatch(/Демобанк/);
    const blocked = rows.filter((x) => x.client_id === 2 && x.channel === 'SMS');
    expect(blocked.map((r) => [r.text, r.findings.map((f) => f.code)])).toEqual([
      ['', ['CONSENT_REQUIRED']],
      ['', ['CONSENT_REQUIRED']],
    ]);
    const again = await run(...args, '--data-dir', dir);
    expect((JSON.parse(again.out) as Row[]).map((r) => r.text)).toEqual(rows.map((r) => r.text));

    const marked = await run(
      'offers',
      'mark',
      rows[0].offer_id!,
      'success',
      '--user',
      'anna',
      '--data-dir',
      dir,
      '--json',
    );
    expect(marked.err).toBe('');
    expect(marked.code).toBe(0);
    expect(JSON.parse(marked.out)).toMatchObject({
      offerId: rows[0].offer_id,
      outcome: 'success',
      userName: 'anna',
    });
    const unknown = await run(
      'offers',
      'mark',
      '00000000-0000-4000-8000-000000000000',
      'failure',
      '--data-dir',
      dir,
    );
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/OFFER_NOT_FOUND.*no offer with id/);
    const train = await run('offers', 'train', '--data-dir', dir);
    expect(train.code).not.toBe(0);
    expect(train.err).toMatch(/only 1 outcomes recorded: at least 10/);
  });

  it('rejects unknown codes and a missing client file', async () => {
    const bad = await run('offers', '--clients', 'x.json', '--products', 'NOPE');
    expect(bad.err).toMatch(/--products NOPE: unknown/);
    const none = await run('offers', '--clients', '/no/such/file.xlsx');
    expect(none.err).toMatch(/INPUT_NOT_FOUND/);
  });

  it('checks hand-written texts in input order', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'texts.json');
    writeFileSync(
      input,
      JSON.stringify([
        { text: 'Демобанк: самый выгодный вклад.', product: 'DEPOSIT', channel: 'MOBILE_CHAT' },
        { text: 'Дебетовая карта Демобанка: обслуживание 0 ₽.', product: 'DC', channel: 'MOBILE_CHAT' },
      ]),
    );
    const { code, out } = await run('compliance', '--input', input, '--json');
    expect(code).toBe(0);
    const res = JSON.parse(out) as { compliant: boolean; findings: { code: string }[] }[];
    expect(res.map((r) => [r.compliant, r.findings.map((f) => f.code)])).toEqual([
      [false, ['UNPROVABLE_SUPERLATIVE']],
      [true, []],
    ]);
    writeFileSync(input, JSON.stringify([{ text: 1, product: 'DC', channel: 'SMS' }]));
    expect((await run('compliance', '--input', input)).err).toMatch(/\[0\]\.text must be a string/);
  });
});
