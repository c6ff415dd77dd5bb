import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import { tempDir } from '../data/ingest/fixtures.test-util.js';
import { openDatabase } from '../store/db.js';
import { OfferLog } from '../store/offers.js';
import { runCli } from './run-cli.test-util.js';

interface Row {
  product: string;
  channel: string;
  excluded: { rule: string; reason: string; channel?: string }[];
}

describe('nextoffer policy', () => {
  afterEach(() => vi.restoreAllMocks());

  it('check validates the shipped policy and names the file and rule of an error', async () => {
    const ok = await runCli('policy', 'check');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/policy\.yaml: valid, version demo-1, \d+ rules/);
    expect(ok.out).toContain('eligibility.age[0]: age 18..75 for');
    const dir = await tempDir();
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'format: nextoffer-policy\nversion: x\neligibility:\n  age:\n    - products: [CC]\n      min: 80\n      max: 18\n',
    );
    const r = await runCli('policy', 'check', bad);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(
      `error [POLICY_INVALID]: policy ${bad}: eligibility.age[0]: bad age range: min 80 exceeds max 18`,
    );
  });

  it('explain lists, per product and channel, what the policy allows for a client and why not', async () => {
    const dir = await tempDir();
    const db = await openDatabase(loadConfig({ NEXTOFFER_DATA_DIR: dir }));
    const offer = {
      client_id: 5,
      product: 'DC',
      channel: 'PUSH',
      text: 'x',
      elements: [],
      features: {},
      confidence: 0.5,
    };
    await new OfferLog(db).save([offer, offer, offer]);
    await db.close();
    const features = JSON.stringify({ age: 16, consent_sms: 1, holdings: 'DC' });
    const { code, out } = await runCli(
      'policy',
      'explain',
      '--client',
      '5',
      '--features',
      features,
      '--data-dir',
      dir,
      '--json',
    );
    expect(code).toBe(0);
    const rows = (JSON.parse(out) as { offers: Row[] }).offers;
    const at = (product: string, channel: string) =>
      rows.find((r) => r.product === product && r.channel === channel)!;
    expect(at('DEPOSIT', 'SMS').excluded).toEqual([]);
    expect(at('CC', 'SMS').excluded.map((e) => e.rule)).toEqual(['AGE_OUT_OF_RANGE']);
    expect(at('DC', 'SMS').excluded.map((e) => e.rule)).toEqual(['HOLDS_PRODUCT']);
    expect(at('DEPOSIT', 'TMO').excluded.map((e) => e.rule)).toEqual(['CONSENT_MISSING']);
    // Three PUSH offers in the log: the shipped limit is 3 per 7 days.
    expect(at('DEPOSIT', 'PUSH').excluded).toEqual([
      expect.objectContaining({
        rule: 'CONTACT_LIMIT',
        reason: '3 contacts on PUSH in 7 days; limit 3 (contacts.limits[0])',
      }),
    ]);
    const text = await runCli('policy', 'explain', '--client', '5', '--features', features, '--no-history');
    expect(text.out).toMatch(/^CC: not eligible — AGE_OUT_OF_RANGE: age 16 outside 18\.\.75/m);
    expect(text.out).toMatch(/^DEPOSIT: eligible on SMS, PUSH, .*; not on TMO CONSENT_MISSING/m);
    const missing = await runCli('policy', 'explain', '--client', '5');
    expect(missing.err).toContain('give the client with --clients FILE or --features JSON');
  });
});
