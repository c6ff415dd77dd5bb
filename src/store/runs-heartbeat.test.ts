import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from './db-pglite.js';
import { migrate } from './migrate.js';
import { Runs } from './runs.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('run heartbeat', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('a run whose process is killed with SIGKILL is listed as aborted', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nextoffer-runs-'));
    dirs.push(dir);
    const bin = path.resolve(import.meta.dirname, '../../node_modules/.bin/vite-node');
    const child = spawn(bin, [path.join(import.meta.dirname, 'runs-child.test-util.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const id = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    await sleep(400); // a few heartbeats
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const db = await openPglite({ dataDir: dir });
    try {
      const runs = new Runs(db, { heartbeatMs: 50, staleAfterMs: 5000 });
      const [fresh] = await runs.list();
      expect(fresh).toMatchObject({ id, status: 'running' }); // heartbeat is recent: not yet stale
      await sleep(5200);
      const [killed] = await runs.list();
      expect(killed).toMatchObject({ id, status: 'aborted' });
      expect(killed.error).toMatch(/^aborted: no heartbeat since \d{4}-\d\d-\d\dT/);
      expect(killed.finishedAt!.getTime()).toBeGreaterThan(killed.startedAt.getTime());
      await expect(runs.finish(id)).rejects.toThrow(/already ended \(aborted\)/);
    } finally {
      await db.close();
    }
  });

  it('a live run keeps beating and is not aborted; it ends normally', async () => {
    const db = await openPglite();
    try {
      await migrate(db);
      const runs = new Runs(db, { heartbeatMs: 50, staleAfterMs: 400 });
      const run = await runs.start({ kind: 'train', name: 'reco', gitCommit: null });
      await sleep(900);
      const [listed] = await runs.list();
      expect(listed).toMatchObject({ id: run.id, status: 'running' });
      expect((await runs.finish(run.id)).status).toBe('succeeded');
    } finally {
      await db.close();
    }
  });
});
