import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { openArtifactStore } from '../store/artifacts.js';
import { openPglite } from '../store/db-pglite.js';
import { migrate } from '../store/migrate.js';
import { ModelRegistry } from '../store/registry.js';
import { NO_CHALLENGER, challengerOf, challengerSource } from './versions.js';

describe('challenger versions', () => {
  it('is the newest version after every promoted one; rollback revives none', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-versions-'));
    const db = await openPglite();
    await migrate(db);
    const artifacts = openArtifactStore(loadConfig({ NEXTOFFER_DATA_DIR: dir }));
    try {
      const registry = new ModelRegistry(db, artifacts);
      const at = async () => (await challengerOf(registry, 'm'))?.version ?? null;
      expect(await at()).toBeNull();
      await registry.register('m', { artifact: 'a', promote: false });
      // Nothing promoted yet: v1 is the challenger of "no model".
      expect(await at()).toBe(1);
      await registry.promote('m', 1);
      expect(await at()).toBeNull();
      expect(await challengerSource(registry).promoted('m')).toEqual({ version: NO_CHALLENGER });
      await registry.register('m', { artifact: 'b', promote: false });
      await registry.register('m', { artifact: 'c', promote: false });
      expect(await at()).toBe(3);
      expect(await challengerSource(registry).promoted('m')).toEqual({ version: '3' });
      await registry.promote('m', 3);
      expect(await at()).toBeNull();
      await registry.rollback('m');
      // v1 is live again; neither v3 (rolled back from) nor the older v2 is a challenger.
      expect((await registry.promoted('m'))?.version).toBe(1);
      expect(await at()).toBeNull();
      await registry.register('m', { artifact: 'd', promote: false });
      expect(await at()).toBe(4);
    } finally {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
