/**
 * The decisioning step with the real recommender, wired as the server wires it (`domainServices`
 * with `NEXTOFFER_POLICY_FILE`): known clients' facts come from the model's client store and match
 * the ingested data; answers hold only eligible products, re-ranked by propensity × value × lever.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { domainServices } from '../api/domain-services.js';
import { runIngest } from '../cli/commands/ingest.js';
import { trainAndRegister } from '../cli/commands/train.js';
import { loadConfig } from '../config.js';
import { closeDuck, openDuck, rows } from '../data/duckdb.js';
import { attachDataset } from '../data/dataset-view.js';
import { writeSantanderCsv } from '../data/generate/write.js';
import { recommenderFromBytes } from '../reco/artifact.js';
import { DEFAULT_FIT_OPTIONS } from '../reco/fit.js';
import { PRODUCTS } from '../reco/products.js';
import { openArtifactStore } from '../store/artifacts.js';
import { openDatabase } from '../store/db.js';
import { ModelRegistry } from '../store/registry.js';
import { factsFromRecommender } from './client.js';

const POLICY = `format: nextoffer-policy
version: reco-test
eligibility:
  age:
    - products: [CREDIT_CARD, LOANS, MORTGAGE, FUNDS, SECURITIES]
      min: 30
      max: 60
  regions:
    - products: [PAYROLL, PENSIONS]
      allow: [28]
arbitration:
  margins:
    DIRECT_DEBIT: 3
  levers:
    - products: [CTA_CTE]
      weight: 0
`;

describe('decisioning with the trained recommender', () => {
  it('uses the client store as facts and answers only eligible products, re-ranked', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-decision-reco-'));
    const policyFile = path.join(dir, 'policy.yaml');
    await writeFile(policyFile, POLICY);
    const config = loadConfig({
      NEXTOFFER_DATA_DIR: dir,
      NEXTOFFER_MODEL_RELOAD_SECONDS: '0',
      NEXTOFFER_POLICY_FILE: policyFile,
    });
    const panel = path.join(dir, 'panel.csv');
    await writeSantanderCsv(panel, { customers: 2000, months: 8, seed: 5 });
    await runIngest(config, panel, {}, false);
    await trainAndRegister(config, DEFAULT_FIT_OPTIONS, { promote: true });
    const db = await openDatabase(config);
    try {
      const artifacts = openArtifactStore(config);
      const model = recommenderFromBytes(await new ModelRegistry(db, artifacts).load('reco'));
      const services = await domainServices(db, artifacts, config);
      const duck = await openDuck({ threads: 1 });
      await attachDataset(duck.conn, dir, 'santander', 'p');
      const ids = Array.from(model.store.clients.subarray(0, 150));
      const last = await rows<Record<string, unknown>>(
        duck.conn,
        `select * from p where fecha_dato = (select max(fecha_dato) from p) and ncodpers in (${ids.join(',')})`,
      );
      closeDuck(duck);
      expect(last.length).toBeGreaterThan(100);
      let checked = 0;
      for (const row of last) {
        const id = Number(row.ncodpers);
        const facts = factsFromRecommender(model, id)!;
        // Facts from the model's store agree with the ingested last month.
        expect(facts.age).toBe(row.age === null ? null : Number(row.age));
        expect(facts.codProv).toBe(row.cod_prov === null ? null : Number(row.cod_prov));
        expect([...facts.holdings].sort()).toEqual(PRODUCTS.filter((p) => Number(row[p]) === 1).sort());

        const raw = model.recommend(id, PRODUCTS.length).items;
        const answer = await services.recommendations!.recommend(String(id), 5, { explain: true });
        const ok = (p: string) => {
          if (facts.holdings.has(p) || p === 'ind_cco_fin_ult1') return false;
          if (
            [
              'ind_tjcr_fin_ult1',
              'ind_pres_fin_ult1',
              'ind_hip_fin_ult1',
              'ind_fond_fin_ult1',
              'ind_valo_fin_ult1',
            ].includes(p)
          )
            return facts.age !== null && facts.age >= 30 && facts.age <= 60;
          if (p === 'ind_nomina_ult1' || p === 'ind_nom_pens_ult1') return facts.codProv === 28;
          return true;
        };
        const value = (p: string) => (p === 'ind_recibo_ult1' ? 3 : 1);
        const expected = raw
          .filter((i) => ok(i.product))
          .map((i) => ({ product: i.product, score: i.score * value(i.product) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 5);
        expect(answer.items.map((i) => i.product)).toEqual(expected.map((e) => e.product));
        answer.items.forEach((item, j) => expect(item.score).toBeCloseTo(expected[j].score, 6));
        for (const e of answer.excluded ?? []) expect(ok(e.product)).toBe(false);
        checked++;
      }
      expect(checked).toBe(last.length);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
