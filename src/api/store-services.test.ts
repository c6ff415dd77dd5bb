/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call --
   response bodies (`res.json()`) are untyped JSON; their shape is what these tests assert. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openArtifactStore } from '../store/artifacts.js';
import { openPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { ModelRegistry } from '../store/registry.js';
import { Runs } from '../store/runs.js';
import { storeServices } from './store-services.js';
import { contractClient } from './contract.test-util.js';
import { ModelHolder } from './model-holder.js';
import { registryPromotedSource } from './store-services.js';
import { AS, createTestApp } from './testing.test-util.js';

describe('model registry and runs over HTTP, and hot reload from the registry', () => {
  it('lists, promotes and rolls back registry versions; lists runs; a holder follows promotions', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-reg-'));
    const db = await openPglite();
    await migrate(db);
    const artifacts = openArtifactStore(loadConfig({ NEXTOFFER_DATA_DIR: dir }));
    const registry = new ModelRegistry(db, artifacts);
    await registry.register('reco', { artifact: 'model one', metrics: { map7: 0.02 } });
    await registry.register('reco', { artifact: 'model two' });
    const runs = new Runs(db);
    const r = await runs.start({ kind: 'train', name: 'reco', gitCommit: null });
    await runs.finish(r.id, { metrics: { map7: 0.03 } });
    const t = await createTestApp({ db, services: await storeServices(db, artifacts) });
    const holder = new ModelHolder({
      name: 'reco',
      source: registryPromotedSource(registry),
      load: async (name, version) => (await registry.load(name, Number(version))).toString(),
      intervalMs: 0,
    });
    try {
      const c = await contractClient(t.app);
      await holder.refresh();
      expect(holder.current()).toEqual({ version: '1', model: 'model one' });
      const list = (await c.call({ url: '/v1/models?name=reco', headers: AS.analyst }, 200)).json();
      expect(list.items.map((m: { version: string; promoted: boolean }) => [m.version, m.promoted])).toEqual(
        expect.arrayContaining([
          ['1', true],
          ['2', false],
        ]),
      );
      const promoted = await c.call(
        { method: 'POST', url: '/v1/models/reco/promote', headers: AS.admin, payload: { version: '2' } },
        200,
      );
      expect(promoted.json()).toMatchObject({ version: '2', promoted: true });
      expect(await holder.refresh()).toBe(true);
      expect(holder.current()).toEqual({ version: '2', model: 'model two' });
      await c.call(
        { method: 'POST', url: '/v1/models/reco/promote', headers: AS.admin, payload: { version: 'x' } },
        400,
      );
      await c.call(
        { method: 'POST', url: '/v1/models/reco/promote', headers: AS.admin, payload: { version: '9' } },
        404,
      );
      const back = await c.call({ method: 'POST', url: '/v1/models/reco/rollback', headers: AS.admin }, 200);
      expect(back.json()).toMatchObject({ version: '1', promoted: true });
      await holder.refresh();
      expect(holder.current()?.version).toBe('1');
      const listed = (await c.call({ url: '/v1/runs?kind=train', headers: AS.analyst }, 200)).json();
      expect(listed.items).toEqual([
        expect.objectContaining({ id: r.id, kind: 'train', status: 'succeeded' }),
      ]);
    } finally {
      await t.close();
      await artifacts.close();
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
