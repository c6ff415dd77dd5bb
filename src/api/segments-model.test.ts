/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { loadSegmentInput } from '../segments/load.js';
import { runSegmentation } from '../segments/run.js';
import { saveSegmentation } from '../segments/save.js';
import { openArtifactStore } from '../store/artifacts.js';
import { openPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { ModelRegistry } from '../store/registry.js';
import { contractClient } from './contract.test-util.js';
import { storeServices } from './store-services.js';
import { AS, createTestApp } from './testing.test-util.js';

const UCI = path.resolve(
  import.meta.dirname,
  '../../../shared/data/uci-bank-marketing/bank-additional-full.csv',
);

describe('GET /v1/segments/model over a real segmentation', () => {
  it('serves the report saved with the promoted version: sizes, k selection, profiles, projection', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-segmodel-'));
    const db = await openPglite();
    await migrate(db);
    const artifacts = openArtifactStore(loadConfig({ NEXTOFFER_DATA_DIR: dir }));
    const t = await createTestApp({ db, services: await storeServices(db, artifacts) });
    try {
      const c = await contractClient(t.app);
      const none = await c.call({ url: '/v1/segments/model', headers: AS.operator }, 404);
      expect(none.json().error.message).toMatch(/nextoffer segment/);

      const input = await loadSegmentInput(UCI, 'auto', { dataDir: dir });
      const options = {
        features: ['job', 'housing', 'loan'],
        k: 'auto' as const,
        kRange: [2, 3, 4],
        seed: 0,
      };
      const { report, model } = runSegmentation(input, options);
      await saveSegmentation(db, artifacts, model, report, { k: 'auto' });

      const m = (await c.call({ url: '/v1/segments/model', headers: AS.operator }, 200)).json();
      expect(m.version).toBe('1');
      expect(m.metrics.silhouette).toBeCloseTo(report.silhouette, 10);
      const r = m.report;
      expect(r.k).toBe(report.k);
      expect(r.sizes).toEqual(report.sizes);
      expect(r.sizes.reduce((a: number, b: number) => a + b, 0)).toBe(report.rows);
      expect(r.k_selection.map((s: { k: number }) => s.k)).toEqual([2, 3, 4]);
      expect(r.profiles).toHaveLength(report.k);
      expect(r.rules.length).toBeGreaterThan(0);
      expect(r.projection.points.length).toBeGreaterThan(0);
      expect(
        r.projection.points.every((p: { segment: number }) => p.segment >= 0 && p.segment < report.k),
      ).toBe(true);
      // The registry's artifact listing holds the report beside the model.
      const v = await new ModelRegistry(db, artifacts).promoted('segments');
      expect(await artifacts.exists(`${v?.artifactKey}.report.json`)).toBe(true);
    } finally {
      await t.close();
      await artifacts.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
